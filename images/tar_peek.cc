// SPDX-License-Identifier: Apache-2.0
#include "images/tar_peek.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace imageprobe::images {
namespace {

constexpr size_t kMaxMembers = 256;

struct ArchiveReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

std::string FilterName(archive* a) {
  // Filter 0 is the outermost; "none" when there is no compression.
  for (int i = 0; i < archive_filter_count(a); ++i) {
    switch (archive_filter_code(a, i)) {
      case ARCHIVE_FILTER_GZIP:
        return "gzip";
      case ARCHIVE_FILTER_XZ:
        return "xz";
      case ARCHIVE_FILTER_ZSTD:
        return "zstd";
      case ARCHIVE_FILTER_BZIP2:
        return "bzip2";
      case ARCHIVE_FILTER_LZMA:
        return "lzma";
      default:
        break;
    }
  }
  return "";
}

}  // namespace

std::optional<TarPeek> PeekTar(std::string_view head) {
  std::unique_ptr<archive, ArchiveReadDeleter> a(archive_read_new());
  if (!a) return std::nullopt;
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_lzma(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_memory(a.get(), head.data(), head.size()) != ARCHIVE_OK) {
    return std::nullopt;
  }
  TarPeek peek;
  archive_entry* entry = nullptr;
  int rc = archive_read_next_header(a.get(), &entry);
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) return std::nullopt;
  if ((archive_format(a.get()) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_TAR) {
    return std::nullopt;
  }
  peek.compression = FilterName(a.get());
  while (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) {
    const char* name = archive_entry_pathname(entry);
    if (name != nullptr) peek.members.emplace_back(name);
    if (peek.members.size() >= kMaxMembers) break;
    rc = archive_read_next_header(a.get(), &entry);  // a cut-off prefix ends with FATAL: fine
  }
  return peek;
}

}  // namespace imageprobe::images
