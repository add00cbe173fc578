#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: the four-change noise test of diff_e2e.py on disk images (GPT, ext4: the native
engine reads them; engine_oracle_e2e.py holds it to libguestfs).

    diff_noise_guestfs_e2e.py IMAGEPROBE TOOLS_DIR SCRATCH_DIR [unittest args]

tools/make-diff-pair --images builds two qcow2 images (GPT, ext4) of one tree: v2 lost every
authorized_keys and the host keys, has PermitRootLogin changed and the SSM registration removed,
and every mtime moved. `imageprobe diff` of the two images (scanned side by side) must
list exactly what the directory diff lists (the expectations are diff_e2e.py's), fail the
regression gate, and leave the images untouched.
"""
import hashlib
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diff_e2e  # noqa: E402  (the shared expectations)

BINARY = TOOLS = SCRATCH = None


def fingerprint(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), os.stat(path).st_mtime_ns


class NoiseOnImages(unittest.TestCase):
    def test_image_diff_lists_exactly_the_four_changes(self):
        subprocess.run([os.path.join(TOOLS, "make-diff-pair"), SCRATCH, "--images"], check=True)
        v1 = os.path.join(SCRATCH, "pair-v1.qcow2")
        v2 = os.path.join(SCRATCH, "pair-v2.qcow2")
        before = [fingerprint(v1), fingerprint(v2)]
        listing = sorted(os.listdir(SCRATCH))
        r = subprocess.run([BINARY, "diff", "-q", "--format", "json", "--fail-on-regression",
                            v1, v2], capture_output=True, text=True, timeout=1500)
        self.assertEqual(r.returncode, 1, r.stderr)
        diff = json.loads(r.stdout)
        self.assertEqual(diff["old"]["format"], "qcow2")
        facts, findings, headlines = diff_e2e.noise_summary(diff)
        self.assertEqual(facts, diff_e2e.NOISE_FACTS)
        self.assertEqual(findings, diff_e2e.NOISE_FINDINGS)
        self.assertEqual(headlines, diff_e2e.NOISE_HEADLINES)
        self.assertEqual([fingerprint(v1), fingerprint(v2)], before)
        self.assertEqual(sorted(os.listdir(SCRATCH)), listing)


if __name__ == "__main__":
    BINARY, TOOLS, SCRATCH = sys.argv[1:4]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[4:]])
