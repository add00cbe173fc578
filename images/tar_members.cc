// SPDX-License-Identifier: Apache-2.0
#include "images/tar_members.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace imageprobe::images {

std::expected<std::vector<TarMember>, std::string> ListTarMembers(const std::string& path,
                                                                  size_t max_members) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return std::unexpected(std::string("cannot read tar: ") + archive_error_string(a.get()));
  }
  std::vector<TarMember> members;
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      const char* why = archive_error_string(a.get());
      return std::unexpected(std::string("corrupt or truncated tar: ") + (why ? why : "unknown"));
    }
    if (members.size() >= max_members) {
      return std::unexpected("tar has more than " + std::to_string(max_members) + " members");
    }
    const char* name = archive_entry_pathname(entry);
    members.push_back({name ? name : "", static_cast<uint64_t>(archive_entry_size(entry)),
                       archive_entry_filetype(entry) == AE_IFREG});
  }
  return members;
}

}  // namespace imageprobe::images
