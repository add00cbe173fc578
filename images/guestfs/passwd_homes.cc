// SPDX-License-Identifier: Apache-2.0
#include "images/guestfs/passwd_homes.h"

#include <algorithm>

#include "scanner/core/guest_path.h"
#include "scanner/parse/passwd.h"

namespace imageprobe::images {

std::vector<std::string> HomesFromPasswd(std::string_view passwd_text) {
  std::vector<std::string> homes;
  for (const parse::PasswdEntry& entry : parse::ParsePasswd(passwd_text).entries) {
    const std::string& home = entry.home;
    if (!home.starts_with('/') || home.find('\0') != std::string::npos) continue;
    homes.push_back(NormalizeGuestPath(home));
  }
  std::sort(homes.begin(), homes.end());
  homes.erase(std::unique(homes.begin(), homes.end()), homes.end());
  return homes;
}

}  // namespace imageprobe::images
