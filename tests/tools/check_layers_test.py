#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# tools/check-layers, the build step that enforces the layers: the real tree passes, and on a
# copy of it each kind of forbidden include fails with the file, the line and the rule, as does
# an exception that no longer occurs.
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else ".")
TOOL = os.path.join(SOURCE, "tools", "check-layers")


def run(tree):
    return subprocess.run([sys.executable, TOOL, tree], capture_output=True, text=True)


class CheckLayers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.tree = os.path.join(cls.tmp, "src")
        for top in ("scanner", "probes", "images"):
            shutil.copytree(os.path.join(SOURCE, top), os.path.join(cls.tree, top))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def with_file(self, rel, text):
        path = os.path.join(self.tree, rel)
        with open(path, "w") as f:
            f.write(text)
        self.addCleanup(os.remove, path)

    def check_forbidden(self, rel, text, message):
        path = os.path.join(self.tree, rel)
        with open(path, "w") as f:
            f.write(text)
        try:
            result = run(self.tree)
        finally:
            os.remove(path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"{rel}:{text.count(chr(10))}: {message}", result.stderr)

    def test_the_real_tree_passes(self):
        result = run(SOURCE)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_forbidden_includes_fail_naming_file_line_and_rule(self):
        cases = [
            ("scanner/parse/bad.h", '#include "scanner/core/model.h"\n', "parse may not include scanner/core/model.h (core)"),
            ("scanner/core/bad.cc", '#include <string>\n#include "probes/all_probes.h"\n', "core may not include probes/all_probes.h (probes)"),
            ("probes/bad.cc", '#include "images/open.h"\n', "probes may not include images/open.h (images)"),
            ("images/bad.cc", '#include "scanner/report/json_model.h"\n', "images may not include scanner/report/json_model.h (report)"),
            ("scanner/report/bad.cc", '#include "scanner/cli/cli.h"\n', "report may not include scanner/cli/cli.h (cli)"),
            # The gate reads sshd settings through their record declaration, never the probe.
            ("scanner/gate/bad.cc", '#include "probes/sshd/sshd_canonical.h"\n',
             "gate may not include probes/sshd/sshd_canonical.h (probes)"),
        ]
        for rel, text, message in cases:
            with self.subTest(rel=rel):
                self.check_forbidden(rel, text, message)

    def test_a_file_beside_the_layer_folders_fails(self):
        path = os.path.join(self.tree, "scanner", "stray.h")
        with open(path, "w") as f:
            f.write("#pragma once\n")
        try:
            result = run(self.tree)
        finally:
            os.remove(path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("scanner/stray.h: in scanner/ but in none of its layer folders", result.stderr)

    def test_the_cli_may_include_everything(self):
        self.with_file("scanner/cli/ok.cc", '#include "probes/all_probes.h"\n#include "images/open.h"\n')
        self.assertEqual(run(self.tree).returncode, 0)


if __name__ == "__main__":
    unittest.main()
