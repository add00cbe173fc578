#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: the incident scenarios on real disk images, through libguestfs.

    incidents_e2e.py IMAGEPROBE TOOLS_DIR SCRATCH_DIR [unittest args]

tools/make-demo-images builds two versions of an Ubuntu AMI: v1 as a streamOptimized VMDK and
v2 (every authorized_keys deleted, sshd_config recreated 0755 with PermitRootLogin yes) as an
OVA; v1's tree is also made a bare ext4 filesystem image. Checks:
  - the VMDK and bare-ext4 scans equal the scan of the same tree as a directory (two backends,
    one answer);
  - v2's scan shows the incidents as findings and has no authorized keys;
  - `diff` of the two images headlines the lost keys and exits 1 with --fail-on-regression;
  - the inputs' bytes and mtimes are unchanged and nothing appears next to them.
Each image scan starts one appliance (10-30 s under TCG), so the scans are shared across checks.
"""
import hashlib
import json
import os
import subprocess
import sys
import unittest

BINARY = TOOLS = SCRATCH = None


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=900)


def fingerprint(path):
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return digest, os.stat(path).st_mtime_ns


def scan_json(target):
    r = run("scan", "--quiet", "--format", "json", target)
    if r.returncode != 0:
        raise AssertionError(f"scan {target} exited {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)


def comparable_facts(report):
    """Facts by (kind, key), without free-text reasons (they quote backend error wording)."""
    def strip(data):
        if isinstance(data, dict):
            return {k: strip(v) for k, v in data.items() if k != "reason"}
        return data
    return {(f["kind"], f["key"]): strip(f["data"]) for f in report["roots"][0]["facts"]}


class Incidents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(SCRATCH, "demo")
        subprocess.run([os.path.join(TOOLS, "make-demo-images"), cls.out], check=True)
        cls.v1 = os.path.join(cls.out, "ami-v1.vmdk")
        cls.v2 = os.path.join(cls.out, "ami-v2.ova")
        cls.ext4 = os.path.join(cls.out, "v1.ext4")
        subprocess.run([os.path.join(TOOLS, "make-image"), "ext4", cls.ext4, "--part",
                        "root:96:" + os.path.join(cls.out, "v1-root")],
                       check=True, stdout=subprocess.DEVNULL)
        cls.before = {p: fingerprint(p) for p in (cls.v1, cls.v2, cls.ext4)}
        cls.listing = sorted(os.listdir(cls.out))
        cls.v1_report = scan_json(cls.v1)
        cls.v2_report = scan_json(cls.v2)
        cls.ext4_report = scan_json(cls.ext4)
        cls.diff = run("diff", "--quiet", "--fail-on-regression", cls.v1, cls.v2)

    def test_vmdk_scan_equals_directory_scan(self):
        image = self.v1_report
        # An ext4 root on a partitioned VMDK: the native engine reads it, no appliance.
        self.assertEqual(image["backend"], "native")
        self.assertEqual(image["input"]["format"], "vmdk-stream-optimized")
        self.assertFalse(image["partial"], image["roots"][0]["errors"])
        os_info = image["roots"][0]["os"]
        self.assertEqual((os_info["id"], os_info["version_id"]), ("ubuntu", "22.04"))
        directory = scan_json(os.path.join(self.out, "v1-root"))
        self.assertEqual(comparable_facts(image), comparable_facts(directory))
        identities = lambda r: [f["identity"] for f in r["roots"][0]["findings"]]
        self.assertEqual(identities(image), identities(directory))
        keys = [f for f in image["roots"][0]["facts"] if f["kind"] == "ssh/authorized_key"]
        self.assertEqual(len(keys), 6)

    def test_bare_ext4_scan_equals_directory_scan(self):
        image = self.ext4_report
        self.assertEqual(image["input"]["format"], "ext4")
        self.assertFalse(image["partial"], image["roots"][0]["errors"])
        directory = scan_json(os.path.join(self.out, "v1-root"))
        self.assertEqual(comparable_facts(image), comparable_facts(directory))

    def test_v2_shows_the_incidents(self):
        root = self.v2_report["roots"][0]
        self.assertEqual(self.v2_report["input"]["format"], "ova")
        rules = {f["rule_id"] for f in root["findings"]}
        for expected in ("sshd.config.executable_mode", "sshd.permit_root_login",
                         "sshd.password_authentication",
                         "ssh.authorized_keys.ssh_dir_without_keys"):
            self.assertIn(expected, rules)
        self.assertFalse([f for f in root["facts"] if f["kind"] == "ssh/authorized_key"])

    def test_diff_headlines_lost_keys_and_fails_the_gate(self):
        self.assertEqual(self.diff.returncode, 1, self.diff.stderr)
        self.assertIn("authorized_keys removed for 5 users: alice, ci, deploy, root, ubuntu",
                      self.diff.stdout)
        self.assertIn("sshd PermitRootLogin: prohibit-password -> yes", self.diff.stdout)
        self.assertIn("users who could log in no longer can: alice, ci, deploy, root, ubuntu",
                      self.diff.stdout)

    def test_inputs_unchanged_and_nothing_written_beside_them(self):
        for path, before in self.before.items():
            self.assertEqual(fingerprint(path), before, path)
        self.assertEqual(sorted(os.listdir(self.out)), self.listing)


if __name__ == "__main__":
    BINARY, TOOLS, SCRATCH = sys.argv[1:4]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[4:]])
