#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: the native engine against its oracle, libguestfs, on every image of
tests/e2e/build-guestfs-images.sh (label guestfs: one appliance per image).

    engine_oracle_e2e.py IMAGEPROBE IMAGES_DIR [unittest args]

  - for every image the native engine reads (GPT and MBR raw disks, several roots, no OS, an
    fstab naming a broken partition, sparse/stream/flat VMDK, fixed and dynamic VHD, VHDX, VDI,
    OVA, a bare ext4 with 200+ homes, LVM2 on an MBR partition with a root LV in two segments
    and an fstab naming /dev/mapper/vg0-root and /dev/vg0/home, an Amazon Linux root on XFS, a
    root whose journal needs recovery): `scan --engine native` and `scan --engine guestfs` give
    equal JSON reports, facts, findings, errors and root descriptions, apart from the backend,
    the timings and the time of the report (the native backend names a replayed journal, and
    what only the replay shows is in both);
  - for the images it does not read (a bare btrfs): `--engine native` exits 2 with the reason on
    one line, and `--engine auto` scans through libguestfs and says why in the backend.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import unittest

BINARY = IMAGES = None

NATIVE_IMAGES = ["multi-gpt.img", "no-os.img", "partial-mbr.img", "split-mbr.vmdk", "stream.vmdk",
                 "flat.vmdk", "fixed.vhd", "dynamic.vhd", "disk.vhdx", "disk.vdi", "appliance.ova",
                 "bare.ext4", "lvm.qcow2", "xfs.img", "dirty-journal.img"]
# The native engine says in the backend what it did beyond reading (the appliance's kernel
# replays a journal silently): the backend is not compared, so it is checked here.
NATIVE_BACKENDS = {"dirty-journal.img": re.compile(
    r"native; /dev/sda1: ext4 journal replayed in memory \(\d+ transactions?, \d+ blocks\)")}
# What only a replay of that journal shows: both engines must report it.
REPLAYED = {"dirty-journal.img": "root@journal"}
FALLBACK_IMAGES = {"btrfs.img": "/dev/sda is btrfs"}
VOLATILE = {"backend", "timings", "generated_at", "seconds"}
# "could not mount ext4 filesystem /dev/sda2 read-only: " is followed by the kernel's words
# (guestfs) or libext2fs' (native): the reason is compared up to there.
MOUNT_FAILURE = "read-only: "


def scan(image, *args):
    r = subprocess.run([BINARY, "scan", "--quiet", "--format", "json", *args,
                        os.path.join(IMAGES, image)], capture_output=True, text=True, timeout=900)
    return r.returncode, r.stdout, r.stderr


def comparable(report):
    def strip(o):
        if isinstance(o, dict):
            return {k: strip(v) for k, v in o.items() if k not in VOLATILE}
        if isinstance(o, list):
            return [strip(x) for x in o]
        if isinstance(o, str) and o.startswith("could not mount ") and MOUNT_FAILURE in o:
            return o[:o.index(MOUNT_FAILURE) + len(MOUNT_FAILURE)]
        return o
    return strip(report)


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {a!r:.200} vs {b!r:.200}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'native' if k in a else 'guestfs'}"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None if len(a) == len(b) else f"{path}: {len(a)} vs {len(b)} items"
    return None if a == b else f"{path}: {a!r:.200} vs {b!r:.200}"


class NativeEqualsGuestfs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Two scans at a time: one appliance and one native scan never compete for long.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            cls.native = dict(zip(NATIVE_IMAGES, pool.map(lambda i: scan(i, "--engine", "native"),
                                                          NATIVE_IMAGES)))
            cls.guestfs = dict(zip(NATIVE_IMAGES, pool.map(lambda i: scan(i, "--engine", "guestfs"),
                                                           NATIVE_IMAGES)))

    def test_reports_are_equal(self):
        for image in NATIVE_IMAGES:
            with self.subTest(image=image):
                (ncode, nout, nerr), (gcode, gout, gerr) = self.native[image], self.guestfs[image]
                self.assertEqual(ncode, gcode, nerr + gerr)
                native, guestfs = json.loads(nout), json.loads(gout)
                if image in NATIVE_BACKENDS:
                    self.assertRegex(native["backend"], NATIVE_BACKENDS[image])
                else:
                    self.assertEqual(native["backend"], "native")
                if image in REPLAYED:
                    self.assertIn(REPLAYED[image], nout)
                    self.assertIn(REPLAYED[image], gout)
                self.assertTrue(guestfs["backend"].startswith("guestfs ("), guestfs["backend"])
                self.assertTrue(native["roots"], image)
                diff = first_difference(comparable(native), comparable(guestfs))
                self.assertIsNone(diff, f"{image}: native and guestfs reports differ at {diff}")


class Fallback(unittest.TestCase):
    def test_native_refuses_with_the_reason_and_auto_falls_back(self):
        for image, reason in FALLBACK_IMAGES.items():
            with self.subTest(image=image):
                code, out, err = scan(image, "--engine", "native")
                self.assertEqual(code, 2, err)
                self.assertEqual(out, "")
                lines = err.strip().splitlines()
                self.assertEqual(len(lines), 1, err)
                self.assertIn("the native engine cannot read this image: " + reason, lines[0])
                code, out, err = scan(image)
                self.assertEqual(code, 0, err)
                backend = json.loads(out)["backend"]
                self.assertTrue(backend.startswith("guestfs ("), backend)
                self.assertTrue(backend.endswith("; native engine: " + reason), backend)


if __name__ == "__main__":
    BINARY, IMAGES = (os.path.abspath(a) for a in sys.argv[1:3])
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
