// SPDX-License-Identifier: Apache-2.0
#include "probes/os/os_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kOsReleaseOrigins[] = {"source"};

// os-release's fields keep their names (ID, ID_LIKE, … in lower case); empty when absent.
constexpr RecordMember kOsReleaseMembers[] = {
    {"id", kText, "ID: the distribution (debian, amzn, rhel, ubuntu)"},
    {"id_like", kText, "ID_LIKE: the distributions it derives from, space-separated"},
    {"name", kText, "NAME"},
    {"version", kText, "VERSION"},
    {"version_id", kText, "VERSION_ID (\"12\", \"2023\")"},
    {"pretty_name", kText, "PRETTY_NAME"},
    {"codename", kText, "VERSION_CODENAME (bookworm)"},
    {"variant_id", kText, "VARIANT_ID"},
    {"build_id", kText, "BUILD_ID"},
    {"hostname", kText, "/etc/hostname (or HOSTNAME in /etc/sysconfig/network)"},
    {"arch", kText, "the architecture of the root's binaries, from their ELF headers (x86_64)"},
    {"package_format", kText, "deb or rpm; empty when unknown"},
    {"source", kText, "the file that identified the OS"},
    {"standard_support_end", kText, "YYYY-MM-DD, from the end-of-life table; empty: no row"},
    {"extended_support_end", kText, "YYYY-MM-DD; empty when the vendor sells none"},
    {"extended_support_name", kText, "what the vendor calls extended support (ELTS, ESM)"},
    {"support_source", kText, "where the end-of-life dates come from"},
};

}  // namespace

const RecordKind kOsReleaseRecord{
    .name = "os/release",
    .key = "\"release\"",
    .description = "the OS identity (os-release, ELF architecture, hostname)",
    .members = kOsReleaseMembers,
    .origin_members = kOsReleaseOrigins,
};

}  // namespace imageprobe::probes
