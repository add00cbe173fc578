// SPDX-License-Identifier: Apache-2.0
#include "probes/cloudinit/cloudinit_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kCloudInitSettingOrigins[] = {"source"};
constexpr std::string_view kCloudInitDefaultUserOrigins[] = {"source"};
constexpr std::string_view kCloudInitUserOrigins[] = {"source"};
constexpr std::string_view kCloudInitInstanceVolatile[] = {"newest_mtime"};

constexpr RecordMember kCloudInitConfigFileMembers[] = {
    {"path", kText, "the configuration file (/etc/cloud/cloud.cfg or cloud.cfg.d/*.cfg)"},
    {"valid", kFlag, "the file is YAML with a mapping (or nothing) at the top; false: ignored"},
    {"keys", kTextList, "the top-level settings it sets, in file order; absent unless a mapping",
     Presence::kOptional},
    {"merge_how_ignored", kFlag,
     "always true: the file sets merge_how, but it was merged the default way",
     Presence::kOptional},
};

constexpr RecordMember kCloudInitSettingMembers[] = {
    {"name", kText,
     "the setting: disable_root, ssh_pwauth, ssh_deletekeys, ssh_genkeytypes or "
     "ssh_authorized_keys"},
    {"value", kAnyValue,
     "by setting: a boolean (disable_root, ssh_deletekeys); yes, no or unchanged (ssh_pwauth); "
     "a list of key types (ssh_genkeytypes); a key count (ssh_authorized_keys)"},
    {"source", kText, "the highest-priority file that sets it, or \"default\" when none does"},
};

constexpr RecordMember kCloudInitUserMembers[] = {
    {"name", kText, "the user name; empty for a \"default\" entry with no default user known"},
    {"is_default_user", kFlag, "the user is system_info.default_user (or users: default)"},
    {"sudo", kTextList, "the sudoers rules cloud-init writes for the user; empty: no sudo"},
    {"groups", kTextList, "the groups cloud-init adds the user to"},
    {"lock_passwd", kFlag, "the password is locked (cloud-init's default: true)"},
    {"has_password", kFlag, "passwd, hashed_passwd or plain_text_passwd is set"},
    {"ssh_authorized_key_count", kInteger, "the keys ssh_authorized_keys installs for the user"},
    {"ssh_authorized_key_types", kTextList,
     "the first word of each of those keys (ssh-ed25519, ssh-rsa…)"},
};
constexpr ValueShape kCloudInitUser = ObjectOf(kCloudInitUserMembers);

constexpr RecordMember kCloudInitDefaultUserMembers[] = {
    {"user", kCloudInitUser, "the default user as system_info.default_user describes it"},
    {"source", kText, "the highest-priority file that sets system_info"},
};

constexpr RecordMember kCloudInitUserFactMembers[] = {
    {"user", kCloudInitUser, "the user as the users: entry describes it"},
    {"source", kText, "the highest-priority file that sets users"},
    {"schema_confidence", kText,
     "always \"unconfirmed\": the users schema was not checked against cloud-init's docs"},
};

constexpr RecordMember kCloudInitStateMembers[] = {
    {"instance_link", kText,
     "the target of the /var/lib/cloud/instance symlink as written; empty when no symlink"},
    {"current_instance_id", kText,
     "the instance id that symlink names (instances/<id>); empty when it names none"},
    {"data_instance_id", kText, "the first line of data/instance-id; empty when absent"},
    {"previous_instance_id", kText,
     "the first line of data/previous-instance-id; empty when absent"},
    {"once_semaphores", kTextList, "the sem/*.once markers: once-only modules that already ran"},
    {"instance_ids", kTextList, "the instance folders under /var/lib/cloud/instances"},
    {"leftover_file_count", kInteger,
     "the leftover files holding a previous instance's data (cloudinit/leftover_file facts)"},
};

constexpr RecordMember kCloudInitInstanceMembers[] = {
    {"id", kText, "the instance id: the folder's name under /var/lib/cloud/instances"},
    {"is_current", kFlag, "the /var/lib/cloud/instance symlink names this instance"},
    {"boot_finished", kFlag, "the folder holds boot-finished: a boot completed"},
    {"semaphores", kTextList, "the sem/config_* markers: per-instance modules that already ran"},
    {"newest_mtime", kInteger,
     "the newest modification time in the folder, in seconds since the epoch"},
};

constexpr RecordMember kSecretHintMembers[] = {
    {"kind", kText, "aws_access_key_id, aws_secret_access_key, private_key, password or token"},
    {"count", kInteger, "the matches of this kind in the file"},
    {"first_line", kInteger, "the line of the first match"},
    {"sample", kText, "the first match, redacted; for a private key the PEM type"},
};
constexpr ValueShape kSecretHint = ObjectOf(kSecretHintMembers);

constexpr RecordMember kCloudInitLeftoverFileMembers[] = {
    {"path", kText,
     "the file (user-data.txt, obj.pkl, scripts/part-001, "
     "instance-data-sensitive.json…)"},
    {"instance_id", kText, "the instance whose folder holds it; empty outside instances/"},
    {"size", kInteger, "its size in bytes"},
    {"scanned_partially", kFlag, "larger than what was read: only its start was scanned"},
    {"secret_hints", ListOf(kSecretHint),
     "the kinds of secret it seems to hold, one per kind; empty when none"},
};

}  // namespace

const RecordKind kCloudInitConfigFileRecord{
    .name = "cloudinit/config_file",
    .key = "path",
    .description = "a cloud-init configuration file",
    .members = kCloudInitConfigFileMembers,
};

const RecordKind kCloudInitSettingRecord{
    .name = "cloudinit/setting",
    .key = "the setting name",
    .description = "an effective cloud-init setting that decides SSH access",
    .members = kCloudInitSettingMembers,
    .origin_members = kCloudInitSettingOrigins,
};

const RecordKind kCloudInitDefaultUserRecord{
    .name = "cloudinit/default_user",
    .key = "the user name",
    .description = "the default user cloud-init creates",
    .members = kCloudInitDefaultUserMembers,
    .origin_members = kCloudInitDefaultUserOrigins,
};

const RecordKind kCloudInitUserRecord{
    .name = "cloudinit/user",
    .key = "the user name, or \"default\"",
    .description = "a user cloud-init creates (users:)",
    .members = kCloudInitUserFactMembers,
    .origin_members = kCloudInitUserOrigins,
};

const RecordKind kCloudInitStateRecord{
    .name = "cloudinit/state",
    .key = "the state directory",
    .description = "cloud-init's state directory: has it run before?",
    .members = kCloudInitStateMembers,
};

const RecordKind kCloudInitInstanceRecord{
    .name = "cloudinit/instance",
    .key = "the instance id",
    .description = "a per-instance folder of cloud-init state",
    .members = kCloudInitInstanceMembers,
    .volatile_members = kCloudInitInstanceVolatile,
};

const RecordKind kCloudInitLeftoverFileRecord{
    .name = "cloudinit/leftover_file",
    .key = "path",
    .description = "a cloud-init file that holds a previous instance's data",
    .members = kCloudInitLeftoverFileMembers,
};

}  // namespace imageprobe::probes
