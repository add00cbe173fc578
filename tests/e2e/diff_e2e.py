#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: `imageprobe diff` scenarios through the CLI on directory and tar inputs (no
appliance), and the noise test: two versions of one tree with exactly four changes.

    diff_e2e.py IMAGEPROBE TOOLS_DIR FIXTURES_DIR SCRATCH_DIR [unittest args]

Scenarios (issue 5): (2) v2's sshd_config recreated 0755 with a minimal option set; (3) a lifted
image with a stale mi- registration and another id's instance folder against its cleaned
version; (4) a saved JSON report against an image (tar); (5) an image against itself. (1), lost
authorized_keys on real disk images, is incidents_e2e.py. Bad input: one-line error, exit 2.
The same noise assertion on qcow2 images through libguestfs is diff_noise_guestfs_e2e.py.
"""
import json
import os
import shutil
import subprocess
import sys
import tarfile
import unittest

BINARY = TOOLS = FIXTURES = SCRATCH = None

# What the four changes of tools/make-diff-pair must produce, and nothing else: (kind, change,
# key) of facts, (rule_id, change, path) of findings, and the headlines. Every entry is a direct
# consequence of one of the four changes (see the comments).
NOISE_FACTS = {
    # every authorized_keys removed: the keys, their files, and who can log in with them
    *{("ssh/authorized_key", "removed", k) for k in (
        "alice|SHA256:Lpfb+XzTe238zTeQFTaXKnCGWReJkOFukF27rSlXHf0",
        "ci|SHA256:WjGDQpEegGA3ZZWjOWYwlRvL1DB4iKinZewpEovQqJg",
        "deploy|SHA256:U9ExfdGUumioGB4wawfKNwVylKO0kKVucRtV7i5QZ9c",
        "deploy|SHA256:lKWOwdgghcR77Er7niXod7N49O5oOyMnouaEa9nQQ70",
        "root|SHA256:PXCVf1fAh5hoONJzxQ7UZiEomP72KpTb4HGnf8dKI7w",
        "ubuntu|SHA256:PXCVf1fAh5hoONJzxQ7UZiEomP72KpTb4HGnf8dKI7w")},
    *{("ssh/authorized_keys_file", "removed", f"{u}|{h}/.ssh/authorized_keys") for u, h in (
        ("alice", "/home/alice"), ("ci", "/home/ci"), ("deploy", "/home/deploy"),
        ("root", "/root"), ("ubuntu", "/home/ubuntu"))},
    *{("users/user", "changed", u) for u in ("alice", "ci", "deploy", "root", "ubuntu")},
    # Image Builder's cleanup list no longer finds the deleted key files and host keys
    ("imagebuilder/cleanup_state", "changed", "cleanup"),
    # host keys removed: the keys and their four files
    ("ssh/host_key", "removed", "HOSTKEY-ecdsa"),
    ("ssh/host_key", "removed", "HOSTKEY-ed25519"),
    *{("file/config", "removed", f"/etc/ssh/ssh_host_{t}_key{s}")
      for t in ("ecdsa", "ed25519") for s in ("", ".pub")},
    # PermitRootLogin changed: the setting and the file (size, hash, text)
    ("sshd/setting", "changed", "PermitRootLogin"),
    ("sshd/config_file", "changed", "/etc/ssh/sshd_config"),
    ("file/config", "changed", "/etc/ssh/sshd_config"),
    # SSM registration removed: the registration and its file
    ("ssm/registration", "removed", "registration"),
    ("file/config", "removed", "/var/lib/amazon/ssm/registration"),
}
NOISE_FINDINGS = {
    # keys removed: the Image Builder and shared-key findings resolve, empty .ssh dirs appear
    ("imagebuilder.cleanup.deletes_authorized_keys", "removed", "/root/.ssh/authorized_keys"),
    ("ssh.authorized_keys.shared_key", "removed", "/root/.ssh/authorized_keys"),
    *{("ssh.authorized_keys.ssh_dir_without_keys", "added", f"{h}/.ssh") for h in (
        "/home/alice", "/home/ci", "/home/deploy", "/home/ubuntu", "/root")},
    # host keys removed
    ("ssh.host_keys.present", "removed", "/etc/ssh/ssh_host_ecdsa_key"),
    ("ssh.host_keys.present", "removed", "/etc/ssh/ssh_host_ed25519_key"),
    # PermitRootLogin yes
    ("sshd.permit_root_login", "added", "/etc/ssh/sshd_config"),
    # registration removed
    ("ssm.registration.present", "removed", "/var/lib/amazon/ssm/registration"),
}
NOISE_HEADLINES = [
    ("authorized_keys removed for 5 users: alice, ci, deploy, root, ubuntu", True),
    ("users who could log in no longer can: alice, ci, deploy, root, ubuntu", True),
    ("sshd PermitRootLogin: prohibit-password -> yes", False),
    ("ssm/registration removed: registration", False),
    ("host keys removed: 2 keys", False),
    ("1 new high/critical finding: sshd.permit_root_login", False),
]


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=300)


def scratch(name):
    path = os.path.join(SCRATCH, name)
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)
    return path


def copy_tree(tree, name):
    """cp -a: owners and modes survive (shutil.copytree drops owners)."""
    dest = scratch(name)
    subprocess.run(["cp", "-a", tree, dest], check=True)
    return dest


def make_tar(tree, name):
    path = scratch(name)
    with tarfile.open(path, "w") as tar:
        for entry in sorted(os.listdir(tree)):
            tar.add(os.path.join(tree, entry), arcname=entry)
    return path


def json_diff(old, new, *extra):
    r = run("diff", "-q", "--format", "json", *extra, old, new)
    if r.returncode not in (0, 1):
        raise AssertionError(f"diff exited {r.returncode}: {r.stderr}")
    return json.loads(r.stdout), r.returncode


def host_key_names(diff):
    """ssh/host_key keys are type|fingerprint and the fingerprints are made at test time."""
    names = {}
    for f in diff["facts"]:
        if f["kind"] == "ssh/host_key":
            data = f["old"] or f["new"]
            names[f["key"]] = "HOSTKEY-" + ("ecdsa" if "ecdsa" in data["type"] else "ed25519")
    return names


def noise_summary(diff):
    names = host_key_names(diff)
    facts = {(f["kind"], f["change"], names.get(f["key"], f["key"])) for f in diff["facts"]}
    findings = {(f.get("new", f.get("old"))["rule_id"], f["change"],
                 f.get("new", f.get("old"))["path"]) for f in diff["findings"]}
    headlines = [(h["text"], h["regression"]) for h in diff["headlines"]]
    return facts, findings, headlines


class Noise(unittest.TestCase):
    """Two versions of one tree with exactly four changes (and every mtime moved)."""

    @classmethod
    def setUpClass(cls):
        out = scratch("pair")
        subprocess.run([os.path.join(TOOLS, "make-diff-pair"), out], check=True)
        cls.v1, cls.v2 = os.path.join(out, "pair-v1"), os.path.join(out, "pair-v2")
        cls.diff, cls.code = json_diff(cls.v1, cls.v2, "--fail-on-regression")

    def test_exactly_the_four_changes(self):
        facts, findings, headlines = noise_summary(self.diff)
        self.assertEqual(facts, NOISE_FACTS)
        self.assertEqual(findings, NOISE_FINDINGS)
        self.assertEqual(headlines, NOISE_HEADLINES)
        self.assertEqual(self.code, 1)

    def test_changed_fields_are_only_the_real_ones(self):
        by_key = {(f["kind"], f["key"]): f for f in self.diff["facts"]}
        self.assertEqual(by_key[("sshd/setting", "PermitRootLogin")]["changed_fields"], ["value"])
        self.assertEqual(by_key[("sshd/config_file", "/etc/ssh/sshd_config")]["changed_fields"],
                         ["size"])
        config = by_key[("file/config", "/etc/ssh/sshd_config")]
        self.assertEqual(config["changed_fields"], ["sha256", "size", "text"])
        self.assertIn("-PermitRootLogin prohibit-password", config["text_diff"])
        self.assertIn("+PermitRootLogin yes", config["text_diff"])
        self.assertEqual(sum(l[0] in "+-" for l in config["text_diff"]), 2)
        for user in ("alice", "ci", "deploy", "root", "ubuntu"):
            self.assertEqual(by_key[("users/user", user)]["changed_fields"],
                             ["access", "can_log_in", "log_in_with"])
        # Secret-bearing files are compared by hash only, in the report and in the diff.
        private = by_key[("file/config", "/etc/ssh/ssh_host_ed25519_key")]["old"]
        self.assertEqual(private["content"], "hash_only")
        self.assertNotIn("text", private)
        self.assertNotIn("PRIVATE KEY", json.dumps(self.diff))

    def test_text_output_shows_the_unified_diff(self):
        r = run("diff", "-q", self.v1, self.v2)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertIn("        -PermitRootLogin prohibit-password", lines)
        self.assertIn("        +PermitRootLogin yes", lines)
        self.assertNotIn("2030", r.stdout)


class Scenarios(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.v1 = scratch("demo-v1")
        subprocess.run([os.path.join(TOOLS, "stage-tree"), os.path.join(FIXTURES, "demo", "v1"),
                        os.path.join(FIXTURES, "demo", "v1.perms"), cls.v1], check=True)

    def test_2_sshd_config_recreated_0755_minimal(self):
        v2 = copy_tree(self.v1, "demo-v2-sshd")
        config = os.path.join(v2, "etc/ssh/sshd_config")
        with open(config, "w") as f:
            f.write("PermitRootLogin yes\nSubsystem sftp /usr/lib/openssh/sftp-server\n")
        os.chmod(config, 0o755)
        v2_tar = make_tar(v2, "demo-v2-sshd.tar")
        diff, code = json_diff(self.v1, v2_tar, "--fail-on-regression")
        self.assertEqual(code, 1)  # new high findings (--fail-on defaults to high)
        headlines = [h["text"] for h in diff["headlines"]]
        self.assertIn("sshd PermitRootLogin: prohibit-password -> yes", headlines)
        self.assertIn("sshd PasswordAuthentication: no -> yes", headlines)  # Include dropped
        new_rules = {f["new"]["rule_id"] for f in diff["findings"] if f["change"] == "added"}
        self.assertTrue({"sshd.config.executable_mode", "sshd.permit_root_login",
                         "sshd.password_authentication"} <= new_rules, new_rules)
        by_key = {(f["kind"], f["key"]): f for f in diff["facts"]}
        config = by_key[("file/config", "/etc/ssh/sshd_config")]
        self.assertEqual((config["old"]["mode"], config["new"]["mode"]), ("0644", "0755"))
        self.assertIn("mode", config["changed_fields"])
        self.assertIn("-Include /etc/ssh/sshd_config.d/*.conf", config["text_diff"])
        self.assertIn("+PermitRootLogin yes", config["text_diff"])
        # The drop-in is no longer read: its inventory entry goes (the file itself stays).
        self.assertEqual(by_key[("file/config", "/etc/ssh/sshd_config.d/50-cloud-init.conf")]
                         ["change"], "removed")
        # The minimal file also drops Debian's UsePAM yes: under sshd's compiled default
        # (UsePAM no) a "!"-locked account may not log in even with its key (auth.c
        # allowed_user), so every key of these cloud-style accounts stops working.
        keys = [f for f in diff["facts"] if f["kind"] == "ssh/authorized_key"]
        self.assertTrue(keys)
        for key in keys:
            self.assertEqual((key["old"]["verdict"], key["new"]["verdict"]),
                             ("accepted", "refused"), key["key"])
            self.assertEqual(key["new"]["reason"], 'account locked ("!" password) and UsePAM no')
        self.assertTrue(any(h["text"].startswith("users who could log in no longer can")
                            for h in diff["headlines"]), headlines)

    def test_3_lifted_image_with_stale_registration_against_cleaned(self):
        lifted = copy_tree(os.path.join(FIXTURES, "ssm_lift_and_shift", "root"), "lifted")
        cleaned = copy_tree(lifted, "lifted-cleaned")
        ssm = os.path.join(cleaned, "var/lib/amazon/ssm")
        for name in os.listdir(ssm):
            path = os.path.join(ssm, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
        diff, code = json_diff(make_tar(lifted, "lifted.tar"), cleaned, "--fail-on-regression")
        self.assertEqual(code, 0)  # a cleanup is not a regression
        self.assertIn("ssm/registration removed: registration",
                      [h["text"] for h in diff["headlines"]])
        resolved = {(f["old"]["rule_id"], f["old"]["path"]) for f in diff["findings"]
                    if f["change"] == "removed"}
        self.assertIn(("ssm.registration.present", "/var/lib/amazon/ssm/registration"), resolved)
        self.assertIn(("ssm.instance_folder.leftover",
                       "/var/lib/amazon/ssm/mi-0ffee0ffee0ffee01"), resolved)
        self.assertIn(("ssm.vault.registration_key",
                       "/var/lib/amazon/ssm/Vault/Store/RegistrationKey"), resolved)
        self.assertTrue(all(f["change"] == "removed" for f in diff["findings"]))
        folders = {f["key"] for f in diff["facts"] if f["kind"] == "ssm/instance_folder"}
        self.assertEqual(folders, {"mi-0a1b2c3d4e5f60718", "mi-0ffee0ffee0ffee01"})
        # The Vault key file is inventoried by hash only: no key material in the diff.
        vault = [f for f in diff["facts"] if f["kind"] == "file/config"
                 and f["key"].startswith("/var/lib/amazon/ssm/")]
        self.assertTrue(vault)
        self.assertTrue(all(f["old"]["content"] == "hash_only" for f in vault))
        self.assertEqual([f["change"] for f in diff["facts"] if f["change"] != "removed"], [])

    def test_4_saved_report_against_an_image(self):
        saved = scratch("demo-v1-report.json")
        r = run("scan", "-q", "--format", "json", "-o", saved, self.v1)
        self.assertEqual(r.returncode, 0, r.stderr)
        v2 = copy_tree(self.v1, "demo-v2-nokeys")
        for dirpath, _, files in os.walk(v2):
            if "authorized_keys" in files:
                os.remove(os.path.join(dirpath, "authorized_keys"))
        v2_tar = make_tar(v2, "demo-v2-nokeys.tar")
        from_report = run("diff", "-q", "--fail-on-regression", saved, v2_tar)
        self.assertEqual(from_report.returncode, 1, from_report.stderr)
        from_tree = run("diff", "-q", "--fail-on-regression", self.v1, v2_tar)
        # Same diff whether OLD was scanned now or read back from its saved report.
        self.assertEqual(from_report.stdout.split("\n", 3)[3], from_tree.stdout.split("\n", 3)[3])
        self.assertIn("! REGRESSION: authorized_keys removed for 5 users: alice, ci, deploy, root, "
                      "ubuntu", from_report.stdout.splitlines())

    def test_5_image_against_itself(self):
        tar = make_tar(self.v1, "demo-v1-self.tar")
        r = run("diff", "-q", "--fail-on-regression", tar, tar)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.endswith("\nno changes\n"), r.stdout)
        j, code = json_diff(tar, tar)
        self.assertEqual((j["facts"], j["findings"], j["headlines"], code), ([], [], [], 0))


class BadInput(unittest.TestCase):
    def check(self, name, content):
        path = scratch(name)
        with open(path, "w") as f:
            f.write(content)
        r = run("diff", "-q", path, os.path.join(FIXTURES, "demo", "v1"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertTrue(r.stderr.startswith(f"imageprobe: {path}: "), r.stderr)
        return r.stderr

    def test_json_that_is_not_a_report(self):
        self.assertIn("not an imageprobe report", self.check("array.json", "[1, 2, 3]\n"))
        self.assertIn("without a \"schema\"", self.check("noschema.json", '{"roots": []}'))
        self.assertIn("invalid JSON at line 1", self.check("broken.json", '{"schema": '))

    def test_newer_schema_version(self):
        err = self.check("newer.json", json.dumps({"schema": "imageprobe/report/v2", "roots": []}))
        self.assertIn("imageprobe/report/v2\" is not supported", err)

    def test_other_tools_and_a_diff_as_input(self):
        self.assertIn("from another tool", self.check(
            "trivy.json", json.dumps({"schema": "https://trivy.dev/report/v2"})))
        self.assertIn("an imageprobe/diff/v1 document, not an imageprobe report", self.check(
            "diff.json", json.dumps({"schema": "imageprobe/diff/v1"})))

    def test_malformed_report(self):
        self.assertIn("malformed imageprobe report", self.check(
            "malformed.json", json.dumps({"schema": "imageprobe/report/v1", "roots": 7})))


if __name__ == "__main__":
    BINARY, TOOLS, FIXTURES, SCRATCH = sys.argv[1:5]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], *sys.argv[5:]], verbosity=2)
