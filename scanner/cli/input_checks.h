// SPDX-License-Identifier: Apache-2.0
// Checks on the command line's paths made before anything is opened: an input that does not
// exist or is empty gets a clear one-line reason, and --output may never land on an input (or
// inside an input directory): read-only means the evidence is never written.
#pragma once

#include <optional>
#include <span>
#include <string>

namespace imageprobe::cli {

// nullopt when `path` looks openable; otherwise the reason ("no such file or directory",
// "empty file (0 bytes)").
std::optional<std::string> InputProblem(const std::string& path);

// nullopt when writing `output` cannot touch any of `inputs`; otherwise why not.
std::optional<std::string> OutputProblem(const std::string& output,
                                         std::span<const std::string> inputs);

// SHA-256 of a regular file, lower-case hex, read once in chunks; nullopt for a directory or
// on a read error.
std::optional<std::string> FileSha256(const std::string& path);

}  // namespace imageprobe::cli
