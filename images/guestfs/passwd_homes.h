// SPDX-License-Identifier: Apache-2.0
// The home directories an /etc/passwd names, for the prefetch's "~/REST" patterns: read with the
// probes' own parser (scanner/parse/passwd.h, as UsersOf reads it), so that exactly the homes of
// the accounts the probes will see are fetched, and no line the probes skip adds one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images {

// The absolute homes of the entries of `passwd_text`, normalised ("/home//bob/" is "/home/bob"),
// sorted, each once. A relative home, or one holding a NUL, names no guest path and is left out.
std::vector<std::string> HomesFromPasswd(std::string_view passwd_text);

}  // namespace imageprobe::images
