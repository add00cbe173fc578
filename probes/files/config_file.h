// SPDX-License-Identifier: Apache-2.0
// The config-file inventory: for every config file a probe read, its content hash, size, mode
// and owner, and for small text files the text with secrets redacted, so that a saved report is
// enough for `diff` to show what changed inside a file (a unified diff), not just that it did.
//
// What may be shown is decided here, by path first: files that hold secrets by their nature
// (shadow, private host keys, the SSM vault and registration, AWS credentials, cloud-init's
// instance data and user-data) are hashed, never shown. Every other text file is shown after
// RedactSecretsInText (probes/cloudinit/secret_hints.h), the one place that decides what a
// secret looks like; a file that holds a PEM private key anywhere is hashed only.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "scanner/core/filesystem.h"

namespace imageprobe::probes {

// Text larger than this is hashed only: a report is not an archive of the image.
inline constexpr uint64_t kMaxConfigTextBytes = 64 * 1024;

enum class ConfigFileClass {
  kNotConfig,  // not inventoried (home directories, package database, binaries…)
  kHashOnly,   // a config file that holds secrets by nature: hash, size, mode only
  kText,       // a config file whose (redacted) text may be shown
};

// By guest path (physical: symlinks already resolved).
ConfigFileClass ClassifyConfigPath(std::string_view path);

struct ConfigFileFact {
  std::string path;
  std::string sha256;  // of the whole content, as read
  uint64_t size = 0;
  uint32_t mode = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  // Why no text is shown: "secret-bearing", "private key", "binary", "too large"; empty when
  // `text` is set.
  std::string hash_only_reason;
  std::optional<std::string> text;  // redacted
};
void to_json(nlohmann::json& j, const ConfigFileFact& fact);

// Pure: the fact for one file of class `file_class` (not kNotConfig) with this content.
ConfigFileFact DescribeConfigFile(std::string_view path, ConfigFileClass file_class,
                                  const FileStat& stat, std::string_view content);

}  // namespace imageprobe::probes
