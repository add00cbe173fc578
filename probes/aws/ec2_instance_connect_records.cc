// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/ec2_instance_connect_records.h"

namespace imageprobe::probes {

namespace {

constexpr RecordMember kEicHelperMembers[] = {
    {"path", kText, "the helper's guest path (/opt/aws/bin/eic_run_authorized_keys)"},
    {"mode", kText, "its permission bits in octal (0755)"},
    {"uid", kInteger, "its owner's uid"},
    {"gid", kInteger, "its group's gid"},
};
constexpr ValueShape kEicHelperItem = ObjectOf(kEicHelperMembers);

constexpr RecordMember kEicInstallationMembers[] = {
    {"layout", kText, "rpm, deb or rpm+deb; empty when no helper files were found"},
    {"helpers", ListOf(kEicHelperItem),
     "the eic_* scripts in /opt/aws/bin and /usr/share/ec2-instance-connect"},
    {"system_user_present", kFlag, "whether passwd has the ec2-instance-connect user"},
    {"dropin_count", kInteger, "how many systemd drop-ins wire it into sshd"},
};

constexpr RecordMember kEicSshdOptionMembers[] = {
    {"keyword", kText, "the option's keyword as written (AuthorizedKeysCommand)"},
    {"value", kText, "the rest of the option, trimmed"},
};
constexpr ValueShape kEicSshdOptionItem = ObjectOf(kEicSshdOptionMembers);

constexpr RecordMember kEicDropinMembers[] = {
    {"path", kText, "the drop-in's guest path"},
    {"unit", kText, "the unit it extends: sshd.service or ssh.service"},
    {"resets_exec_start", kFlag, "whether an empty ExecStart= clears the unit's own"},
    {"exec_start", kTextList,
     "the last ExecStart's words, split as systemd does; empty when there is none"},
    {"unexpanded", kTextList, "$VARIABLES and %specifiers in it, left as written"},
    {"sshd_options", ListOf(kEicSshdOptionItem), "the -o options it gives sshd, in order"},
    {"authorized_keys_command", kText,
     "the first -o AuthorizedKeysCommand (sshd keeps the first); empty when none"},
    {"authorized_keys_command_user", kText,
     "the first -o AuthorizedKeysCommandUser; empty when none"},
};

constexpr RecordMember kEicSshdConfigHintMembers[] = {
    {"path", kText, "the /etc/ssh/sshd_config.d file whose name mentions ec2-instance-connect"},
    {"unconfirmed", kFlag, "always true: this layout is not confirmed"},
    {"note", kText, "why it is only a hint"},
};

}  // namespace

const RecordKind kEicInstallationRecord{
    .name = "aws/ec2_instance_connect/installation",
    .key = "\"ec2-instance-connect\"",
    .description = "the EC2 Instance Connect installation (layout, helpers, system user)",
    .members = kEicInstallationMembers,
};

const RecordKind kEicDropinRecord{
    .name = "aws/ec2_instance_connect/dropin",
    .key = "path",
    .description = "an sshd drop-in or unit that wires EC2 Instance Connect in",
    .members = kEicDropinMembers,
};

const RecordKind kEicSshdConfigHintRecord{
    .name = "aws/ec2_instance_connect/sshd_config_hint",
    .key = "path",
    .description = "an sshd configuration that mentions EC2 Instance Connect, unconfirmed",
    .members = kEicSshdConfigHintMembers,
};

}  // namespace imageprobe::probes
