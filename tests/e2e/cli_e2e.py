#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end tests of the imageprobe binary on fixture trees (tests/fixtures/e2e/), scanned as
plain directories and as tar archives built here, at test time, in the scratch directory.

    cli_e2e.py IMAGEPROBE FIXTURES_DIR SCRATCH_DIR [unittest args]

Checks exit codes (0 ok, 1 gate failed, 2 usage or unreadable input), the one-line error for
bad inputs, the JSON report, a root without /etc, and that symlinks pointing at host files
(/etc/shadow, /proc/self/environ, an absolute path outside the tree) are resolved inside the
image: the report must show the guest's files and nothing of the host's.
"""
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time
import unittest

BINARY = FIXTURES = SCRATCH = None
CANARY = "imageprobe-host-canary-7f3a9c"


def run(*args, env_extra=None, as_nobody=False):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["IMAGEPROBE_E2E_CANARY"] = CANARY  # in our own /proc/self/environ: must never show up
    env.update(env_extra or {})
    # as_nobody: root reads any file whatever its mode, so permission checks run as nobody.
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] if as_nobody else []
    return subprocess.run([*prefix, BINARY, *args], capture_output=True, text=True, env=env,
                          timeout=120)


def scratch(name):
    path = os.path.join(SCRATCH, name)
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    return path


def copy_fixture(name):
    dest = scratch("tree-" + name)
    shutil.copytree(os.path.join(FIXTURES, name), dest, symlinks=True)
    return dest


def make_tar(tree, name, mode="w"):
    path = scratch(name)
    with tarfile.open(path, mode) as tar:
        for entry in sorted(os.listdir(tree)):
            tar.add(os.path.join(tree, entry), arcname=entry)  # symlinks stored as symlinks
    return path


def hostile_tree():
    """The hostile fixture plus links that point at host paths. Each resolves, inside the image,
    to a guest file whose content says it is the guest's."""
    tree = copy_fixture("hostile")
    os.symlink("/etc/shadow", os.path.join(tree, "etc/os-release"))
    os.makedirs(os.path.join(tree, "etc/sysconfig"), exist_ok=True)  # git keeps no empty dirs
    os.symlink("/proc/self/environ", os.path.join(tree, "etc/sysconfig/network"))
    canary = scratch("host-canary-os-release")
    with open(canary, "w") as f:
        f.write(f"ID={CANARY}\nVERSION_ID=1\n")
    os.symlink(canary, os.path.join(tree, "usr/lib/os-release-alias"))
    os.symlink("../../../../../../../../" + canary.lstrip("/"),
               os.path.join(tree, "etc/lsb-release"))
    return tree


def digest_and_mtime(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), os.stat(path).st_mtime_ns


class ExitCodes(unittest.TestCase):
    def test_version_and_help(self):
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^imageprobe \d+\.\d+\.\d+\ncommit: ")
        self.assertIn("engines:", r.stdout)
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("Exit codes:", r.stdout)
        self.assertIn("2  usage error", r.stdout)

    def test_ok_and_gate(self):
        trusty = os.path.join(FIXTURES, "trusty")
        noble = os.path.join(FIXTURES, "noble")
        self.assertEqual(run("scan", "-q", trusty).returncode, 0)
        r = run("scan", "-q", "--fail-on", "high", trusty)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("os.end_of_life", r.stdout)
        self.assertEqual(run("scan", "-q", "--fail-on", "critical", trusty).returncode, 0)
        # 24.04 is supported until 2029-05-31 (standard support); --as-of keeps this test true
        # after that day, and shows the flag reaches the end-of-life judgement.
        self.assertEqual(run("scan", "-q", "--as-of", "2026-12-01", "--fail-on", "info", noble).returncode, 0)
        r = run("scan", "-q", "--as-of", "2029-06-01", "--fail-on", "medium", noble)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("os.end_of_life", r.stdout)

    def test_usage_errors(self):
        trusty = os.path.join(FIXTURES, "trusty")
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("scan").returncode, 2)
        self.assertEqual(run("scan", trusty, "--format", "yaml").returncode, 2)
        r = run("scan", trusty, "--probe", "no.such.probe")
        self.assertEqual(r.returncode, 2)
        self.assertIn('unknown probe "no.such.probe"; valid probes: os', r.stderr)
        self.assertEqual(r.stdout, "")


class BadInput(unittest.TestCase):
    def assert_one_line_error(self, path, reason_fragment=None, as_nobody=False):
        r = run("scan", path, as_nobody=as_nobody)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("imageprobe: "), lines[0])
        self.assertIn(path, lines[0])
        self.assertNotIn("Traceback", r.stderr)
        if reason_fragment:
            self.assertIn(reason_fragment, lines[0])
        return lines[0]

    def test_missing_path(self):
        self.assert_one_line_error(os.path.join(SCRATCH, "does-not-exist.img"),
                                   "no such file or directory")

    def test_zero_byte_file(self):
        path = scratch("empty.img")
        open(path, "wb").close()
        self.assert_one_line_error(path, "empty file")

    def test_random_bytes(self):
        data = bytearray(random.Random(20261123).randbytes(256 * 1024))
        data[510:512] = b"\0\0"  # never an MBR boot signature by chance
        path = scratch("random.img")
        with open(path, "wb") as f:
            f.write(data)
        before = digest_and_mtime(path)
        self.assert_one_line_error(path)
        self.assertEqual(digest_and_mtime(path), before)

    def test_unreadable_file(self):
        path = scratch("unreadable.img")
        with open(path, "wb") as f:
            f.write(b"x" * 4096)
        os.chmod(path, 0)
        self.assert_one_line_error(path, "permission denied", as_nobody=os.geteuid() == 0)

    def test_output_onto_the_input_is_refused(self):
        tar = make_tar(os.path.join(FIXTURES, "trusty"), "trusty-out.tar")
        before = digest_and_mtime(tar)
        r = run("scan", tar, "-o", tar)
        self.assertEqual(r.returncode, 2)
        self.assertIn("refusing to write the report onto the input", r.stderr)
        self.assertEqual(digest_and_mtime(tar), before)
        tree = copy_fixture("noble")
        r = run("scan", tree, "-o", os.path.join(tree, "etc", "report.txt"))
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(os.path.join(tree, "etc", "report.txt")))


class DamagedImages(unittest.TestCase):
    """Damaged disks (issue 7): each is refused by the format checks before any appliance
    starts, with exit 2 and one line naming the file and the reason. (A corrupted filesystem
    inside an intact partition table does reach the appliance: see the guestfs test
    GuestfsLayout.PartlyMountableImageIsReportedPartial, which reports it partial.)"""

    @classmethod
    def setUpClass(cls):
        cls.dir = scratch("damaged")
        os.makedirs(cls.dir)
        script = """set -e
        truncate -s 16M disk.raw; printf 'label: gpt\\n,\\n' | sfdisk -q disk.raw
        cp disk.raw cut.raw; truncate -s 6M cut.raw
        mkdir -p t/etc; echo ID=x > t/etc/os-release
        mkfs.ext4 -q -F -d t bad-sb.ext4 8M
        printf '\\377\\377\\377\\377' | dd of=bad-sb.ext4 bs=1 seek=$((1024 + 24)) conv=notrunc status=none
        dd if=/dev/urandom of=data.raw bs=1M count=4 status=none
        qemu-img convert -q -O qcow2 data.raw half.qcow2
        truncate -s $(( $(stat -c %s half.qcow2) / 2 )) half.qcow2
        qemu-img convert -q -O vmdk -o subformat=monolithicFlat data.raw flat.vmdk
        rm flat-flat.vmdk
        qemu-img convert -q -O vmdk -o subformat=streamOptimized data.raw stream.vmdk
        truncate -s $(( $(stat -c %s stream.vmdk) / 2 + 100 )) stream.vmdk
        """
        subprocess.run(["bash", "-c", script], cwd=cls.dir, check=True)

    def damaged(self, name, reason):
        path = os.path.join(self.dir, name)
        before = digest_and_mtime(path)
        start = time.monotonic()
        BadInput.assert_one_line_error(self, path, reason)
        self.assertLess(time.monotonic() - start, 10)  # no appliance was started
        self.assertEqual(digest_and_mtime(path), before)

    def test_truncated_raw_disk(self):
        self.damaged("cut.raw", "truncated: GPT")

    def test_corrupted_ext4_superblock(self):
        self.damaged("bad-sb.ext4", "ext superblock is corrupt")

    def test_half_written_qcow2(self):
        self.damaged("half.qcow2", "truncated: qcow2")

    def test_vmdk_descriptor_naming_a_missing_extent(self):
        self.damaged("flat.vmdk", 'extent "flat-flat.vmdk"')

    def test_stream_optimized_vmdk_cut_mid_grain(self):
        self.damaged("stream.vmdk", "truncated: VMDK grain")


class Reports(unittest.TestCase):
    def scan_json(self, *paths, extra=()):
        r = run("scan", "-q", "--format", "json", *extra, *paths)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout), r

    def test_json_report_of_a_directory(self):
        report, _ = self.scan_json(os.path.join(FIXTURES, "trusty"))
        self.assertEqual(report["schema"], "imageprobe/report/v1")
        self.assertEqual(report["input"]["format"], "directory")
        self.assertEqual(len(report["roots"]), 1)
        root = report["roots"][0]
        self.assertTrue(root["os"]["detected"])
        self.assertEqual(root["os"]["id"], "ubuntu")
        self.assertEqual(root["os"]["version_id"], "14.04")
        self.assertEqual(root["os"]["hostname"], "trusty-builder")
        self.assertEqual(root["os"]["package_format"], "deb")
        self.assertEqual(root["probes"][0], {**root["probes"][0], "name": "os", "status": "ran"})
        self.assertEqual([f["rule_id"] for f in root["findings"]], ["os.end_of_life"])
        self.assertEqual(root["findings"][0]["severity"], "high")
        self.assertEqual(report["summary"]["counts"]["high"], 1)
        self.assertEqual(report["summary"]["max_severity"], "high")
        self.assertFalse(report["partial"])

    def test_several_images_make_an_array_in_order(self):
        trusty, noble = os.path.join(FIXTURES, "trusty"), os.path.join(FIXTURES, "noble")
        reports, _ = self.scan_json(trusty, noble)
        self.assertIsInstance(reports, list)
        self.assertEqual([r["input"]["path"] for r in reports], [trusty, noble])
        r = run("scan", "-q", trusty, noble)
        self.assertEqual(r.returncode, 0)
        self.assertLess(r.stdout.index(trusty), r.stdout.index(noble))
        self.assertEqual(r.stdout.count("summary:"), 2)

    def test_directory_without_etc(self):
        report, r = self.scan_json(os.path.join(FIXTURES, "no-etc"))
        root = report["roots"][0]
        self.assertFalse(root["os"]["detected"])
        self.assertEqual(root["probes"][0]["status"], "not_applicable")
        self.assertIn("no /etc", root["probes"][0]["reason"])
        self.assertEqual(root["findings"], [])
        text = run("scan", "-q", os.path.join(FIXTURES, "no-etc"))
        self.assertEqual(text.returncode, 0)
        self.assertIn("os:        not detected", text.stdout)

    def test_output_file(self):
        out = scratch("report.json")
        r = run("scan", "-q", "-f", "json", "-o", out, os.path.join(FIXTURES, "noble"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        with open(out) as f:
            self.assertEqual(json.load(f)["roots"][0]["os"]["version_id"], "24.04")

    def test_text_has_no_colour_when_piped(self):
        r = run("scan", os.path.join(FIXTURES, "trusty"))
        self.assertNotIn("\x1b", r.stdout)
        self.assertEqual(r.stderr, "")  # progress only on a terminal

    def test_rules(self):
        r = run("rules", "--format", "json")
        self.assertEqual(r.returncode, 0)
        ids = [rule["id"] for p in json.loads(r.stdout)["probes"] for rule in p["rules"]]
        self.assertIn("os.end_of_life", ids)
        self.assertEqual(len(ids), len(set(ids)))


class HostileSymlinks(unittest.TestCase):
    """Links to the host's /etc/shadow, /proc/self/environ and an absolute path outside the
    tree. Proof that nothing of the host is read: the guest's own files are what the report
    shows (a host read would give other values or parse errors), and no host content (the
    canary in our environment and in the outside file, host shadow lines) appears anywhere."""

    def check(self, path):
        with open("/etc/shadow") as f:
            host_shadow_users = [l.split(":")[0] + ":" for l in f if l.strip()]
        r = run("scan", "-q", "--format", "json", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        os_info = report["roots"][0]["os"]
        # /etc/os-release -> /etc/shadow resolved to the GUEST's /etc/shadow.
        self.assertEqual(os_info["id"], "guest-shadow")
        # /etc/sysconfig/network -> /proc/self/environ resolved to the guest's file.
        self.assertEqual(os_info["hostname"], "guest-environ")
        everything = r.stdout + r.stderr
        self.assertNotIn(CANARY, everything)
        self.assertNotIn("NUL byte", everything)  # the host's environ is NUL-separated
        for user in host_shadow_users:
            self.assertNotIn(user, everything)
        text = run("scan", "-q", path)
        self.assertNotIn(CANARY, text.stdout + text.stderr)

    def test_directory(self):
        self.check(hostile_tree())

    def test_tar(self):
        self.check(make_tar(hostile_tree(), "hostile.tar"))


class Archives(unittest.TestCase):
    def test_tar_and_tar_gz(self):
        for name, mode in (("trusty.tar", "w"), ("trusty.tar.gz", "w:gz")):
            with self.subTest(name):
                tar = make_tar(os.path.join(FIXTURES, "trusty"), name, mode)
                before = digest_and_mtime(tar)
                r = run("scan", "-q", "--format", "json", "--hash", "--fail-on", "high", tar)
                self.assertEqual(r.returncode, 1, r.stderr)
                report = json.loads(r.stdout)
                self.assertEqual(report["roots"][0]["os"]["version_id"], "14.04")
                self.assertEqual(report["input"]["sha256"], before[0])
                self.assertEqual(digest_and_mtime(tar), before)


class Diff(unittest.TestCase):
    """`imageprobe diff` on the demo tree (tests/fixtures/demo/v1, modes and owners from
    v1.perms applied to a copy; tests run as root) and a v2 that lost every authorized_keys."""

    @classmethod
    def setUpClass(cls):
        demo = os.path.join(FIXTURES, os.pardir, "demo")
        cls.v1 = scratch("demo-v1")
        shutil.copytree(os.path.join(demo, "v1"), cls.v1, symlinks=True)
        with open(os.path.join(demo, "v1.perms")) as perms:
            for line in perms:
                if not line.strip() or line.startswith("#"):
                    continue
                mode, uid, gid, rel = line.split(maxsplit=3)
                path = os.path.join(cls.v1, rel.strip())
                os.chown(path, int(uid), int(gid), follow_symlinks=False)
                os.chmod(path, int(mode, 8))
        cls.v2 = scratch("demo-v2")
        shutil.copytree(cls.v1, cls.v2, symlinks=True)
        removed = 0
        for dirpath, _, files in os.walk(cls.v2):
            if "authorized_keys" in files:
                os.remove(os.path.join(dirpath, "authorized_keys"))
                removed += 1
        assert removed == 5, removed

    def test_lost_keys_are_a_regression(self):
        r = run("diff", "-q", self.v1, self.v2)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        headline = "! REGRESSION: authorized_keys removed for 5 users: alice, ci, deploy, root, ubuntu"
        self.assertIn(headline, lines)
        self.assertLess(lines.index(headline), lines.index(next(l for l in lines if l.startswith("ssh/authorized_key:"))))
        self.assertNotIn("\x1b", r.stdout)  # piped: no colour
        gate = run("diff", "-q", "--fail-on-regression", self.v1, self.v2)
        self.assertEqual(gate.returncode, 1, gate.stderr)
        self.assertEqual(gate.stdout, r.stdout)
        back = run("diff", "-q", "--fail-on-regression", self.v2, self.v1)
        self.assertEqual(back.returncode, 0, back.stderr)  # keys gained: not a regression
        self.assertIn("authorized keys added for 5 users: alice, ci, deploy, root, ubuntu", back.stdout)

    def test_json_diff(self):
        r = run("diff", "-q", "--format", "json", self.v1, self.v2)
        self.assertEqual(r.returncode, 0, r.stderr)
        diff = json.loads(r.stdout)
        self.assertEqual(diff["schema"], "imageprobe/diff/v1")
        self.assertTrue(diff["regression"])
        self.assertEqual(diff["old"]["path"], self.v1)
        removed_users = {f["old"]["user"] for f in diff["facts"]
                         if f["kind"] == "ssh/authorized_key" and f["change"] == "removed"}
        self.assertEqual(removed_users, {"alice", "ci", "deploy", "root", "ubuntu"})
        self.assertTrue(all(f["change"] == "removed" for f in diff["facts"]
                            if f["kind"] == "ssh/authorized_key"))

    def test_tree_against_itself(self):
        r = run("diff", "-q", "--fail-on-regression", self.v1, self.v1)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("\nno changes\n", r.stdout)

    def test_saved_report_against_a_directory(self):
        saved = scratch("demo-v1.json")
        r = run("scan", "-q", "--format", "json", "-o", saved, self.v1)
        self.assertEqual(r.returncode, 0, r.stderr)
        same = run("diff", "-q", saved, self.v1)
        self.assertEqual(same.returncode, 0, same.stderr)
        self.assertIn("\nno changes\n", same.stdout)
        gate = run("diff", "-q", "--fail-on-regression", saved, self.v2)
        self.assertEqual(gate.returncode, 1, gate.stderr)
        self.assertIn("authorized_keys removed for 5 users", gate.stdout)

    def test_two_tar_archives(self):
        # Two images that are not directories: both sides opened and scanned at once.
        v1 = make_tar(self.v1, "demo-v1.tar")
        v2 = make_tar(self.v2, "demo-v2.tar.gz", "w:gz")
        before = [digest_and_mtime(v1), digest_and_mtime(v2)]
        r = run("diff", "-q", "--fail-on-regression", v1, v2)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("! REGRESSION: authorized_keys removed for 5 users: alice, ci, deploy, root, ubuntu",
                      r.stdout.splitlines())
        directories = run("diff", "-q", self.v1, self.v2)
        self.assertEqual(r.stdout.split("\n", 3)[3], directories.stdout.split("\n", 3)[3])
        self.assertEqual([digest_and_mtime(v1), digest_and_mtime(v2)], before)

    def test_bad_json_input(self):
        other = scratch("not-a-report.json")
        with open(other, "w") as f:
            json.dump({"schema": "https://example.org/other-tool/v1"}, f)
        r = run("diff", "-q", other, self.v1)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertTrue(r.stderr.startswith("imageprobe: " + other + ": "), r.stderr)


if __name__ == "__main__":
    BINARY, FIXTURES, SCRATCH = sys.argv[1:4]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], *sys.argv[4:]], verbosity=2)
