#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: the cloud-agent and lift-and-shift scenarios of tests/fixtures, through the CLI.

    scenarios_e2e.py IMAGEPROBE TOOLS_DIR FIXTURES_DIR SCRATCH_DIR [unittest args]

Every scenario tree is staged at test time (fixture trees overlaid in order, then its
`root.perms` manifests applied by tools/stage-tree, since git keeps no owners or modes).

ImageScenarios (boots two libguestfs appliances, ctest label guestfs):
  - one GPT qcow2 disk holds a partition per AMI scenario, each with its own /etc/os-release, so
    ONE appliance gives one report section per scenario;
  - the lift-and-shift scenario (a VMware RHEL 7 guest carrying a stale hybrid `mi-` SSM
    registration and a per-instance folder of another id) is its own monolithicSparse VMDK, the
    file a VMware export hands over;
  - per scenario, the facts and findings issue 4 lists, and the same facts and finding
    identities as the scan of the staged tree through the directory backend;
  - no fixture secret in the image reports or in a diff of them.
SecretsInEveryFormat (directory backend only, fast): every output format `scan --help` and
`diff --help` advertise, on every secret-bearing scenario, grepped for every line of
tests/fixtures/secrets.txt (and its middle, which RedactSecret never shows).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

BINARY = TOOLS = FIXTURES = SCRATCH = None

# name -> (fixture trees overlaid in order, paths left out of the staged copy, partition label)
SCENARIOS = {
    "secrets": (["secrets_everywhere"], [], "secrets"),
    "cloud-leftover": (["cloud-leftover"], [], "cloudleft"),
    # The fstab names LABEL=cloudimg-rootfs for "/": the partition carries that label.
    "ubuntu-eic": (["ubuntu-eic"], [], "cloudimg-rootfs"),
    "imagebuilder-uncleaned": (["imagebuilder_uncleaned"], [], "ib-uncleaned"),
    "imagebuilder-cleaned": (["imagebuilder_cleaned"], [], "ib-cleaned"),
    "ssm-cleared": (["ssm_cleared"], [], "ssm-cleared"),
    # A RHEL 7 VMware guest that was registered as a hybrid node. The SSM fixture is a Debian
    # one: its dpkg database is left out and its unit moved where the RPM installs it.
    "lift-and-shift": (["vmware-rhel7", "ssm_lift_and_shift"], ["var/lib/dpkg"], "root"),
}
# Files moved after overlaying (path -> new path), with the symlinks that named them re-pointed.
MOVES = {
    "lift-and-shift": {"usr/lib/systemd/system/amazon-ssm-agent.service":
                       "etc/systemd/system/amazon-ssm-agent.service"},
}
# Partition order on the multi-root disk: /dev/sda1 is the first.
DISK_SCENARIOS = ["secrets", "cloud-leftover", "ubuntu-eic", "imagebuilder-uncleaned",
                  "imagebuilder-cleaned", "ssm-cleared"]
# The scenarios whose trees hold fake secrets.
SECRET_SCENARIOS = ["secrets", "cloud-leftover", "lift-and-shift", "ssm-cleared"]


def run(*args, timeout=900):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def stage(name):
    """Builds SCRATCH/trees/NAME from the scenario's fixture trees and permission manifests."""
    trees, excluded, _ = SCENARIOS[name]
    merged = os.path.join(SCRATCH, "src", name)
    shutil.rmtree(merged, ignore_errors=True)
    manifest_lines = []
    for fixture in trees:
        root = os.path.join(FIXTURES, fixture, "root")
        # An existing symlinked directory in the tree below (RHEL's /lib -> usr/lib) is entered,
        # as a package install would: the overlay's /lib files land in /usr/lib.
        shutil.copytree(root, merged, symlinks=True, dirs_exist_ok=True)
        perms = os.path.join(FIXTURES, fixture, "root.perms")
        if os.path.exists(perms):
            with open(perms) as f:
                manifest_lines += f.readlines()
    for path in excluded:
        shutil.rmtree(os.path.join(merged, path))
    for old, new in MOVES.get(name, {}).items():
        os.rename(os.path.join(merged, old), os.path.join(merged, new))
        for folder, _, files in os.walk(merged):
            for entry in files:
                link = os.path.join(folder, entry)
                if os.path.islink(link) and os.path.basename(os.readlink(link)) == \
                        os.path.basename(old):
                    os.remove(link)
                    os.symlink("/" + new, link)
    manifest = os.path.join(SCRATCH, "src", name + ".perms")
    with open(manifest, "w") as f:
        f.writelines(manifest_lines)
    dest = os.path.join(SCRATCH, "trees", name)
    subprocess.run([os.path.join(TOOLS, "stage-tree"), merged, manifest, dest], check=True)
    return dest


def scan_json(target, *extra):
    r = run("scan", "--quiet", "--format", "json", *extra, target)
    if r.returncode != 0:
        raise AssertionError(f"scan {target} exited {r.returncode}: {r.stderr}")
    return json.loads(r.stdout)


def advertised_formats(command):
    """The --format values `imageprobe COMMAND --help` lists (CLI11 prints them as {a,b,…})."""
    r = run(command, "--help", timeout=60)
    for line in r.stdout.splitlines():
        if "--format" in line:
            match = re.search(r"\{([^}]*)\}", line)
            if match:
                return [f.strip() for f in match.group(1).split(",")]
    raise AssertionError(f"no --format choices in `{command} --help`:\n{r.stdout}")


def secrets():
    with open(os.path.join(FIXTURES, "secrets.txt")) as f:
        lines = [line.strip() for line in f]
    return [line for line in lines if line and not line.startswith("#")]


def leaks(text):
    """Fixture secrets (whole, or the middle RedactSecret never shows) that occur in text."""
    found = []
    for secret in secrets():
        if secret in text:
            found.append(secret)
        elif len(secret) >= 16 and secret[4:-4] in text:
            found.append("middle of " + secret)
    return found


def facts_of(root):
    """Facts by (kind, key), without free-text reasons (they quote backend error wording)."""
    def strip(data):
        if isinstance(data, dict):
            return {k: strip(v) for k, v in data.items() if k != "reason"}
        return data
    return {(f["kind"], f["key"]): strip(f["data"]) for f in root["facts"]}


def facts(root, kind):
    return [f["data"] for f in root["facts"] if f["kind"] == kind]


def findings(root, rule_id):
    return [f for f in root["findings"] if f["rule_id"] == rule_id]


def severity(root, rule_id):
    found = findings(root, rule_id)
    if not found:
        raise AssertionError(f"no {rule_id} finding; rules: "
                             f"{sorted({f['rule_id'] for f in root['findings']})}")
    return {f["severity"] for f in found}


def newest_mtime(folder):
    """Newest mtime (whole seconds) of a folder and its direct entries, as the SSM probe reads."""
    times = [os.lstat(folder).st_mtime]
    times += [os.lstat(os.path.join(folder, n)).st_mtime for n in os.listdir(folder)]
    return int(max(times))


class ImageScenarios(unittest.TestCase):
    """Two appliances: the multi-root qcow2 and the lift-and-shift VMDK."""

    @classmethod
    def setUpClass(cls):
        cls.trees = {name: stage(name) for name in SCENARIOS}
        images = os.path.join(SCRATCH, "images")
        os.makedirs(images, exist_ok=True)
        cls.disk = os.path.join(images, "scenarios.qcow2")
        parts = []
        for name in DISK_SCENARIOS:
            parts += ["--part", f"{SCENARIOS[name][2]}:16:{cls.trees[name]}"]
        subprocess.run([os.path.join(TOOLS, "make-image"), "qcow2", cls.disk, "--table", "gpt",
                        *parts], check=True, stdout=subprocess.DEVNULL)
        cls.vmdk = os.path.join(images, "lift-and-shift.vmdk")
        subprocess.run([os.path.join(TOOLS, "make-image"), "vmdk-sparse", cls.vmdk, "--table",
                        "mbr", "--part", "root:32:" + cls.trees["lift-and-shift"]],
                       check=True, stdout=subprocess.DEVNULL)
        cls.disk_report = scan_json(cls.disk)
        cls.vmdk_report = scan_json(cls.vmdk)
        cls.roots = {}
        for root in cls.disk_report["roots"]:
            # /dev/sdaN is the Nth partition: the Nth scenario of DISK_SCENARIOS.
            index = int(re.fullmatch(r"/dev/sda(\d+)", root["name"]).group(1)) - 1
            cls.roots[DISK_SCENARIOS[index]] = root
        cls.roots["lift-and-shift"] = cls.vmdk_report["roots"][0]
        cls.directory = {name: scan_json(tree)["roots"][0] for name, tree in cls.trees.items()}

    def test_one_report_section_per_scenario_from_one_image(self):
        self.assertEqual(self.disk_report["input"]["format"], "qcow2")
        self.assertEqual(self.disk_report["backend"], "native")
        self.assertEqual(sorted(self.roots), sorted(SCENARIOS))
        self.assertEqual(len(self.disk_report["roots"]), len(DISK_SCENARIOS))
        self.assertEqual(self.vmdk_report["input"]["format"], "vmdk-sparse")

    def test_image_and_directory_backends_agree(self):
        for name in SCENARIOS:
            with self.subTest(scenario=name):
                image, directory = self.roots[name], self.directory[name]
                self.assertEqual(facts_of(image), facts_of(directory))
                identities = lambda root: sorted(f["identity"] for f in root["findings"])
                self.assertEqual(identities(image), identities(directory))

    def test_lift_and_shift_stale_hybrid_registration(self):
        root = self.roots["lift-and-shift"]
        self.assertEqual((root["os"]["id"], root["os"]["version_id"]), ("rhel", "7.2"))
        agent = facts(root, "ssm/agent")[0]
        self.assertEqual((agent["packaging"], agent["enabled"]), ("rpm", True))
        # The lifted fstab names disks the image does not have: said, not silently skipped.
        self.assertTrue(root["partial"])
        self.assertEqual(sorted(e["path"] for e in root["errors"]), ["/boot", "/data"])
        registration = facts(root, "ssm/registration")[0]
        self.assertEqual(registration["managed_instance_id"], "mi-0a1b2c3d4e5f60718")
        self.assertEqual(severity(root, "ssm.registration.present"), {"critical"})
        self.assertEqual(severity(root, "ssm.vault.registration_key"), {"critical"})
        # The private key is reported, never printed: not even its first line.
        self.assertNotIn("MIIEowIBAAKCAQEA", json.dumps(root))
        self.assertNotIn("BEGIN RSA PRIVATE KEY", json.dumps(root))
        # Per-instance folders: the registered id and another machine's, with their newest change.
        folders = {f["id"]: f for f in facts(root, "ssm/instance_folder")}
        self.assertEqual(sorted(folders), ["mi-0a1b2c3d4e5f60718", "mi-0ffee0ffee0ffee01"])
        state = os.path.join(self.trees["lift-and-shift"], "var/lib/amazon/ssm")
        for folder_id, fact in folders.items():
            self.assertEqual(fact["newest_mtime"], newest_mtime(os.path.join(state, folder_id)))
        self.assertEqual({f["severity"] for f in findings(root, "ssm.instance_folder.leftover")
                          if f["path"].endswith("mi-0ffee0ffee0ffee01")}, {"medium"})
        fingerprint = facts(root, "ssm/fingerprint")[0]
        self.assertFalse(fingerprint["machine_id_matches_image"])
        self.assertIn("ssm.fingerprint.machine_id_mismatch", rule_ids(root))
        self.assertIn("ssm.seelog.debug", rule_ids(root))
        # The VMware side of the same guest.
        for rule in ("migration.vmware_tools.installed", "migration.network.mac_bound_names",
                     "migration.network.static_address", "migration.fstab.device_name",
                     "migration.fstab.network_mount", "migration.kernel.missing_nitro_drivers",
                     "os.end_of_life"):
            self.assertIn(rule, rule_ids(root))
        device = [f for f in findings(root, "migration.fstab.device_name")
                  if "/dev/sdb1" in f["evidence"]]
        self.assertTrue(device, findings(root, "migration.fstab.device_name"))
        nfs = findings(root, "migration.fstab.network_mount")
        self.assertIn("filer01.corp.example:/export/home", nfs[0]["evidence"])

    def test_secrets_scenario(self):
        root = self.roots["secrets"]
        self.assertEqual(severity(root, "secrets.aws.long_term_key"), {"critical"})
        self.assertIn("secrets.aws.temporary_key", rule_ids(root))
        self.assertIn("secrets.history.aws_configure", rule_ids(root))
        # CloudWatch: common-config.toml points at a credentials file, which is read.
        pointer = facts(root, "cloudwatch/credentials_file")
        self.assertEqual([p["path"] for p in pointer], ["/etc/cwagent/credentials"])
        self.assertIn("cloudwatch.credentials_file.long_term_key", rule_ids(root))
        # Private keys of the ssh.keys probe, cross-referenced.
        use = {f["path"]: f for f in facts(root, "secrets/private_key_use")}
        self.assertEqual(use["/root/.ssh/id_ed25519"]["opens_accounts"], ["alice", "bob"])
        self.assertEqual(severity(root, "secrets.private_key.opens_accounts"), {"high"})
        summary = facts(root, "secrets/summary")[0]
        self.assertEqual((summary["private_keys"], summary["private_keys_opening_accounts"]),
                         (2, 1))
        self.assertEqual(severity(root, "ssm.vault.registration_key"), {"critical"})

    def test_cloud_init_leftover(self):
        root = self.roots["cloud-leftover"]
        for rule in ("cloudinit.state.instance_left", "cloudinit.state.once_semaphores",
                     "cloudinit.leftover.user_data", "cloudinit.leftover.secrets"):
            self.assertIn(rule, rule_ids(root))
        text = json.dumps(root, ensure_ascii=False)
        self.assertIn("AKIA…2345", text)  # the hint names the key, redacted
        self.assertNotIn("AKIAFAKEFIXTURE12345", text)

    def test_ec2_instance_connect_feeds_effective_sshd_config(self):
        root = self.roots["ubuntu-eic"]
        dropin = facts(root, "aws/ec2_instance_connect/dropin")[0]
        self.assertEqual(dropin["authorized_keys_command_user"], "ec2-instance-connect")
        settings = {f["key"]: f["data"] for f in root["facts"] if f["kind"] == "sshd/setting"}
        origin = ["systemd drop-in /lib/systemd/system/ssh.service.d/ec2-instance-connect.conf"]
        command = settings["AuthorizedKeysCommand"]
        self.assertEqual(command["value"],
                         "/usr/share/ec2-instance-connect/eic_run_authorized_keys %u %f")
        self.assertEqual(command["origins"], origin)
        self.assertEqual(settings["AuthorizedKeysCommandUser"]["value"], "ec2-instance-connect")
        self.assertEqual(settings["AuthorizedKeysCommandUser"]["origins"], origin)

    def test_image_builder_cleanup(self):
        uncleaned = self.roots["imagebuilder-uncleaned"]
        state = facts(uncleaned, "imagebuilder/cleanup_state")[0]
        self.assertEqual(state["verdict"], "not cleaned")
        deletes = findings(uncleaned, "imagebuilder.cleanup.deletes_authorized_keys")
        self.assertTrue(deletes)
        self.assertIn("/home/ec2-user/.ssh/authorized_keys", json.dumps(deletes))
        self.assertIn("imagebuilder.toe_logs.present", rule_ids(uncleaned))
        cleaned = self.roots["imagebuilder-cleaned"]
        self.assertEqual(facts(cleaned, "imagebuilder/cleanup_state")[0]["verdict"],
                         "looks cleaned")
        self.assertNotIn("imagebuilder.cleanup.deletes_authorized_keys", rule_ids(cleaned))

    def test_ssm_cleared(self):
        root = self.roots["ssm-cleared"]
        self.assertEqual(facts(root, "ssm/agent")[0]["packaging"], "rpm")
        self.assertEqual(severity(root, "ssm.registration.present"), {"medium"})
        self.assertEqual(facts(root, "ssm/vault_identity")[0]["state"], "cleared")
        self.assertNotIn("ssm.vault.registration_key", rule_ids(root))

    def test_no_secret_in_image_reports_or_their_diff(self):
        saved = {}
        for name, report in (("disk", self.disk_report), ("vmdk", self.vmdk_report)):
            self.assertEqual(leaks(json.dumps(report, ensure_ascii=False)), [], name)
            saved[name] = os.path.join(SCRATCH, name + ".json")
            with open(saved[name], "w") as f:
                json.dump(report, f)
        for fmt in advertised_formats("diff"):
            r = run("diff", "--quiet", "--format", fmt, saved["vmdk"], saved["disk"], timeout=120)
            self.assertIn(r.returncode, (0, 1), r.stderr)
            self.assertTrue(r.stdout)
            self.assertEqual(leaks(r.stdout + r.stderr), [], fmt)


def rule_ids(root):
    return {f["rule_id"] for f in root["findings"]}


class SecretsInEveryFormat(unittest.TestCase):
    """Every renderer of scan and diff on the secret-bearing scenarios (directory backend)."""

    @classmethod
    def setUpClass(cls):
        cls.trees = {name: stage(name) for name in SECRET_SCENARIOS}
        cls.scan_formats = advertised_formats("scan")
        cls.diff_formats = advertised_formats("diff")
        cls.empty = os.path.join(SCRATCH, "empty-root")
        os.makedirs(os.path.join(cls.empty, "etc"), exist_ok=True)

    def test_formats_are_enumerated_from_the_cli(self):
        self.assertIn("text", self.scan_formats)
        self.assertIn("json", self.scan_formats)
        self.assertIn("json", self.diff_formats)

    def test_the_fixtures_hold_every_secret(self):
        """The grep below can fail: read raw, the staged trees show every listed secret."""
        raw = ""
        for tree in self.trees.values():
            for folder, _, files in os.walk(tree):
                for name in files:
                    path = os.path.join(folder, name)
                    if not os.path.islink(path):
                        with open(path, "rb") as f:
                            raw += f.read().decode("utf-8", "replace")
        listed = secrets()
        self.assertEqual(len([s for s in leaks(raw) if not s.startswith("middle of")]),
                         len(listed))

    def test_no_secret_in_any_scan_format(self):
        for name, tree in self.trees.items():
            for fmt in self.scan_formats:
                with self.subTest(scenario=name, format=fmt):
                    r = run("scan", "--quiet", "--format", fmt, tree, timeout=120)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertGreater(len(r.stdout), 200)
                    self.assertEqual(leaks(r.stdout + r.stderr), [])

    def test_no_secret_in_any_diff_format(self):
        for name, tree in self.trees.items():
            # Everything the scenario holds shows up as added (and as removed the other way).
            for old, new in ((self.empty, tree), (tree, self.empty)):
                for fmt in self.diff_formats:
                    with self.subTest(scenario=name, format=fmt, old=old):
                        r = run("diff", "--quiet", "--format", fmt, old, new, timeout=120)
                        self.assertIn(r.returncode, (0, 1), r.stderr)
                        self.assertTrue(r.stdout)
                        self.assertEqual(leaks(r.stdout + r.stderr), [])


if __name__ == "__main__":
    BINARY, TOOLS, FIXTURES, SCRATCH = sys.argv[1:5]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[5:]])
