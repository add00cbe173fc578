// SPDX-License-Identifier: Apache-2.0
#include "probes/os/os_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kOsReleaseOrigins[] = {"source"};

}  // namespace

const RecordKind kOsReleaseRecord{
    .name = "os/release",
    .key = "\"release\"",
    .description = "the OS identity (os-release, ELF architecture, hostname)",
    .origin_members = kOsReleaseOrigins,
};

}  // namespace imageprobe::probes
