// SPDX-License-Identifier: Apache-2.0
// Reading a file that may or may not be in the image: absence is normal and silent; anything
// else (unreadable, too large, a device) is recorded with out.Error and the caller carries on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/core/probe.h"

namespace imageprobe::probes {

// The whole file, or nullopt when it is missing (silently) or unreadable (recorded).
std::optional<std::string> ReadOptionalFile(const Target& target, std::string_view path,
                                            Output& out);

// Like ReadOptionalFile, but a file over the size limit yields its first max_file_bytes and
// sets *truncated instead of failing (histories and logs are worth reading partially).
std::optional<std::string> ReadOptionalFileHead(const Target& target, std::string_view path,
                                                Output& out, bool* truncated);

// Whether `path` names an entry (a dangling symlink counts), with symlinks in its parent
// directories resolved inside the image first: on merged-/usr systems /lib and /bin are
// symlinks, and Filesystem::Exists (an lstat) must not be given a path through one.
bool EntryExists(const Filesystem& fs, std::string_view path);

// The target of the symlink at `path`, parents resolved as in EntryExists.
std::optional<std::string> ReadLinkResolvingParents(const Filesystem& fs, std::string_view path);

// "2026-11-23T13:06:42Z" for a Unix time (UTC); empty for 0.
std::string FormatUtc(int64_t seconds);

}  // namespace imageprobe::probes
