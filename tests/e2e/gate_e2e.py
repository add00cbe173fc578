#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: the release gate (profiles, expectations, suppressions) on the demo trees.

    gate_e2e.py IMAGEPROBE TOOLS_DIR SCRATCH_DIR [unittest args]

tools/make-demo-images --trees-only builds the two demo root trees as directories (no image, no
appliance): v1, and v2 where the pipeline's cleanup deleted every authorized_keys. The incident
check: an expectations file requiring the deploy and ci keys (fingerprints from ssh-keygen -l,
the oracle) passes v1 (exit 0 with --fail-on high) and stops v2 (exit 1, expect.* findings
naming the lost keys).
"""
import json
import os
import subprocess
import sys
import unittest

BINARY = TOOLS = SCRATCH = None


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300)


def fingerprints(authorized_keys):
    """SHA256 fingerprints of every key in the file, as ssh-keygen -l prints them."""
    out = subprocess.run(["ssh-keygen", "-l", "-f", authorized_keys], capture_output=True,
                         text=True, check=True).stdout
    return [line.split()[1] for line in out.splitlines()]


def findings(report, **match):
    return [f for root in report["roots"] for f in root["findings"]
            if all(f.get(k) == v for k, v in match.items())]


class Gate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(SCRATCH, "gate-demo")
        subprocess.run([os.path.join(TOOLS, "make-demo-images"), "--trees-only", cls.out],
                       check=True)
        cls.v1 = os.path.join(cls.out, "v1-root")
        cls.v2 = os.path.join(cls.out, "v2-root")
        cls.deploy_keys = fingerprints(os.path.join(cls.v1, "home/deploy/.ssh/authorized_keys"))
        cls.ci_keys = fingerprints(os.path.join(cls.v1, "home/ci/.ssh/authorized_keys"))
        cls.expect = cls.write("expect.json", json.dumps({
            "version": 1,
            "users": {
                "deploy": {"authorized_keys": cls.deploy_keys,
                           "sudo": {"nopasswd": True, "all_commands": False}},
                "ci": {"authorized_keys": cls.ci_keys},
                "packer": {"exists": False},
            },
            "paths": {"present": ["/etc/ssh/sshd_config"], "absent": ["/root/.bash_history"]},
        }, indent=2))

    @classmethod
    def write(cls, name, text):
        path = os.path.join(cls.out, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def scan(self, *args):
        r = run("scan", "--quiet", "--format", "json", *args)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return r.returncode, json.loads(r.stdout)

    def test_incident_v1_passes_the_expectations(self):
        self.assertTrue(self.deploy_keys and self.ci_keys)
        code, report = self.scan("--expect", self.expect, "--fail-on", "high", self.v1)
        self.assertEqual(findings(report, rule_id="expect.authorized_key.missing"), [])
        self.assertEqual([f for f in findings(report) if f["rule_id"].startswith("expect.")], [])
        self.assertEqual(code, 0, [f["title"] for f in findings(report)])

    def test_incident_v2_fails_naming_the_lost_keys(self):
        code, report = self.scan("--expect", self.expect, "--fail-on", "high", self.v2)
        self.assertEqual(code, 1)
        lost = findings(report, rule_id="expect.authorized_key.missing")
        self.assertEqual(sorted((f["user"], f["severity"]) for f in lost),
                         sorted([("deploy", "high")] * len(self.deploy_keys) +
                                [("ci", "high")] * len(self.ci_keys)))
        for f in lost:
            self.assertIn("found: no authorized keys for " + f["user"], f["evidence"])
        # The other expectations still hold on v2.
        self.assertEqual(len([f for f in findings(report) if f["rule_id"].startswith("expect.")]),
                         len(lost))
        text = run("scan", "--quiet", "--expect", self.expect, self.v2)
        self.assertIn("deploy lost expected key " + self.deploy_keys[0], text.stdout)

    def test_paths_and_users_that_must_be_absent(self):
        expect = self.write("expect-absent.json", json.dumps({
            "version": 1, "users": {"alice": {"exists": False}},
            "paths": {"absent": ["/etc/sudoers.d/deploy"], "present": ["/etc/motd"]}}))
        code, report = self.scan("--expect", expect, "--fail-on", "high", self.v1)
        self.assertEqual(code, 1)
        self.assertEqual(sorted(f["rule_id"] for f in findings(report)
                                if f["rule_id"].startswith("expect.")),
                         ["expect.path.missing", "expect.path.unexpected", "expect.user.unexpected"])
        facts = {f["key"]: f["data"] for f in report["roots"][0]["facts"] if f["kind"] == "fs/path"}
        self.assertEqual(facts["/etc/sudoers.d/deploy"]["mode"], "0440")
        self.assertFalse(facts["/etc/motd"]["present"])

    def test_malformed_expect_file_is_a_usage_error(self):
        bad = self.write("bad-expect.json", '{"version": 1, "users": {"deploy": {"keys": []}}}')
        r = run("scan", "--quiet", "--expect", bad, self.v1)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        self.assertIn(bad + ": users.deploy.keys: unknown key", r.stderr)

    def test_release_profile_raises_and_forensic_never_gates(self):
        _, default = self.scan(self.v2)
        _, release = self.scan("--profile", "release", self.v2)
        self.assertEqual(release["profile"], "release")
        raised = [f for f in findings(release) if "default_severity" in f]
        for f in raised:
            self.assertNotEqual(f["severity"], f["default_severity"])
        by_identity = {f["identity"]: f["severity"] for f in findings(default)}
        for f in raised:
            self.assertEqual(by_identity[f["identity"]], f["default_severity"])
        r = run("scan", "--profile", "forensic", "--fail-on", "info", "--expect", self.expect,
                "--format", "json", self.v2)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("--fail-on has no effect with --profile forensic", r.stderr)
        self.assertTrue(findings(json.loads(r.stdout), rule_id="expect.authorized_key.missing"))

    def test_ignore_file_suppresses_and_expired_entries_say_so(self):
        ignore = self.write("ignore.yaml", "\n".join([
            "version: 1",
            "ignore:",
            "  - rule: expect.authorized_key.missing",
            "    user: deploy",
            "    reason: deploy keys move to EC2 Instance Connect (CHG-1234)",
            "  - rule: expect.authorized_key.missing",
            "    user: ci",
            "    reason: old exception",
            "    expires: 2001-01-31",
            "  - rule: ssm.registration.present",
            "    reason: left from an old image",
            ""]))
        code, report = self.scan("--expect", self.expect, "--ignore", ignore, "--fail-on", "high",
                                 self.v2)
        self.assertEqual(code, 1)  # ci's keys: its entry expired
        deploy = findings(report, rule_id="expect.authorized_key.missing", user="deploy")
        self.assertTrue(deploy)
        for f in deploy:
            self.assertEqual(f["suppressed"]["by"], "ignore_file")
            self.assertIn("CHG-1234", f["suppressed"]["reason"])
        for f in findings(report, rule_id="expect.authorized_key.missing", user="ci"):
            self.assertNotIn("suppressed", f)
        expired = findings(report, rule_id="ignore.expired")
        self.assertEqual(len(expired), 1)
        self.assertIn("expires 2001-01-31", expired[0]["evidence"])
        self.assertEqual(len(findings(report, rule_id="ignore.unused")), 1)
        self.assertEqual(report["summary"]["suppressed"], len(deploy))

    def test_baseline_reports_only_what_is_new(self):
        base = os.path.join(self.out, "v1-report.json")
        r = run("scan", "--quiet", "--format", "json", "--output", base, self.v1)
        self.assertEqual(r.returncode, 0, r.stderr)
        code, same = self.scan("--baseline", base, "--fail-on", "info", self.v1)
        self.assertEqual(code, 0)
        self.assertTrue(findings(same))
        self.assertTrue(all(f["suppressed"]["by"] == "baseline" for f in findings(same)))
        code, newer = self.scan("--baseline", base, "--fail-on", "high", self.v2)
        self.assertEqual(code, 1)  # v2's incidents are new since v1
        new = [f["rule_id"] for f in findings(newer) if "suppressed" not in f]
        self.assertIn("sshd.permit_root_login", new)
        text = run("scan", "--quiet", "--baseline", base, self.v1).stdout
        self.assertIn("suppressed (%d)" % len(findings(same)), text)

    def test_rules_lists_the_gate_rules(self):
        r = run("rules", "--format", "json")
        ids = {rule["id"] for group in json.loads(r.stdout)["probes"] for rule in group["rules"]}
        for rule in ("expect.authorized_key.missing", "expect.unverifiable", "ignore.expired",
                     "ignore.unused"):
            self.assertIn(rule, ids)


if __name__ == "__main__":
    BINARY, TOOLS, SCRATCH = sys.argv[1:4]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[4:]])
