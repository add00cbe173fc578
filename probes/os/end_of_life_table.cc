// SPDX-License-Identifier: Apache-2.0
// References (one per vendor; each row repeats the URL it came from):
//  - Ubuntu: https://ubuntu.com/about/release-cycle — LTS: 5 years standard, then 5 years of
//    Expanded Security Maintenance (ESM, Ubuntu Pro). Canonical publishes months, not days:
//    rows use the last day of the month. The paid "Legacy add-on" (2 more years from 14.04
//    on) is not counted as vendor support here.
//  - Debian: https://wiki.debian.org/DebianReleases (security support) and
//    https://wiki.debian.org/LTS (Debian LTS, the extended tier).
//  - RHEL: https://access.redhat.com/support/policy/updates/errata (end of Maintenance
//    Support; Extended Life Cycle Support add-on).
//  - CentOS Linux: https://www.centos.org/centos-linux-eol/ ; CentOS Stream:
//    https://www.centos.org/centos-stream/ — no extended tier.
//  - Amazon Linux AMI: https://aws.amazon.com/amazon-linux-ami/faqs/ (standard support to
//    2020-12-31, maintenance support to 2023-12-31); Amazon Linux 2:
//    https://aws.amazon.com/amazon-linux-2/faqs/ ; AL2023:
//    https://docs.aws.amazon.com/linux/al2023/ug/release-cadence.html (standard support to
//    2027-06-30, maintenance to 2029-06-30).
//  - Rocky Linux: https://wiki.rockylinux.org/rocky/version/ ; AlmaLinux:
//    https://wiki.almalinux.org/release-notes/ — security support end; no extended tier.
//  - SLES: https://www.suse.com/lifecycle (general support per service pack; LTSS).
//  - Oracle Linux: https://www.oracle.com/a/ocom/docs/elsp-lifetime-069338.pdf (Premier
//    Support; Extended Support).
// Dates were cross-checked against endoflife.date's product pages.
#include <array>

#include "probes/os/end_of_life.h"

namespace imageprobe::probes::os {

namespace {

using std::chrono::year_month_day;

constexpr year_month_day D(int y, unsigned m, unsigned d) {
  return year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

constexpr auto kExact = VersionMatch::kExact;
constexpr auto kMajor = VersionMatch::kMajor;

constexpr std::string_view kUbuntu = "https://ubuntu.com/about/release-cycle";
constexpr std::string_view kDebian = "https://wiki.debian.org/DebianReleases";
constexpr std::string_view kRhel = "https://access.redhat.com/support/policy/updates/errata";
constexpr std::string_view kCentos = "https://www.centos.org/centos-linux-eol/";
constexpr std::string_view kCentosStream = "https://www.centos.org/centos-stream/";
constexpr std::string_view kAmazonAmi = "https://aws.amazon.com/amazon-linux-ami/faqs/";
constexpr std::string_view kAmazon2 = "https://aws.amazon.com/amazon-linux-2/faqs/";
constexpr std::string_view kAmazon2023 =
    "https://docs.aws.amazon.com/linux/al2023/ug/release-cadence.html";
constexpr std::string_view kRocky = "https://wiki.rockylinux.org/rocky/version/";
constexpr std::string_view kAlma = "https://wiki.almalinux.org/release-notes/";
constexpr std::string_view kSles = "https://www.suse.com/lifecycle";
constexpr std::string_view kOracle = "https://www.oracle.com/a/ocom/docs/elsp-lifetime-069338.pdf";

// clang-format off
constexpr EolEntry kTable[] = {
  // distro       version    match   standard end      extended end      tier                  source
  {"ubuntu",      "14.04",   kExact, D(2019, 4, 30),   D(2024, 4, 30),   "ESM",                kUbuntu},
  {"ubuntu",      "16.04",   kExact, D(2021, 4, 30),   D(2026, 4, 30),   "ESM",                kUbuntu},
  {"ubuntu",      "18.04",   kExact, D(2023, 5, 31),   D(2028, 4, 30),   "ESM",                kUbuntu},
  {"ubuntu",      "20.04",   kExact, D(2025, 5, 31),   D(2030, 4, 30),   "ESM",                kUbuntu},
  {"ubuntu",      "22.04",   kExact, D(2027, 4, 30),   D(2032, 4, 30),   "ESM",                kUbuntu},
  {"ubuntu",      "24.04",   kExact, D(2029, 5, 31),   D(2034, 4, 30),   "ESM",                kUbuntu},

  {"debian",      "8",       kMajor, D(2018, 6, 17),   D(2020, 6, 30),   "LTS",                kDebian},
  {"debian",      "9",       kMajor, D(2020, 7, 6),    D(2022, 6, 30),   "LTS",                kDebian},
  {"debian",      "10",      kMajor, D(2022, 9, 10),   D(2024, 6, 30),   "LTS",                kDebian},
  {"debian",      "11",      kMajor, D(2024, 8, 14),   D(2026, 8, 31),   "LTS",                kDebian},
  {"debian",      "12",      kMajor, D(2026, 6, 10),   D(2028, 6, 30),   "LTS",                kDebian},

  {"rhel",        "6",       kMajor, D(2020, 11, 30),  D(2024, 6, 30),   "ELS",                kRhel},
  {"rhel",        "7",       kMajor, D(2024, 6, 30),   D(2028, 6, 30),   "ELS",                kRhel},
  {"rhel",        "8",       kMajor, D(2029, 5, 31),   D(2032, 5, 31),   "ELS",                kRhel},
  {"rhel",        "9",       kMajor, D(2032, 5, 31),   D(2035, 5, 31),   "ELS",                kRhel},

  {"centos",      "6",       kMajor, D(2020, 11, 30),  std::nullopt,     "",                   kCentos},
  {"centos",      "7",       kMajor, D(2024, 6, 30),   std::nullopt,     "",                   kCentos},
  {"centos",      "8",       kMajor, D(2021, 12, 31),  std::nullopt,     "",                   kCentos},
  {"centos-stream", "8",     kMajor, D(2024, 5, 31),   std::nullopt,     "",                   kCentosStream},
  {"centos-stream", "9",     kMajor, D(2027, 5, 31),   std::nullopt,     "",                   kCentosStream},

  // Amazon Linux AMI (AL1) numbers its releases YYYY.MM; every one shares the AL1 dates.
  {"amzn",        "2018.03", kExact, D(2020, 12, 31),  D(2023, 12, 31),  "maintenance support", kAmazonAmi},
  {"amzn",        "2017.09", kExact, D(2020, 12, 31),  D(2023, 12, 31),  "maintenance support", kAmazonAmi},
  {"amzn",        "2017.03", kExact, D(2020, 12, 31),  D(2023, 12, 31),  "maintenance support", kAmazonAmi},
  {"amzn",        "2016.09", kExact, D(2020, 12, 31),  D(2023, 12, 31),  "maintenance support", kAmazonAmi},
  {"amzn",        "2016.03", kExact, D(2020, 12, 31),  D(2023, 12, 31),  "maintenance support", kAmazonAmi},
  {"amzn",        "2",       kExact, D(2026, 6, 30),   std::nullopt,     "",                   kAmazon2},
  {"amzn",        "2023",    kExact, D(2027, 6, 30),   D(2029, 6, 30),   "maintenance support", kAmazon2023},

  {"rocky",       "8",       kMajor, D(2029, 5, 31),   std::nullopt,     "",                   kRocky},
  {"rocky",       "9",       kMajor, D(2032, 5, 31),   std::nullopt,     "",                   kRocky},
  {"almalinux",   "8",       kMajor, D(2029, 3, 1),    std::nullopt,     "",                   kAlma},
  {"almalinux",   "9",       kMajor, D(2032, 5, 31),   std::nullopt,     "",                   kAlma},

  // SLES: each service pack has its own dates; VERSION_ID is "15.5", or "15" for 15 GA.
  {"sles",        "12.3",    kExact, D(2019, 6, 30),   D(2022, 6, 30),   "LTSS",               kSles},
  {"sles",        "12.4",    kExact, D(2020, 6, 30),   D(2023, 6, 30),   "LTSS",               kSles},
  {"sles",        "12.5",    kExact, D(2024, 10, 31),  D(2027, 10, 31),  "LTSS",               kSles},
  {"sles",        "15",      kExact, D(2019, 12, 31),  D(2022, 12, 31),  "LTSS",               kSles},
  {"sles",        "15.1",    kExact, D(2021, 1, 31),   D(2024, 1, 31),   "LTSS",               kSles},
  {"sles",        "15.2",    kExact, D(2021, 12, 31),  D(2024, 12, 31),  "LTSS",               kSles},
  {"sles",        "15.3",    kExact, D(2022, 12, 31),  D(2025, 12, 31),  "LTSS",               kSles},
  {"sles",        "15.4",    kExact, D(2023, 12, 31),  D(2026, 12, 31),  "LTSS",               kSles},
  {"sles",        "15.5",    kExact, D(2024, 12, 31),  D(2027, 12, 31),  "LTSS",               kSles},

  {"ol",          "6",       kMajor, D(2021, 3, 1),    D(2024, 12, 1),   "Extended Support",   kOracle},
  {"ol",          "7",       kMajor, D(2024, 12, 1),   D(2026, 6, 1),    "Extended Support",   kOracle},
  {"ol",          "8",       kMajor, D(2029, 7, 1),    D(2031, 7, 1),    "Extended Support",   kOracle},
  {"ol",          "9",       kMajor, D(2032, 6, 30),   D(2034, 6, 30),   "Extended Support",   kOracle},
};
// clang-format on

}  // namespace

std::span<const EolEntry> EndOfLifeTable() { return kTable; }

}  // namespace imageprobe::probes::os
