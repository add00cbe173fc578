#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: the hostile fixture of issue 7 (tests/e2e/make_hostile_tree.py, built here at test
time) scanned as a directory and, with --image, as an ext4 image through libguestfs.

    hostile_e2e.py IMAGEPROBE SCRATCH_DIR [--image] [unittest args]

Checks that the scan ends in bounded time with exit 0, that the report is marked partial with
errors that name the file and the reason (the 2 GiB sparse authorized_keys, the 100,000-entry
directory, symlink loops, the Include cycle), that a symlink to a host file is read inside the
image (the host canary never shows), and that no raw control character from the image reaches
any text output: every --format the CLI offers (enumerated from `scan --help`, so new formats are
covered) and stderr; the JSON output must parse (JSON escapes control characters itself).

The image variant boots one appliance: it checks the JSON report (partial, errors, parses) and
that its facts equal the directory scan's, so the directory's text checks cover the same strings.
"""
import json
import os
import re
import subprocess
import sys
import tarfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_hostile_tree  # noqa: E402

BINARY = SCRATCH = None
IMAGE = False
CANARY = "imageprobe-hostile-host-canary-51c2"
TIME_LIMIT = 120  # seconds for a directory scan; the appliance gets more below


def run(*args, timeout=TIME_LIMIT, extra_env=None):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(extra_env or {})
    start = time.monotonic()
    r = subprocess.run([BINARY, *args], capture_output=True, env=env, timeout=timeout)
    return r, time.monotonic() - start


def decoded(data):
    return data.decode("utf-8", "surrogateescape")


def raw_controls(text, json_text=False):
    """Control characters other than newline and tab (C0, DEL, C1 as UTF-8 or raw bytes). In
    JSON, DEL and C1 are legal unescaped (RFC 8259 escapes only C0), and a JSON consumer
    decodes strings before showing them: there only C0 counts."""
    bad = []
    for i, c in enumerate(text):
        o = ord(c)
        if c in "\n\t":
            continue
        if json_text and o >= 0x20 and not 0xDC80 <= o <= 0xDC9F:
            continue
        if o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F or 0xDC80 <= o <= 0xDC9F:
            bad.append((i, repr(text[max(0, i - 30):i + 30])))
    return bad


def formats_offered():
    r, _ = run("scan", "--help")
    help_text = decoded(r.stdout)
    m = re.search(r"--format\s+\S*?:\{([^}]*)\}", help_text)
    if not m:
        raise AssertionError("cannot find the --format choices in `scan --help`:\n" + help_text)
    return [f.strip() for f in m.group(1).split(",")]


def build_tree():
    root = os.path.join(SCRATCH, "hostile-root")
    stamp = os.path.join(SCRATCH, "hostile-root.complete")
    script = make_hostile_tree.__file__
    if not (os.path.exists(stamp) and os.path.getmtime(stamp) > os.path.getmtime(script)):
        make_hostile_tree.build(root)
        open(stamp, "w").close()
    # A host file the image links to: must never be read (absolute links are re-rooted).
    canary = os.path.join(SCRATCH, "host-canary")
    with open(canary, "w") as f:
        f.write(f"{make_hostile_tree.PUBKEY} {CANARY}\n")
    link = os.path.join(root, "home/deep/.ssh/authorized_keys2")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(canary, link)
    return root


def build_image():
    """The hostile tree as an ext4 image. mke2fs -d inserts directory entries one linear scan at
    a time (100,000 files take tens of minutes) and mke2fs 1.47.0 aborts with heap corruption
    past ~1,000 nested levels, so: the tree without the crowded directory and 1,000 levels deep
    goes in with mkfs.ext4 -d, and the 100,000 files with one guestfish tar-in (the appliance's
    kernel indexes the directory)."""
    image = os.path.join(SCRATCH, "hostile.ext4")
    stamp = image + ".complete"
    script = make_hostile_tree.__file__
    if os.path.exists(stamp) and os.path.getmtime(stamp) > os.path.getmtime(script):
        return image
    staging = os.path.join(SCRATCH, "hostile-image-root")
    make_hostile_tree.build(staging, files=0, depth=1000)
    crowd = os.path.join(SCRATCH, "crowd.tar")
    with tarfile.open(crowd, "w") as tar:
        for i in range(100_000):
            info = tarfile.TarInfo(f"f{i:06d}")
            tar.addfile(info)
    if os.path.exists(image):
        os.remove(image)
    with open(image, "wb") as f:
        f.truncate(1 << 30)  # sparse
    subprocess.run(["mkfs.ext4", "-q", "-F", "-b", "4096", "-N", "140000", "-L", "hostile",
                    "-d", staging, image], check=True)
    env = dict(os.environ)
    env.setdefault("LIBGUESTFS_BACKEND_SETTINGS", "force_tcg")
    subprocess.run(["guestfish", "--", "add", image, "format:raw", ":", "run", ":",
                    "mount", "/dev/sda", "/", ":", "tar-in", crowd, "/etc/ssh/sshd_config.d"],
                   check=True, env=env, timeout=1500)
    os.remove(crowd)
    subprocess.run(["rm", "-rf", "--", staging], check=True)
    open(stamp, "w").close()
    return image


def errors_of(report):
    return [(e.get("source", ""), e["path"], e["message"])
            for root in report["roots"] for e in root["errors"]] + \
           [("", e["path"], e["message"]) for e in report.get("errors", [])]


def comparable_facts(report):
    """Facts without free-text reasons (backend wording) and mtimes (the image is made from its
    own copy of the tree)."""
    def strip(data):
        if isinstance(data, dict):
            return {k: strip(v) for k, v in data.items() if k != "reason" and "mtime" not in k}
        return data
    return {(f["kind"], f["key"]): strip(f["data"]) for f in report["roots"][0]["facts"]}


class HostileDirectory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = build_tree()
        cls.formats = formats_offered()
        cls.runs = {}
        for fmt in cls.formats:
            cls.runs[fmt] = run("scan", "--format", fmt, cls.root)
        cls.report = json.loads(cls.runs["json"][0].stdout)

    def test_formats_enumerated(self):
        self.assertIn("text", self.formats)
        self.assertIn("json", self.formats)

    def test_bounded_time_and_exit_zero(self):
        for fmt, (r, seconds) in self.runs.items():
            self.assertEqual(r.returncode, 0, f"{fmt}: {decoded(r.stderr)}")
            self.assertLess(seconds, TIME_LIMIT, fmt)

    def test_peak_memory_under_512_mib(self):
        # imageprobe's own high-water mark (VmHWM), printed at exit under IMAGEPROBE_TRACE.
        r, _ = run("scan", "--quiet", "--format", "json", self.root,
                   extra_env={"IMAGEPROBE_TRACE": "1"})
        self.assertEqual(r.returncode, 0, decoded(r.stderr))
        peak = re.search(rb"peak resident memory of this process \(VmHWM\): (\d+) KiB", r.stderr)
        self.assertIsNotNone(peak, decoded(r.stderr)[-2000:])
        self.assertLess(int(peak.group(1)), 512 * 1024)
        self.assertGreater(int(peak.group(1)), 0)

    def test_no_raw_control_character_in_any_output(self):
        for fmt, (r, _) in self.runs.items():
            for stream, data in (("stdout", r.stdout), ("stderr", r.stderr)):
                json_text = fmt in ("json", "sarif") and stream == "stdout"  # SARIF is JSON too
                bad = raw_controls(decoded(data), json_text=json_text)
                self.assertEqual(bad[:5], [], f"--format {fmt} {stream}: {len(bad)} raw controls")
        # The escapes were there to be caught: the report carries them (escaped) from the image.
        def strings(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    yield k
                    yield from strings(v)
            elif isinstance(node, list):
                for v in node:
                    yield from strings(v)
            elif isinstance(node, str):
                yield node
        self.assertTrue(any("\x1b[2J" in s for s in strings(self.report)))

    def test_partial_with_errors_naming_file_and_reason(self):
        self.assertTrue(self.report["partial"])
        errors = errors_of(self.report)
        for _, path, message in errors:
            self.assertTrue(path or message, errors)

        def has(path_fragment, reason_fragment):
            return any(path_fragment in p + " " + m and reason_fragment in m
                       for _, p, m in errors)
        self.assertTrue(has("/root/.ssh/authorized_keys", "too large"), errors)
        self.assertTrue(has("/etc/ssh/sshd_config.d", "more than 100000 entries"), errors)
        # A loop through /etc/ssh (sub -> /etc/ssh) and a link loop on a home's .ssh.
        self.assertTrue(has("/etc/ssh/ssh_host_ecdsa_key.pub", "symbolic links"), errors)
        self.assertTrue(has("/home/nul/.ssh", "symbolic links"), errors)
        self.assertTrue(has("/etc/sudoers.d/loop", "include loop"), errors)
        # sshd's own Include cycle: sshd refuses the line, so it is a finding, not a read error.
        findings = [f for root in self.report["roots"] for f in root["findings"]]
        self.assertTrue(any(f["rule_id"] == "sshd.config.unparsable" and
                            "Include loop: /etc/ssh/cycle/a.conf" in f["evidence"]
                            for f in findings))

    def test_host_files_never_read(self):
        for fmt, (r, _) in self.runs.items():
            self.assertNotIn(CANARY, decoded(r.stdout + r.stderr), fmt)

    def test_users_with_escapes_are_reported(self):
        users = [f for f in self.report["roots"][0]["facts"] if f["kind"] == "users/user"]
        names = {u["key"] for u in users}
        self.assertIn("evil\x1b[2J", names, sorted(names)[:20])
        text = decoded(self.runs["text"][0].stdout)
        self.assertIn("evil\\x1B[2J", text)  # shown escaped, not dropped


class HostileImage(unittest.TestCase):
    """The same tree as an ext4 filesystem image, scanned through one libguestfs appliance."""

    @classmethod
    def setUpClass(cls):
        cls.root = build_tree()
        cls.image = build_image()
        cls.scan, cls.seconds = run("scan", "--quiet", "--format", "json", cls.image, timeout=1500)
        cls.directory, _ = run("scan", "--format", "json", cls.root)

    def test_bounded_time_partial_and_json_parses(self):
        self.assertEqual(self.scan.returncode, 0, decoded(self.scan.stderr))
        self.assertLess(self.seconds, 1500)
        report = json.loads(self.scan.stdout)
        self.assertTrue(report["partial"])
        self.assertEqual(raw_controls(decoded(self.scan.stdout), json_text=True), [])
        self.assertEqual(raw_controls(decoded(self.scan.stderr)), [])
        errors = errors_of(report)
        self.assertTrue(any("/root/.ssh/authorized_keys" in p + m and "too large" in m
                            for _, p, m in errors), errors)
        self.assertNotIn(CANARY, decoded(self.scan.stdout + self.scan.stderr))

    def test_facts_equal_the_directory_scan(self):
        image = json.loads(self.scan.stdout)
        directory = json.loads(self.directory.stdout)
        self.assertEqual(comparable_facts(image), comparable_facts(directory))


if __name__ == "__main__":
    BINARY, SCRATCH = sys.argv[1:3]
    rest = sys.argv[3:]
    if "--image" in rest:
        IMAGE = True
        rest.remove("--image")
        sys.argv.remove("--image")
        argv = [sys.argv[0], "-v", "HostileImage", *rest]
    else:
        argv = [sys.argv[0], "-v", "HostileDirectory", *rest]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=argv)
