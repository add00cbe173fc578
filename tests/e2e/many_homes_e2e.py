#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: a crowded /home read from the raw image file itself
(images/guestfs/host_ext4_trees.h).

    many_homes_e2e.py IMAGEPROBE TOOLS_DIR SCRATCH_DIR [unittest args]

tools/gen-many-users makes a root with 40 login users, 3 keys each; tools/make-image puts it on
a raw MBR disk with /home on a second partition (mounted by LABEL from the root's fstab). One
scan through libguestfs (one appliance) must:
  - equal the scan of the same tree as a directory, fact for fact (120 authorized keys);
  - have read /home with libext2fs from the file at partition 2's offset, not by tar_out;
  - leave the image's bytes and mtime as they were.
"""
import json
import os
import shutil
import subprocess
import sys
import unittest

from incidents_e2e import comparable_facts, fingerprint  # the same checks, on other images

BINARY = TOOLS = SCRATCH = None
USERS = 40
FSTAB = "LABEL=root / ext4 defaults 0 1\nLABEL=home /home ext4 defaults 0 2\n"


class ManyHomes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.path.exists(SCRATCH):
            shutil.rmtree(SCRATCH)
        tree = os.path.join(SCRATCH, "tree")
        subprocess.run([os.path.join(TOOLS, "gen-many-users"), tree, "--users", str(USERS)],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(tree, "etc/fstab"), "w") as f:
            f.write(FSTAB)
        # The same tree split in two partitions: / with an empty /home, and /home. cp -a keeps
        # owners and modes (StrictModes facts depend on them).
        root, home = os.path.join(SCRATCH, "root"), os.path.join(SCRATCH, "home")
        subprocess.run(["cp", "-a", tree, root], check=True)
        subprocess.run(["cp", "-a", os.path.join(tree, "home"), home], check=True)
        for name in os.listdir(os.path.join(root, "home")):
            shutil.rmtree(os.path.join(root, "home", name))
        cls.image = os.path.join(SCRATCH, "disk.img")
        subprocess.run([os.path.join(TOOLS, "make-image"), "raw", cls.image, "--table", "mbr",
                        "--part", "root:32:" + root, "--part", "home:32:" + home],
                       check=True, stdout=subprocess.DEVNULL)
        cls.before = fingerprint(cls.image)
        # /home's own filesystem has mkfs's lost+found: the directory tree gets one too.
        st = os.stat(os.path.join(tree, "home"))
        os.mkdir(os.path.join(tree, "home", "lost+found"), 0o700)
        os.utime(os.path.join(tree, "home"), ns=(st.st_atime_ns, st.st_mtime_ns))
        env = dict(os.environ, IMAGEPROBE_TRACE="1")
        r = subprocess.run([BINARY, "scan", "--quiet", "--engine", "guestfs", "--format", "json",
                            cls.image],
                           capture_output=True, text=True, timeout=900, env=env)
        if r.returncode != 0:
            raise AssertionError(f"scan exited {r.returncode}: {r.stderr[-2000:]}")
        cls.report, cls.trace = json.loads(r.stdout), r.stderr
        d = subprocess.run([BINARY, "scan", "--quiet", "--format", "json", tree],
                           capture_output=True, text=True, timeout=300, check=True)
        cls.directory = json.loads(d.stdout)

    def test_scan_equals_the_directory_scan(self):
        self.assertEqual(self.report["input"]["format"], "raw")
        self.assertFalse(self.report["partial"], self.report["roots"][0]["errors"])
        self.assertEqual(comparable_facts(self.report), comparable_facts(self.directory))
        keys = [f for f in self.report["roots"][0]["facts"] if f["kind"] == "ssh/authorized_key"]
        self.assertEqual(len(keys), USERS * 3 + 1)  # and root's own key

    def test_home_was_read_from_the_file_not_streamed(self):
        trace = self.trace.splitlines()
        self.assertTrue([l for l in trace if l.startswith("guestfs: host_ext4_read /home ")],
                        self.trace[-3000:])
        self.assertFalse([l for l in trace if l.startswith("guestfs: tar_out /home ")])
        self.assertTrue([l for l in trace if l.startswith("guestfs: part_list /dev/sda ")])

    def test_image_unchanged(self):
        self.assertEqual(fingerprint(self.image), self.before)


if __name__ == "__main__":
    BINARY, TOOLS, SCRATCH = sys.argv[1:4]
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[4:]])
