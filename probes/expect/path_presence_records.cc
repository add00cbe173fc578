// SPDX-License-Identifier: Apache-2.0
#include "probes/expect/path_presence_records.h"

#include "scanner/core/json_fields.h"

namespace imageprobe::probes {

namespace {

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
    .role = RecordRole::kPathPresence,
    .path_presence = PresenceOf,
};

}  // namespace imageprobe::probes
