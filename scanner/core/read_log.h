// SPDX-License-Identifier: Apache-2.0
// Which files the probes of one root read whole. The runner wraps the root's Filesystem in a
// RecordingFilesystem and hands the log to probes through the Context (FilesRead), so that the
// config-files probe, which runs last, can inventory every config file the others looked at
// (content hash, and redacted text) without each probe having to remember to do it.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "scanner/core/filesystem.h"

namespace imageprobe {

class ReadLog {
 public:
  void Record(std::string_view path);
  std::vector<std::string> Paths() const;  // sorted, physical (symlinks resolved) guest paths

 private:
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> paths_;
};

// What the runner puts in the Context: the log of the root being scanned (null when a probe
// runs outside the runner, as in unit tests).
struct FilesRead {
  const ReadLog* log = nullptr;
};

// Passes everything through to `inner`; a read from offset 0 that returns less than was asked
// for (the whole file) is recorded. Head reads of larger files (an ELF header) are not.
class RecordingFilesystem final : public Filesystem {
 public:
  RecordingFilesystem(const Filesystem& inner, ReadLog& log) : inner_(inner), log_(log) {
    set_max_symlink_hops(inner.max_symlink_hops());
  }

  FsResult<FileStat> Lstat(std::string_view path) const override { return inner_.Lstat(path); }
  FsResult<std::vector<DirEntry>> List(std::string_view dir) const override {
    return inner_.List(dir);
  }
  FsResult<std::string> ReadLink(std::string_view path) const override {
    return inner_.ReadLink(path);
  }
  FsResult<std::string> ReadAt(std::string_view path, uint64_t offset,
                               uint64_t length) const override;
  std::string Describe() const override { return inner_.Describe(); }

 private:
  const Filesystem& inner_;
  ReadLog& log_;
};

}  // namespace imageprobe
