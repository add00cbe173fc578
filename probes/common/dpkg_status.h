// SPDX-License-Identifier: Apache-2.0
// /var/lib/dpkg/status: which packages are installed, and their versions. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::probes {

struct DpkgPackage {
  std::string name;
  std::string version;
  std::string status;      // "install ok installed"
  uint32_t line = 0;       // of the Package: field
  bool installed() const;  // the status's last word is "installed"
};

// RFC-822-style stanzas separated by blank lines; continuation lines (leading space) belong
// to the previous field and are skipped. Stanzas without a Package field are dropped.
std::vector<DpkgPackage> ParseDpkgStatus(std::string_view text);

// The version of `package` when the status file says it is installed, else nothing.
std::optional<std::string> InstalledDpkgVersion(std::string_view text, std::string_view package);

}  // namespace imageprobe::probes
