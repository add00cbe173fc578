// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/read_log.h"

namespace imageprobe {

void ReadLog::Record(std::string_view path) {
  std::lock_guard lock(mutex_);
  if (!paths_.contains(path)) paths_.emplace(path);
}

std::vector<std::string> ReadLog::Paths() const {
  std::lock_guard lock(mutex_);
  return {paths_.begin(), paths_.end()};
}

FsResult<std::string> RecordingFilesystem::ReadAt(std::string_view path, uint64_t offset,
                                                  uint64_t length) const {
  auto data = inner_.ReadAt(path, offset, length);
  if (data && offset == 0 && data->size() < length) log_.Record(path);
  return data;
}

}  // namespace imageprobe
