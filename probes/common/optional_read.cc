// SPDX-License-Identifier: Apache-2.0
#include "probes/common/optional_read.h"

#include <ctime>

#include "scanner/core/guest_path.h"

namespace imageprobe::probes {

std::optional<std::string> ReadOptionalFile(const Target& target, std::string_view path,
                                            Output& out) {
  auto text = target.fs.ReadFile(path, target.limits.max_file_bytes);
  if (text) return std::move(*text);
  if (text.error().code != FsErrc::kNotFound) {
    out.Error(std::string(path), text.error().Message());
  }
  return std::nullopt;
}

std::optional<std::string> ReadOptionalFileHead(const Target& target, std::string_view path,
                                                Output& out, bool* truncated) {
  *truncated = false;
  auto text = target.fs.ReadFile(path, target.limits.max_file_bytes);
  if (text) return std::move(*text);
  if (text.error().code == FsErrc::kTooLarge) {
    auto head = target.fs.ReadHead(path, target.limits.max_file_bytes);
    if (head) {
      *truncated = true;
      return std::move(*head);
    }
    out.Error(std::string(path), head.error().Message());
    return std::nullopt;
  }
  if (text.error().code != FsErrc::kNotFound) {
    out.Error(std::string(path), text.error().Message());
  }
  return std::nullopt;
}

namespace {
// The physical path of `path` with its directory resolved and its last component kept as is.
std::optional<std::string> ResolveDirectoryOnly(const Filesystem& fs, std::string_view path) {
  auto dir = fs.Resolve(GuestDirname(path));
  if (!dir) return std::nullopt;
  return JoinGuestPath(*dir, GuestBasename(path));
}
}  // namespace

bool EntryExists(const Filesystem& fs, std::string_view path) {
  auto physical = ResolveDirectoryOnly(fs, path);
  return physical && fs.Exists(*physical);
}

std::optional<std::string> ReadLinkResolvingParents(const Filesystem& fs, std::string_view path) {
  auto physical = ResolveDirectoryOnly(fs, path);
  if (!physical) return std::nullopt;
  auto link = fs.ReadLink(*physical);
  if (!link) return std::nullopt;
  return std::move(*link);
}

std::string FormatUtc(int64_t seconds) {
  if (seconds == 0) return {};
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace imageprobe::probes
