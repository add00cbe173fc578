#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: bad inputs never bring a library's own text to the user (issue 13).

    library_text_e2e.py IMAGEPROBE SOURCE_DIR SCRATCH_DIR [unittest args]

The corpus is every fuzz target's regression inputs (tests/fuzz/regressions/<target>/) and some
junk made here (random bytes, truncated JSON, numbers beyond double range, YAML and XML that do
not close, NUL bytes, invalid UTF-8). Each piece is written over the files a fixture tree's
probes read (SSM agent state, sshd_config, cloud-init, passwd, shadow, sudoers, ...) and the tree
is scanned with `--format json` and `--format text`; the same bytes are also given to
`imageprobe diff` as saved reports and to `scan --expect` / `--ignore`. stdout and stderr must
hold no library text ("[json.exception", "yaml-cpp:", "what():", "bad_alloc", ...), the scan
must end with a report (exit 0 or 1), and no probe may fail as a whole: a file that cannot be
parsed is that file's error (issue 13's containment per file).
"""
import json
import os
import random
import shutil
import subprocess
import sys
import unittest
import zlib

BINARY = SOURCE = SCRATCH = None

# Text that only a library (or the C++ runtime) writes.
LIBRARY_TEXT = ["[json.exception", "json.exception.", "yaml-cpp", "what():", "bad_alloc",
                "basic_string", "std::", "terminate called", "vector::_M", "stoi", "stoul"]

# Guest paths the probes read, by the fuzz target whose parser reads them.
TARGET_PATHS = {
    "ssm_json": ["/var/lib/amazon/ssm/registration", "/var/lib/amazon/ssm/Vault/Manifest",
                 "/etc/amazon/ssm/amazon-ssm-agent.json",
                 "/var/lib/amazon/ssm/Vault/Store/RegistrationKey",
                 "/var/lib/amazon/ssm/InstanceFingerprint"],
    "seelog_xml": ["/etc/amazon/ssm/seelog.xml"],
    "sshd_config": ["/etc/ssh/sshd_config"],
    "cloud_config": ["/etc/cloud/cloud.cfg", "/etc/cloud/cloud.cfg.d/99-junk.cfg"],
    "network_config": ["/etc/netplan/50-cloud-init.yaml",
                       "/etc/sysconfig/network-scripts/ifcfg-eth0"],
    "passwd_group": ["/etc/passwd", "/etc/group"],
    "shadow": ["/etc/shadow"],
    "sudoers": ["/etc/sudoers", "/etc/sudoers.d/ssm-agent-users"],
    "os_release": ["/etc/os-release"],
    "fstab": ["/etc/fstab"],
    "dpkg_status": ["/var/lib/dpkg/status"],
    "ini": ["/root/.aws/credentials", "/root/.aws/config"],
    "shell_history": ["/root/.bash_history"],
    "authorized_keys": ["/root/.ssh/authorized_keys"],
    "private_key": ["/root/.ssh/id_rsa", "/etc/ssh/ssh_host_ed25519_key"],
    "rpm_header": ["/var/lib/rpm/Packages"],
    "rpmdb_bdb": ["/var/lib/rpm/Packages"],
    "rpmdb_sqlite": ["/var/lib/rpm/rpmdb.sqlite"],
    "systemd_unit": ["/lib/systemd/system/amazon-ssm-agent.service"],
}
ALL_PATHS = sorted({p for paths in TARGET_PATHS.values() for p in paths})


def junk_corpus():
    """name -> bytes: junk of every kind a parser meets, none of it quoting library text."""
    rng = random.Random(13)
    registration = (b'{"ManagedInstanceID":"mi-0123456789abcdef0","Region":"eu-north-1",'
                    b'"Ts":1e400}')
    corpus = {
        "random-bytes": bytes(rng.randrange(256) for _ in range(4096)),
        "nul-bytes": b"\0" * 512,
        "invalid-utf8": b"\xff\xfe\xc3\x28key: \xa0\xa1\n" * 20,
        "number-beyond-double": registration,
        "numbers-everywhere": b'{"a":91e11111111,"b":[-1e-400,123456789012345678901234567890],'
                              b'"ManagedInstanceID":1e400,"hardwareHash":{"x":1e999},'
                              b'"similarityThreshold":1e400}',
        "truncated-json": registration[:37],
        "json-wrong-types": b'{"ManagedInstanceID":["mi-1"],"Region":{},"Mds":[],"Agent":1,'
                            b'"Identity":{"ConsumptionOrder":7,"CustomIdentities":{}}}',
        "deep-json": b"[" * 100000,
        "yaml-unclosed": b"users:\n  - name: [a, {b: \n  'c\n--- &x *x\n? ? ?\n",
        "yaml-tabs-anchors": b"a: &a [*a, *a]\n\tb: c\nkey: !!binary ===\n%YAML 9.9\n",
        "xml-unclosed": b'<seelog minlevel="debug"<!-- <seelog levels=\'x\n',
        "long-line": b"A" * 300000 + b"\n",
        "empty": b"",
        "crlf-garbage": b"\r\n\r\n=\r\n[\r\n]]]\r\n:::\r\n",
    }
    regressions = os.path.join(SOURCE, "tests", "fuzz", "regressions")
    for target in sorted(os.listdir(regressions)):
        for name in sorted(os.listdir(os.path.join(regressions, target))):
            with open(os.path.join(regressions, target, name), "rb") as f:
                corpus[f"regression-{target}-{name}"] = f.read()
    return corpus


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, timeout=300)


def decoded(data):
    return data.decode("utf-8", "replace")


class LibraryTextTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.corpus = junk_corpus()
        shutil.rmtree(SCRATCH, ignore_errors=True)
        os.makedirs(SCRATCH)

    @staticmethod
    def safe(name):
        """A file name for the corpus entry that quotes no library text itself (a regression
        input is called "yaml-cpp-stray-comma-loop"), since paths appear in the output."""
        return "case-%08x" % zlib.crc32(name.encode())

    def tree_with(self, name, data):
        """The SSM lift-and-shift fixture with every probed file replaced by `data`."""
        root = os.path.join(SCRATCH, "tree-" + self.safe(name))
        shutil.copytree(os.path.join(SOURCE, "tests", "fixtures", "ssm_lift_and_shift", "root"),
                        root, symlinks=True)
        for path in ALL_PATHS:
            full = os.path.join(root, path.lstrip("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if os.path.islink(full):
                os.unlink(full)
            with open(full, "wb") as f:
                f.write(data)
        return root

    def assert_our_words(self, what, text):
        for marker in LIBRARY_TEXT:
            self.assertNotIn(marker, text, f"{what}: library text {marker!r}:\n{text[:3000]}")

    def test_scans_of_bad_files(self):
        for name, data in self.corpus.items():
            with self.subTest(input=name):
                root = self.tree_with(name, data)
                r = run("scan", root, "--format", "json")
                self.assertIn(r.returncode, (0, 1), decoded(r.stderr))
                self.assert_our_words(name + " (json)", decoded(r.stdout) + decoded(r.stderr))
                report = json.loads(r.stdout)
                for root_report in report["roots"]:
                    for probe in root_report["probes"]:
                        self.assertNotEqual(probe["status"], "failed",
                                            f"{name}: {probe['name']}: {probe['reason']}")
                r = run("scan", root, "--format", "text")
                self.assertIn(r.returncode, (0, 1), decoded(r.stderr))
                self.assert_our_words(name + " (text)", decoded(r.stdout) + decoded(r.stderr))
                shutil.rmtree(root)

    def test_registration_beyond_double_range_is_reported(self):
        root = self.tree_with("registration-only", b"")
        shutil.rmtree(root)
        shutil.copytree(os.path.join(SOURCE, "tests", "fixtures", "ssm_lift_and_shift", "root"),
                        root, symlinks=True)
        with open(os.path.join(root, "var/lib/amazon/ssm/registration"), "wb") as f:
            f.write(self.corpus["number-beyond-double"])
        r = run("scan", root, "--format", "json")
        self.assertIn(r.returncode, (0, 1), decoded(r.stderr))
        report = json.loads(r.stdout)
        ssm = [p for p in report["roots"][0]["probes"] if p["name"] == "aws.ssm_agent"]
        self.assertEqual(ssm[0]["status"], "ran", ssm)
        facts = [f for f in report["roots"][0]["facts"] if f["kind"] == "ssm/registration"]
        self.assertEqual(facts[0]["data"]["managed_instance_id"], "mi-0123456789abcdef0")
        rules = {f["rule_id"] for f in report["roots"][0]["findings"]}
        self.assertIn("ssm.registration.present", rules)

    def test_saved_reports_expect_and_ignore_files(self):
        good = os.path.join(SCRATCH, "good.json")
        cleared = os.path.join(SOURCE, "tests", "fixtures", "ssm_cleared", "root")
        r = run("scan", cleared, "--format", "json")
        with open(good, "wb") as f:
            f.write(r.stdout)
        # Valid JSON that is not a report of the right shape: type errors inside from_json.
        shaped = json.loads(r.stdout)
        shaped["roots"][0]["findings"] = [{"rule_id": 5, "severity": []}]
        variants = dict(self.corpus)
        variants["report-wrong-types"] = json.dumps(shaped).encode()
        variants["report-missing-members"] = json.dumps(
            {"schema": shaped["schema"], "roots": [{"facts": [{}]}]}).encode()
        variants["report-big-numbers"] = r.stdout.replace(b'"seconds": ', b'"seconds": 1e400')
        for name, data in variants.items():
            with self.subTest(input=name):
                path = os.path.join(SCRATCH, "input-" + self.safe(name))
                with open(path, "wb") as f:
                    f.write(data)
                for args in (["diff", path, good], ["diff", good, path],
                             ["scan", cleared, "--expect", path],
                             ["scan", cleared, "--ignore", path]):
                    r = run(*args)
                    self.assertNotEqual(r.returncode, -6, (args, decoded(r.stderr)))
                    self.assertGreaterEqual(r.returncode, 0, (args, decoded(r.stderr)))
                    self.assert_our_words(f"{name}: {args[0]} {args[-2]}",
                                          decoded(r.stdout) + decoded(r.stderr))


if __name__ == "__main__":
    BINARY, SOURCE, SCRATCH = sys.argv[1:4]
    unittest.main(argv=[sys.argv[0]] + sys.argv[4:])
