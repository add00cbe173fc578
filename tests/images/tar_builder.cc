// SPDX-License-Identifier: Apache-2.0
#include "tests/images/tar_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <fstream>

namespace imageprobe::testing {

TarBuilder& TarBuilder::File(std::string name, std::string content, int mode, int uid) {
  members_.push_back({std::move(name), std::move(content), "", AE_IFREG, mode, uid});
  return *this;
}
TarBuilder& TarBuilder::Dir(std::string name, int mode) {
  members_.push_back({std::move(name), "", "", AE_IFDIR, mode, 0});
  return *this;
}
TarBuilder& TarBuilder::Symlink(std::string name, std::string target) {
  members_.push_back({std::move(name), "", std::move(target), AE_IFLNK, 0777, 0});
  return *this;
}
TarBuilder& TarBuilder::HardLink(std::string name, std::string target) {
  members_.push_back({std::move(name), "", std::move(target), 0, 0644, 0});
  return *this;
}
TarBuilder& TarBuilder::Fifo(std::string name) {
  members_.push_back({std::move(name), "", "", AE_IFIFO, 0644, 0});
  return *this;
}

std::string TarBuilder::Bytes(std::string_view compression) const {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (compression == "gzip") archive_write_add_filter_gzip(a);
  if (compression == "xz") archive_write_add_filter_xz(a);
  if (compression == "zstd") archive_write_add_filter_zstd(a);
  if (compression == "bzip2") archive_write_add_filter_bzip2(a);
  archive_write_set_bytes_in_last_block(a, 1);
  std::vector<char> buffer(8 << 20);
  size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(a, buffer.data(), buffer.size(), &used), ARCHIVE_OK);
  for (const auto& m : members_) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_perm(e, m.mode);
    archive_entry_set_uid(e, m.uid);
    archive_entry_set_mtime(e, 1700000000, 0);
    if (m.type == 0) {
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_hardlink(e, m.link.c_str());
      archive_entry_set_size(e, 0);
    } else {
      archive_entry_set_filetype(e, m.type);
      if (m.type == AE_IFLNK) archive_entry_set_symlink(e, m.link.c_str());
      archive_entry_set_size(e, m.type == AE_IFREG ? m.content.size() : 0);
    }
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    if (m.type == AE_IFREG && !m.content.empty()) {
      archive_write_data(a, m.content.data(), m.content.size());
    }
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buffer.data(), used);
}

void TarBuilder::WriteTo(const std::string& path, std::string_view compression) const {
  std::string bytes = Bytes(compression);
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good());
}

}  // namespace imageprobe::testing
