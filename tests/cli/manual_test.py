#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The generated man pages and shell completions against the binary itself.

    manual_test.py IMAGEPROBE MANUAL_DIR SCRATCH_DIR [unittest args]

MANUAL_DIR is what imageprobe-manual wrote (man1/*.1, completions/). Every option that
`imageprobe [COMMAND] --help` lists must be on that command's man page (imageprobe(1) for the
top level and `version`) and offered by the bash completion; the pages need the sections the
issue asks for; bash's completion function is run on partial command lines as bash would.
"""
import os
import re
import shutil
import subprocess
import sys
import unittest

BINARY = MANUAL = SCRATCH = None
COMMANDS = ["scan", "diff", "rules", "schema", "version"]
PAGE = {"": "imageprobe", "scan": "imageprobe-scan", "diff": "imageprobe-diff",
        "rules": "imageprobe-rules", "schema": "imageprobe", "version": "imageprobe"}


def help_options(command):
    args = [BINARY] + ([command] if command else []) + ["--help"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    section = out.split("Options:", 1)[1] if "Options:" in out else ""
    section = re.split(r"\n(?:Subcommands:|Exit codes:)", section)[0]
    return sorted(set(re.findall(r"(?m)^\s+((?:-\w|--[\w-]+)(?:,\s*--[\w-]+)*)", section)))


def names(option_cell):
    return [n.strip() for n in option_cell.split(",")]


def rendered(page):
    env = dict(os.environ, MANWIDTH="200", LC_ALL="C.UTF-8")
    out = subprocess.run(["man", "-E", "ascii", "-l", os.path.join(MANUAL, "man1", page + ".1")],
                         capture_output=True, text=True, env=env, check=True).stdout
    return out


def complete(words, cword):
    """COMPREPLY of _imageprobe for COMP_WORDS=words, COMP_CWORD=cword, as bash computes it."""
    script = os.path.join(MANUAL, "completions", "imageprobe")
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    cmd = (f"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={cword}; "
           "_imageprobe; printf '%s\\n' \"${COMPREPLY[@]}\"")
    out = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, check=True,
                         cwd=SCRATCH).stdout
    return [line for line in out.splitlines() if line]


def documented_options(page):
    """The option names of the OPTIONS section's entries (tag lines), not mentions in prose."""
    text = rendered(page)
    section = re.split(r"(?m)^OPTIONS$", text, maxsplit=1)[1]
    section = re.split(r"(?m)^[A-Z][A-Z ]+$", section, maxsplit=1)[0]
    tags = re.findall(r"(?m)^ {7}(-.*)$", section)
    return {n for tag in tags for n in re.findall(r"(?<![\w-])(--?[\w][\w-]*)", tag)}


class ManPages(unittest.TestCase):
    def test_every_option_is_on_its_page(self):
        for command in [""] + COMMANDS:
            documented = documented_options(PAGE[command])
            options = help_options(command)
            self.assertTrue(options, f"no options parsed from {command or 'top-level'} --help")
            for cell in options:
                for name in names(cell):
                    self.assertIn(name, documented,
                                  f"{name} ({command or 'imageprobe'}) is not in {PAGE[command]}(1)")

    def test_every_command_has_a_page_or_a_section(self):
        overview = rendered("imageprobe")
        for command in COMMANDS:
            self.assertIn(command, overview)
            if PAGE[command] != "imageprobe":
                self.assertTrue(os.path.exists(os.path.join(MANUAL, "man1", PAGE[command] + ".1")))

    def test_sections(self):
        for page in sorted(set(PAGE.values())):
            text = rendered(page)
            for section in ["NAME", "SYNOPSIS", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES",
                            "EXAMPLES", "SEE ALSO"]:
                self.assertRegex(text, rf"(?m)^{section}$", f"{page}(1) has no {section}")
            for variable in ["LIBGUESTFS_BACKEND_SETTINGS", "XDG_CACHE_HOME", "IMAGEPROBE_TRACE",
                             "TMPDIR"]:
                self.assertIn(variable, text, page)
            for code in ["0", "1", "2", "128+N"]:
                self.assertRegex(text, rf"(?m)^\s+{re.escape(code)}\s", f"{page}: exit {code}")
        scan = rendered("imageprobe-scan")
        self.assertIn("--expect FILE", scan)
        self.assertIn("--ignore FILE", scan)
        overview = rendered("imageprobe")
        for job in ["Gate an AMI", "lifted-and-shifted", "Compare two versions"]:
            self.assertIn(job, overview)

    def test_no_roff_warnings(self):
        for page in sorted(set(PAGE.values())):
            path = os.path.join(MANUAL, "man1", page + ".1")
            result = subprocess.run(["man", "--warnings", "-E", "ascii", "-l", path],
                                    capture_output=True, text=True,
                                    env=dict(os.environ, MANWIDTH="80"))
            self.assertEqual(result.stderr, "", page)

    def test_docs_point_at_the_installed_copy(self):
        text = rendered("imageprobe-scan")
        self.assertNotRegex(text, r"(?<![/\w])docs/")
        self.assertIn("/share/doc/imageprobe/gating.md", text)


class BashCompletion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for name in ["expect.json", "ignore.yaml", "image.qcow2"]:
            open(os.path.join(SCRATCH, name), "w").close()
        os.makedirs(os.path.join(SCRATCH, "rootdir"), exist_ok=True)

    def test_commands(self):
        self.assertEqual(complete(["imageprobe", ""], 1)[:5],
                         ["scan", "diff", "rules", "schema", "version"])
        self.assertEqual(complete(["imageprobe", "sc"], 1), ["scan", "schema"])
        self.assertEqual(complete(["imageprobe", "sca"], 1), ["scan"])
        self.assertEqual(complete(["imageprobe", "d"], 1), ["diff"])

    def test_options(self):
        self.assertEqual(complete(["imageprobe", "scan", "--fo"], 2), ["--format"])
        self.assertEqual(complete(["imageprobe", "diff", "--fail-on-"], 2), ["--fail-on-regression"])
        self.assertNotIn("--sha256", complete(["imageprobe", "scan", "--"], 2))  # hidden
        for command in COMMANDS:
            offered = complete(["imageprobe", command, "-"], 2)
            for cell in help_options(command):
                for name in names(cell):
                    self.assertIn(name, offered, f"imageprobe {command} {name}")

    def test_values(self):
        self.assertEqual(complete(["imageprobe", "scan", "--format", ""], 3),
                         ["text", "json", "sarif", "markdown", "html"])
        self.assertEqual(complete(["imageprobe", "diff", "-f", ""], 3),
                         ["text", "json", "markdown", "html"])
        self.assertEqual(complete(["imageprobe", "scan", "--profile", "r"], 3), ["release"])
        self.assertEqual(complete(["imageprobe", "scan", "--fail-on", "h"], 3), ["high"])
        self.assertEqual(complete(["imageprobe", "rules", "-f", "m"], 3), ["markdown"])
        self.assertEqual(complete(["imageprobe", "version", "--format", "j"], 3), ["json"])
        self.assertIn("ssh.authorized_keys", complete(["imageprobe", "scan", "--probe", "ssh."], 3))
        self.assertEqual(complete(["imageprobe", "scan", "--max-file-bytes", ""], 3), [])

    def test_files(self):
        self.assertEqual(complete(["imageprobe", "scan", "--expect", "exp"], 3), ["expect.json"])
        self.assertEqual(complete(["imageprobe", "scan", "--ignore", "ig"], 3), ["ignore.yaml"])
        self.assertEqual(complete(["imageprobe", "scan", "ima"], 2), ["image.qcow2"])
        self.assertEqual(complete(["imageprobe", "scan", "-q", "root"], 3), ["rootdir"])
        self.assertEqual(complete(["imageprobe", "diff", "image.qcow2", "ima"], 3), ["image.qcow2"])


class ZshCompletion(unittest.TestCase):
    def test_parses(self):
        path = os.path.join(MANUAL, "completions", "_imageprobe")
        with open(path) as f:
            self.assertTrue(f.readline().startswith("#compdef imageprobe"))
        if shutil.which("zsh") is None:
            self.skipTest("zsh is not installed")
        subprocess.run(["zsh", "-n", path], check=True)


if __name__ == "__main__":
    BINARY, MANUAL, SCRATCH = (os.path.abspath(p) for p in sys.argv[1:4])
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:])
