#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end evidence integrity through the CLI (issue 7), on small images built here with
tools/make-image from tests/fixtures/debian12 (label guestfs: boots appliances).

    integrity_e2e.py IMAGEPROBE SOURCE_DIR SCRATCH_DIR [unittest args]

  - `scan --hash` of a raw disk, a VMDK, a qcow2 and a directory: the recorded SHA-256 is the
    file's, and bytes, mtimes and the listing beside each input are unchanged afterwards;
  - two scans of one image at once (and the VMDK and qcow2 scans, also run together) both
    succeed with equal facts;
  - SIGTERM while the appliance starts and SIGINT while an OVA is being scanned: exit 128+signo,
    TMPDIR left empty (OVA extraction, libguestfs' temporary directory), libguestfs' socket
    directory removed, and no QEMU process left behind.
"""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

BINARY = SOURCE = SCRATCH = IMAGES = None


def build_images():
    """raw (GPT), streamOptimized VMDK, qcow2 and OVA of the Debian fixture, in IMAGES."""
    make = os.path.join(SOURCE, "tools", "make-image")
    tree = os.path.join(SOURCE, "tests", "fixtures", "debian12")
    for fmt, name in (("raw", "disk.img"), ("vmdk-stream", "stream.vmdk"),
                      ("qcow2", "disk.qcow2"), ("ova", "appliance.ova")):
        path = os.path.join(IMAGES, name)
        if not os.path.exists(path):
            subprocess.run([make, fmt, path, "--part", "rootfs:32:" + tree], check=True,
                           stdout=subprocess.DEVNULL)


def fingerprint(path):
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    st = os.stat(path)
    return digest, st.st_mtime_ns, st.st_size


def tree_fingerprint(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            digest = fingerprint(path)[0] if os.path.isfile(path) and not os.path.islink(path) \
                else None
            out[os.path.relpath(path, root)] = (digest, st.st_mtime_ns, st.st_size)
    return out


def env_with_tmp(tmp):
    env = dict(os.environ)
    env["TMPDIR"] = tmp
    # libguestfs keeps its appliance cache under TMPDIR unless told otherwise: that is a cache
    # meant to stay, not a temporary file of this scan.
    env.setdefault("LIBGUESTFS_CACHEDIR", "/var/tmp")
    return env


def fresh_dir(name):
    path = os.path.join(SCRATCH, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def start_scan(*args, tmp):
    return subprocess.Popen([BINARY, "scan", "--quiet", "--format", "json", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env_with_tmp(tmp))


def finish(proc, timeout=1500):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), err.decode()


def facts(report):
    def strip(data):
        if isinstance(data, dict):
            return {k: strip(v) for k, v in data.items() if k != "reason"}
        return data
    return [{(f["kind"], f["key"]): strip(f["data"]) for f in root["facts"]}
            for root in report["roots"]]


def children(pid):
    """(pid, comm, cmdline) of the direct children of `pid`."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().split(b"\0")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        if ppid == pid:
            kids.append((int(entry), comm, [c.decode(errors="replace") for c in cmdline]))
    return kids


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


class HashAndIntegrity(unittest.TestCase):
    def check_scans(self, paths):
        """Scans `paths` concurrently with --hash; returns the reports."""
        before = {p: fingerprint(p) for p in paths}
        listings = {os.path.dirname(p): sorted(os.listdir(os.path.dirname(p))) for p in paths}
        tmp = fresh_dir("tmp-hash")
        procs = [start_scan("--hash", p, tmp=tmp) for p in paths]
        reports = []
        for p, proc in zip(paths, procs):
            code, out, err = finish(proc)
            self.assertEqual(code, 0, f"{p}: {err}")
            report = json.loads(out)
            self.assertEqual(report["input"]["sha256"], before[p][0], p)
            self.assertFalse(report["partial"], report["roots"][0]["errors"])
            reports.append(report)
        for p in paths:
            self.assertEqual(fingerprint(p), before[p], f"{p} changed")
        for d, names in listings.items():
            self.assertEqual(sorted(os.listdir(d)), names, f"something was written in {d}")
        self.assertEqual(os.listdir(tmp), [], "temporary files left in TMPDIR")
        return reports

    def test_two_scans_of_one_raw_image_at_once(self):
        raw = os.path.join(IMAGES, "disk.img")
        a, b = self.check_scans([raw, raw])
        self.assertEqual(a["input"]["format"], "raw")
        self.assertEqual(a["roots"][0]["os"]["id"], "debian")
        self.assertEqual(facts(a), facts(b))
        self.assertTrue(facts(a)[0])

    def test_vmdk_and_qcow2(self):
        vmdk, qcow2 = (os.path.join(IMAGES, n) for n in ("stream.vmdk", "disk.qcow2"))
        reports = self.check_scans([vmdk, qcow2])
        self.assertEqual(reports[0]["input"]["format"], "vmdk-stream-optimized")
        self.assertEqual(reports[1]["input"]["format"], "qcow2")

    def test_directory(self):
        tree = os.path.join(SCRATCH, "tree")
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(os.path.join(SOURCE, "tests", "fixtures", "debian12"), tree,
                        symlinks=True)
        before = tree_fingerprint(tree)
        tmp = fresh_dir("tmp-dir")
        code, out, err = finish(start_scan("--hash", tree, tmp=tmp))
        self.assertEqual(code, 0, err)
        report = json.loads(out)
        self.assertNotIn("sha256", report["input"])  # a directory has no single digest
        self.assertEqual(report["roots"][0]["os"]["id"], "debian")
        self.assertEqual(tree_fingerprint(tree), before)
        self.assertEqual(os.listdir(tmp), [])


class Interrupted(unittest.TestCase):
    """A signal mid-scan: exit 128+signo, nothing left in TMPDIR, no QEMU left running."""

    def interrupt(self, image, signo, ready, what):
        tmp = fresh_dir("tmp-signal")
        # The appliance's start is the window these tests need: the native engine has none.
        proc = start_scan("--engine", "guestfs", image, tmp=tmp)
        deadline = time.monotonic() + 600
        seen_qemu, sockdirs = set(), set()
        while time.monotonic() < deadline and proc.poll() is None:
            kids = children(proc.pid)
            for pid, comm, cmdline in kids:
                if comm.startswith("qemu-system"):
                    seen_qemu.add(pid)
                    for arg in cmdline:  # -chardev socket,...,path=/tmp/libguestfsXXXXXX/guestfsd.sock
                        for part in arg.split(","):
                            if part.startswith("path=") and "libguestfs" in part:
                                sockdirs.add(os.path.dirname(part[5:]))
            if ready(tmp, kids):
                break
            time.sleep(0.05)
        if proc.poll() is not None:
            self.fail(f"the scan ended before {what}: exit {proc.returncode}: "
                      f"{proc.stderr.read().decode(errors='replace')}")
        proc.send_signal(signo)
        code, _, err = finish(proc, timeout=120)
        self.assertEqual(code, 128 + signo, err)
        self.assertIn("interrupted", err)
        self.assertEqual(os.listdir(tmp), [], "temporary files left in TMPDIR")
        for pid in seen_qemu:
            self.assertFalse(alive(pid), f"QEMU {pid} left running")
        for d in sockdirs:
            self.assertFalse(os.path.exists(d), f"socket directory {d} left")
        return seen_qemu

    def test_sigterm_while_the_appliance_starts(self):
        image = os.path.join(IMAGES, "stream.vmdk")
        qemu_running = lambda tmp, kids: any(c.startswith("qemu-system") for _, c, _ in kids)
        seen = self.interrupt(image, signal.SIGTERM, qemu_running, "QEMU started")
        self.assertTrue(seen)

    def test_sigint_during_an_ova_scan(self):
        image = os.path.join(IMAGES, "appliance.ova")
        # The scan keeps everything in its own directory under TMPDIR (scanner/cli/private_tmpdir.h).
        extracted = lambda tmp, kids: any(n.startswith("imageprobe-ova.")
                                          for _, dirs, _ in os.walk(tmp) for n in dirs)
        self.interrupt(image, signal.SIGINT, extracted, "the OVA was extracted")


if __name__ == "__main__":
    BINARY, SOURCE, SCRATCH = (os.path.abspath(a) for a in sys.argv[1:4])
    IMAGES = os.path.join(SCRATCH, "images")
    os.makedirs(IMAGES, exist_ok=True)
    build_images()
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[4:]])
