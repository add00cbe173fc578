// SPDX-License-Identifier: Apache-2.0
#include "probes/cloudinit/cloudinit_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kCloudInitSettingOrigins[] = {"source"};
constexpr std::string_view kCloudInitDefaultUserOrigins[] = {"source"};
constexpr std::string_view kCloudInitUserOrigins[] = {"source"};
constexpr std::string_view kCloudInitInstanceVolatile[] = {"newest_mtime"};

}  // namespace

const RecordKind kCloudInitConfigFileRecord{
    .name = "cloudinit/config_file",
    .key = "path",
    .description = "a cloud-init configuration file",
};

const RecordKind kCloudInitSettingRecord{
    .name = "cloudinit/setting",
    .key = "the setting name",
    .description = "an effective cloud-init setting that decides SSH access",
    .origin_members = kCloudInitSettingOrigins,
};

const RecordKind kCloudInitDefaultUserRecord{
    .name = "cloudinit/default_user",
    .key = "the user name",
    .description = "the default user cloud-init creates",
    .origin_members = kCloudInitDefaultUserOrigins,
};

const RecordKind kCloudInitUserRecord{
    .name = "cloudinit/user",
    .key = "the user name, or \"default\"",
    .description = "a user cloud-init creates (users:)",
    .origin_members = kCloudInitUserOrigins,
};

const RecordKind kCloudInitStateRecord{
    .name = "cloudinit/state",
    .key = "the state directory",
    .description = "cloud-init's state directory: has it run before?",
};

const RecordKind kCloudInitInstanceRecord{
    .name = "cloudinit/instance",
    .key = "the instance id",
    .description = "a per-instance folder of cloud-init state",
    .volatile_members = kCloudInitInstanceVolatile,
};

const RecordKind kCloudInitLeftoverFileRecord{
    .name = "cloudinit/leftover_file",
    .key = "path",
    .description = "a cloud-init file that holds a previous instance's data",
};

}  // namespace imageprobe::probes
