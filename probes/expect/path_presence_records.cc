// SPDX-License-Identifier: Apache-2.0
#include "probes/expect/path_presence_records.h"

#include "scanner/core/json_fields.h"

namespace imageprobe::probes {

namespace {

constexpr RecordMember kPathMembers[] = {
    {"path", kText, "the guest path, normalised"},
    {"present", kFlag, "whether the path exists (a symlink counts, dangling or not)"},
    {"type", kText, "file, directory, symlink, char-device, block-device, fifo, socket, unknown",
     Presence::kOptional},
    {"mode", kText, "the permission bits in octal (0644), when present", Presence::kOptional},
    {"uid", kInteger, "the owner's uid, when present", Presence::kOptional},
    {"target", kText, "a symlink's target, as stored", Presence::kOptional},
    {"error", kText, "why presence could not be decided", Presence::kOptional},
};

PathPresence PresenceOf(const Fact& fact) {
  return {.present = BoolMember(fact.data, "present").value_or(false),
          .type = StringMember(fact.data, "type"),
          .error = StringMember(fact.data, "error")};
}

}  // namespace

const RecordKind kPathRecord{
    .name = "fs/path",
    .key = "the guest path, normalised",
    .description = "whether a path scan --expect names is present, and as what",
    .members = kPathMembers,
    .role = RecordRole::kPathPresence,
    .path_presence = PresenceOf,
};

}  // namespace imageprobe::probes
