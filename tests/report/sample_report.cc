// SPDX-License-Identifier: Apache-2.0
#include "tests/report/sample_report.h"

#include "probes/os/os_records.h"
#include "probes/ssh/authorized_keys_records.h"

namespace imageprobe::testing {
namespace {

std::string Kind(const RecordKind& kind) { return std::string(kind.name); }

}  // namespace

Report SampleReport() {
  Report r;
  r.tool_version = "0.1.0";
  r.generated_at = "2026-11-23T13:00:00Z";
  r.input = {"/images/web-v2.qcow2", "qcow2", "GPT partition table", 1288490188,
             "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"};
  r.backend = "guestfs (tcg)";
  r.timings = {{"detect", 0.002}, {"launch", 12.25}, {"mount", 0.5}, {"probes", 0.125}};

  RootReport web;
  web.root = {"/dev/sda1", "ext4, mounted /, /boot"};
  web.os = {.detected = true,
            .id = "ubuntu",
            .id_like = "debian",
            .name = "Ubuntu",
            .version_id = "14.04",
            .pretty_name = "Ubuntu 14.04.6 LTS",
            .codename = "trusty",
            .hostname = "web-01",
            .arch = "x86_64",
            .package_format = "deb",
            .source = "/etc/os-release"};
  web.probes = {{"os", ProbeStatus::kRan, "", 0.001},
                {"users", ProbeStatus::kRan, "", 0.002},
                {"ssm", ProbeStatus::kNotApplicable, "no SSM agent installed", 0.0},
                {"ssh.keys", ProbeStatus::kFailed, "boom", 0.0005}};
  web.facts = {
      {Kind(probes::kOsReleaseRecord), "release", {{"id", "ubuntu"}, {"version_id", "14.04"}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "deploy|SHA256:abc",
       {{"user", "deploy"}, {"type", "ssh-ed25519"}}},
      {Kind(probes::kAuthorizedKeyRecord),
       "root|SHA256:def",
       {{"user", "root"}, {"type", "ssh-rsa"}}},
      {"user/account", "deploy", {{"uid", 1001}, {"shell", "/bin/bash"}}},
  };
  web.findings = {
      {.rule_id = "os.end_of_life",
       .severity = Severity::kHigh,
       .title = "Ubuntu 14.04 is past the end of all vendor support",
       .path = "/etc/os-release",
       .evidence = "VERSION_ID=14.04 in /etc/os-release; standard support ended 2019-04-30",
       .remediation = "Rebuild the image on a supported release.",
       .identity = "os.end_of_life|/etc/os-release||ubuntu 14.04"},
      {.rule_id = "ssh.authorized_keys.group_writable",
       .severity = Severity::kCritical,
       .title = "authorized_keys of deploy is group-writable",
       .path = "/home/deploy/.ssh/authorized_keys",
       .line = 3,
       .user = "deploy",
       // An image-controlled string that tries to clear the screen and retitle the window.
       .evidence = "mode 0664 \x1b[2J\x1b]0;pwned\x07 comment \xff\xfe",
       .remediation = "chmod 600 the file.",
       .identity = "ssh.authorized_keys.group_writable|/home/deploy/.ssh/authorized_keys|deploy|"},
      {.rule_id = "ssm.registration.present",
       .severity = Severity::kMedium,
       .title = "SSM registration left in the image",
       .path = "/var/lib/amazon/ssm/registration",
       .evidence = "ManagedInstanceID mi-0123…cdef",
       .remediation = "Remove the registration before release.",
       .identity = "ssm.registration.present|/var/lib/amazon/ssm/registration||"},
      {.rule_id = "cloud_init.leftover",
       .severity = Severity::kInfo,
       .title = "cloud-init instance data present",
       .path = "/var/lib/cloud/instance",
       .identity = "cloud_init.leftover|/var/lib/cloud/instance||"},
  };
  web.errors = {{"ssh.keys", "", "probe failed: boom"},
                {"os", "/etc/os-release", "line 7: not a KEY=value assignment"}};
  web.partial = true;

  RootReport data;
  data.root = {"/dev/sdb1", "xfs"};
  data.probes = {{"os", ProbeStatus::kNotApplicable, "no /etc directory in this root", 0.0}};

  r.roots = {web, data};
  r.errors = {{"image", "/dev/sda2", "could not mount: wrong fs type"}};
  r.partial = true;
  return r;
}

}  // namespace imageprobe::testing
