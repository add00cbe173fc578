// SPDX-License-Identifier: Apache-2.0
// SshdConfigSource over a guest Filesystem: bounded reads, and glob(3) expansion done against
// the image's directories (never the host's).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/sshd/sshd_config_parser.h"
#include "scanner/core/filesystem.h"
#include "scanner/core/probe.h"

namespace imageprobe::probes {

class FilesystemConfigSource final : public SshdConfigSource {
 public:
  FilesystemConfigSource(const Filesystem& fs, const ScanLimits& limits)
      : fs_(fs), limits_(limits) {}
  std::expected<std::string, std::string> Read(std::string_view path) const override;
  // glob(3) with flags 0, as sshd calls it: "*", "?" and "[…]" per path component, a leading
  // "." only matched explicitly, results sorted bytewise (sshd runs in the C locale).
  // A directory the glob could not list because of a resource limit (over max_dir_entries,
  // time budget) is recorded here: sshd would have read what is in it, so the view is partial.
  std::vector<std::string> Glob(std::string_view pattern) const override;
  const std::vector<FsError>& limited_listings() const { return limited_listings_; }

 private:
  const Filesystem& fs_;
  const ScanLimits& limits_;
  mutable std::vector<FsError> limited_listings_;
};

// Normalises a guest path: collapses "//" and ".", resolves ".." lexically (stopping at "/").
std::string NormaliseGuestPath(std::string_view path);

}  // namespace imageprobe::probes
