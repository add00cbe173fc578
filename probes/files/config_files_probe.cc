// SPDX-License-Identifier: Apache-2.0
// References: none beyond probes/files/config_file.cc: this probe only re-reads, through the
// same read-only Filesystem, the files other probes already read.
#include "probes/files/config_files_probe.h"

#include "probes/files/config_file.h"
#include "probes/files/config_files_records.h"
#include "scanner/core/read_log.h"

namespace imageprobe::probes {

void ConfigFilesProbe::Run(const Target& target, Output& out) const {
  const FilesRead& files_read = target.context.Memo<FilesRead>([] { return FilesRead{}; });
  if (!files_read.log) {
    out.NotApplicable("no record of the files other probes read");
    return;
  }
  // Paths are physical (symlinks resolved); a second read of a small config file is served by
  // the backends' caches (guestfs prefetch) or the host page cache.
  for (const std::string& path : files_read.log->Paths()) {
    ConfigFileClass file_class = ClassifyConfigPath(path);
    if (file_class == ConfigFileClass::kNotConfig) continue;
    auto stat = target.fs.Lstat(path);
    if (!stat || !stat->IsRegular()) continue;  // it was a regular file when read
    auto content = target.fs.ReadFile(path, target.limits.max_file_bytes);
    if (!content) {
      out.Error(path, "config file read again for its hash: " + content.error().Message());
      continue;
    }
    out.AddFact(kConfigFileRecord, path, DescribeConfigFile(path, file_class, *stat, *content));
  }
}

}  // namespace imageprobe::probes
