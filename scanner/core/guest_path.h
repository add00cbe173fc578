// SPDX-License-Identifier: Apache-2.0
// Pure string operations on guest paths. No filesystem access: these never consult the host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imageprobe {

// "/a//b/./c/../d/" -> "/a/b/d". Relative input is taken from "/". ".." never goes above "/".
std::string NormalizeGuestPath(std::string_view path);

// Components of a path, without empty ones: "/a/b" -> {"a", "b"}.
std::vector<std::string> SplitGuestPath(std::string_view path);

// Join a directory and a relative path, then normalise. An absolute `rel` replaces `dir`.
std::string JoinGuestPath(std::string_view dir, std::string_view rel);

std::string GuestDirname(std::string_view path);   // "/a/b" -> "/a", "/a" -> "/"
std::string GuestBasename(std::string_view path);  // "/a/b" -> "b", "/" -> ""

// True when `path` equals `dir` or lies below it ("/etc" contains "/etc/ssh", not "/etcx").
bool GuestPathWithin(std::string_view path, std::string_view dir);

// fnmatch(3)-style match of one path against a pattern where "*" and "?" do not cross "/".
bool GuestGlobMatch(std::string_view pattern, std::string_view path);

}  // namespace imageprobe
