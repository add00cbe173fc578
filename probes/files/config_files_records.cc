// SPDX-License-Identifier: Apache-2.0
#include "probes/files/config_files_records.h"

namespace imageprobe::probes {

namespace {

constexpr RecordMember kConfigFileMembers[] = {
    {"path", kText, "the file's guest path, symlinks resolved"},
    {"sha256", kText, "the SHA-256 of the whole content as read, in hex"},
    {"size", kInteger, "the content's size in bytes"},
    {"mode", kText, "the permission bits in octal (0644)"},
    {"uid", kInteger, "the owner's uid"},
    {"gid", kInteger, "the group's gid"},
    {"content", kText, "text (the redacted text is shown) or hash_only"},
    {"text", kText, "the file's text, secrets redacted", Presence::kOptional},
    {"hash_only_reason", kText, "why no text: secret-bearing, too large, binary or private key",
     Presence::kOptional},
};

}  // namespace

const RecordKind kConfigFileRecord{
    .name = "file/config",
    .key = "path",
    .description = "a configuration file the probes read: owner, mode, digest and redacted text",
    .members = kConfigFileMembers,
    .text_member = "text",
};

}  // namespace imageprobe::probes
