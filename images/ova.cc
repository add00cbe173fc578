// SPDX-License-Identifier: Apache-2.0
// References: DMTF DSP0243 "Open Virtualization Format Specification" 2.1, 5.3 (an OVA is a
// tar whose first member is the .ovf) and 7.1 (References/File/@ovf:href).
#include "images/ova.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <expected>
#include <optional>

#include "images/unique_fd.h"
#include "scanner/core/cancel.h"
#include "scanner/core/image.h"
#include "scanner/parse/text.h"

namespace imageprobe::images {
namespace {

constexpr uint64_t kMaxOvfBytes = 4 << 20;

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

// Member names compared the way tar writers vary them: "./disk1.vmdk" is "disk1.vmdk".
std::string_view StripDotSlash(std::string_view name) {
  while (name.starts_with("./")) name.remove_prefix(2);
  return name;
}

bool LooksLikeDisk(std::string_view name) {
  std::string lower = parse::ToLower(name);
  for (const char* ext : {".vmdk", ".qcow2", ".img", ".vhd", ".vhdx", ".raw"}) {
    if (lower.ends_with(ext)) return true;
  }
  return false;
}

std::string ArchiveError(archive* a) {
  const char* why = archive_error_string(a);
  return why ? why : "unknown error";
}

ArchivePtr OpenOva(const std::string& path) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    throw ImageError(path + ": cannot read OVA: " + ArchiveError(a.get()));
  }
  return a;
}

struct Member {
  std::string name;
  uint64_t size;
  uint64_t header_offset;  // where its first header block (pax/GNU extension or ustar) starts
  bool sparse;             // a GNU sparse member: `size` is its logical size, not what is stored
};

// One pass over the headers: every regular member, and the .ovf's text. A read error is kept
// (not thrown) so that a member claiming more than the archive can be named precisely first.
struct Survey {
  std::vector<Member> members;
  std::string ovf;
  std::string error;
};

Survey SurveyOva(const std::string& path) {
  Survey survey;
  ArchivePtr a = OpenOva(path);
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      survey.error = ArchiveError(a.get());
      break;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* raw = archive_entry_pathname(entry);
    std::string name(StripDotSlash(raw ? raw : ""));
    int64_t size = archive_entry_size(entry);
    survey.members.push_back({name, size > 0 ? static_cast<uint64_t>(size) : 0,
                              static_cast<uint64_t>(archive_read_header_position(a.get())),
                              archive_entry_sparse_count(entry) > 0});
    if (survey.ovf.empty() && parse::ToLower(name).ends_with(".ovf") && size > 0 &&
        static_cast<uint64_t>(size) <= kMaxOvfBytes) {
      survey.ovf.resize(static_cast<size_t>(size));
      la_ssize_t n = archive_read_data(a.get(), survey.ovf.data(), survey.ovf.size());
      survey.ovf.resize(n > 0 ? static_cast<size_t>(n) : 0);
    }
  }
  return survey;
}

// Writes the member's data to `fd`, leaving holes for all-zero blocks (disk images are mostly
// zeros), and refusing to write more than `limit` bytes.
void CopyMember(archive* a, int fd, uint64_t limit, const std::string& ova_path) {
  std::string buffer(1 << 20, '\0');
  uint64_t written = 0;
  while (true) {
    if (CancelRequested()) throw ImageError(ova_path + ": interrupted while extracting the OVA");
    la_ssize_t n = archive_read_data(a, buffer.data(), buffer.size());
    if (n < 0) throw ImageError(ova_path + ": corrupt or truncated OVA: " + ArchiveError(a));
    if (n == 0) break;
    if (written + static_cast<uint64_t>(n) > limit) {
      throw ImageError(ova_path + ": OVA disk member is larger than it claims");
    }
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    bool zero = std::all_of(chunk.begin(), chunk.end(), [](char c) { return c == 0; });
    if (!zero) {
      size_t done = 0;
      while (done < chunk.size()) {
        ssize_t w = ::pwrite(fd, chunk.data() + done, chunk.size() - done,
                             static_cast<off_t>(written + done));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
          throw ImageError(ova_path + ": cannot write the extracted disk: " + std::strerror(errno));
        }
        done += static_cast<size_t>(w);
      }
    }
    written += static_cast<uint64_t>(n);
  }
  if (::ftruncate(fd, static_cast<off_t>(written)) != 0) {
    throw ImageError(ova_path + ": cannot write the extracted disk: " + std::strerror(errno));
  }
}

// A tar header block's numeric field: octal digits (space/NUL terminated), or GNU's base-256
// (high bit of the first byte set) for sizes of 8 GiB and more.
std::optional<uint64_t> TarNumber(std::string_view field) {
  if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80) != 0) {
    uint64_t value = static_cast<unsigned char>(field[0]) & 0x7f;
    for (char c : field.substr(1)) {
      if (value >> 55) return std::nullopt;
      value = value << 8 | static_cast<unsigned char>(c);
    }
    return value;
  }
  uint64_t value = 0;
  size_t i = 0;
  while (i < field.size() && field[i] == ' ') ++i;
  bool any = false;
  for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i, any = true) {
    if (value >> 60) return std::nullopt;
    value = value * 8 + static_cast<uint64_t>(field[i] - '0');
  }
  return any ? std::optional(value) : std::nullopt;
}

// POSIX ustar: the checksum is the sum of the header's bytes with the checksum field read as
// spaces; historic writers summed signed chars, and libarchive accepts both.
bool TarChecksumMatches(std::string_view block) {
  auto stored = TarNumber(block.substr(148, 8));
  if (!stored) return false;
  int64_t unsigned_sum = 0, signed_sum = 0;
  for (size_t i = 0; i < 512; ++i) {
    char c = i >= 148 && i < 156 ? ' ' : block[i];
    unsigned_sum += static_cast<unsigned char>(c);
    signed_sum += static_cast<signed char>(c);
  }
  return static_cast<int64_t>(*stored) == unsigned_sum ||
         static_cast<int64_t>(*stored) == signed_sum;
}

// Where the data of the member whose headers start at `header_offset` begins. libarchive
// reports that offset (archive_read_header_position: before any pax or GNU long-name block);
// the blocks from there are walked here, each checked, up to the member's own header, whose
// data follows it. Bounded: a run of extension headers longer than kMaxExtensionBytes is
// refused.
std::expected<uint64_t, std::string> DataOffset(const std::string& ova_path, uint64_t header_offset,
                                                uint64_t ova_size) {
  constexpr uint64_t kMaxExtensionBytes = 16u << 20;
  UniqueFd fd(::open(ova_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd.valid()) return std::unexpected(std::string("cannot reopen: ") + std::strerror(errno));
  uint64_t at = header_offset;
  std::string block(512, '\0');
  while (at - header_offset <= kMaxExtensionBytes) {
    if (at + 512 > ova_size ||
        ::pread(fd.get(), block.data(), 512, static_cast<off_t>(at)) != 512) {
      return std::unexpected("tar header at " + std::to_string(at) + " cannot be read");
    }
    if (!TarChecksumMatches(block)) {
      return std::unexpected("tar header at " + std::to_string(at) + " has a bad checksum");
    }
    const char type = block[156];
    switch (type) {
      case 'x':
      case 'g':
      case 'L':
      case 'K': {  // pax and GNU extensions: skip their data
        auto size = TarNumber(std::string_view(block).substr(124, 12));
        if (!size || *size > kMaxExtensionBytes) {
          return std::unexpected("tar extension header at " + std::to_string(at) +
                                 " has an unusable size");
        }
        at += 512 + (*size + 511) / 512 * 512;
        continue;
      }
      case '0':
      case '\0':
      case '7':
        return at + 512;
      case 'S':
        return std::unexpected("a GNU sparse tar member is not stored contiguously");
      default:
        return std::unexpected(std::string("tar header at ") + std::to_string(at) +
                               " is of type '" + type + "', not a file");
    }
  }
  return std::unexpected("tar extension headers longer than " + std::to_string(kMaxExtensionBytes) +
                         " bytes");
}

}  // namespace

ExtractedDisk::ExtractedDisk(std::string dir, std::string disk_path, std::string member,
                             uint64_t size)
    : dir_(std::move(dir)),
      disk_path_(std::move(disk_path)),
      member_(std::move(member)),
      size_(size) {
  RegisterTempPath(dir_);
}

ExtractedDisk::~ExtractedDisk() {
  ::unlink(disk_path_.c_str());
  ::rmdir(dir_.c_str());
  UnregisterTempPath(dir_);
}

std::vector<std::string> ParseOvfFileRefs(std::string_view ovf) {
  std::vector<std::string> refs;
  size_t pos = 0;
  while ((pos = ovf.find('<', pos)) != std::string_view::npos) {
    size_t end = ovf.find('>', pos);
    if (end == std::string_view::npos) break;
    std::string_view tag = ovf.substr(pos + 1, end - pos - 1);
    pos = end;
    // "<File …>" or "<ovf:File …>" (any namespace prefix).
    size_t name_end = tag.find_first_of(" \t\r\n/");
    std::string_view name = tag.substr(0, name_end);
    if (size_t colon = name.find(':'); colon != std::string_view::npos) {
      name = name.substr(colon + 1);
    }
    if (name != "File" || name_end == std::string_view::npos) continue;
    std::string_view attrs = tag.substr(name_end);
    // The href attribute, with or without a namespace prefix, either quote style.
    for (size_t at = attrs.find("href="); at != std::string_view::npos;
         at = attrs.find("href=", at + 1)) {
      char before = at == 0 ? ' ' : attrs[at - 1];
      if (before != ' ' && before != ':' && before != '\t' && before != '\n' && before != '\r') {
        continue;
      }
      size_t quote_at = at + 5;
      if (quote_at >= attrs.size() || (attrs[quote_at] != '"' && attrs[quote_at] != '\'')) {
        continue;
      }
      size_t close = attrs.find(attrs[quote_at], quote_at + 1);
      if (close == std::string_view::npos) break;
      refs.emplace_back(attrs.substr(quote_at + 1, close - quote_at - 1));
      break;
    }
  }
  return refs;
}

OvaDisk LocateOvaDisk(const std::string& ova_path) {
  struct stat ova_stat;
  if (::stat(ova_path.c_str(), &ova_stat) != 0) {
    throw ImageError(ova_path + ": " + std::strerror(errno));
  }
  const uint64_t ova_size = static_cast<uint64_t>(ova_stat.st_size);
  Survey survey = SurveyOva(ova_path);

  const Member* disk = nullptr;
  for (const auto& ref : ParseOvfFileRefs(survey.ovf)) {
    std::string_view wanted = StripDotSlash(ref);
    for (const auto& m : survey.members) {
      if (m.name == wanted && !parse::ToLower(m.name).ends_with(".iso") &&
          !parse::ToLower(m.name).ends_with(".nvram")) {
        disk = &m;
        break;
      }
    }
    if (disk) break;
  }
  if (!disk) {
    for (const auto& m : survey.members) {
      if (LooksLikeDisk(m.name)) {
        disk = &m;
        break;
      }
    }
  }
  if (!disk) {
    if (!survey.error.empty()) {
      throw ImageError(ova_path + ": corrupt or truncated OVA: " + survey.error);
    }
    throw ImageError(ova_path + ": OVA holds no disk member");
  }
  if (disk->size > ova_size && !disk->sparse) {
    throw ImageError(ova_path + ": OVA member \"" + disk->name + "\" claims " +
                     std::to_string(disk->size) + " bytes, more than the whole OVA (" +
                     std::to_string(ova_size) + ")");
  }
  if (!survey.error.empty()) {
    throw ImageError(ova_path + ": corrupt or truncated OVA: " + survey.error);
  }

  OvaDisk located{.member = disk->name, .size = disk->size, .data_offset = {}, .not_in_place = {}};
  auto offset = DataOffset(ova_path, disk->header_offset, ova_size);
  if (offset && *offset + disk->size <= ova_size) {
    located.data_offset = *offset;
  } else {
    located.not_in_place = offset ? "member data runs past the end of the OVA" : offset.error();
  }
  return located;
}

std::unique_ptr<ExtractedDisk> ExtractOvaDisk(const std::string& ova_path) {
  return ExtractOvaDisk(ova_path, LocateOvaDisk(ova_path));
}

std::unique_ptr<ExtractedDisk> ExtractOvaDisk(const std::string& ova_path, const OvaDisk& disk) {
  const char* tmp = ::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/imageprobe-ova.XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {  // mode 0700
    throw ImageError(ova_path + ": cannot create a temporary directory: " + std::strerror(errno));
  }
  // From here on the directory is owned by `extracted` and removed on any exit.
  auto extracted = std::make_unique<ExtractedDisk>(templ, templ + "/disk", disk.member, disk.size);
  UniqueFd dir_fd(::open(templ.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  UniqueFd out(
      ::openat(dir_fd.get(), "disk", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!dir_fd.valid() || !out.valid()) {
    throw ImageError(ova_path + ": cannot create the extracted disk: " + std::strerror(errno));
  }
  ArchivePtr a = OpenOva(ova_path);
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) throw ImageError(ova_path + ": OVA changed while being read");
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      throw ImageError(ova_path + ": corrupt or truncated OVA: " + ArchiveError(a.get()));
    }
    const char* raw = archive_entry_pathname(entry);
    if (archive_entry_filetype(entry) == AE_IFREG && raw && StripDotSlash(raw) == disk.member) {
      CopyMember(a.get(), out.get(), disk.size, ova_path);
      return extracted;
    }
  }
}

}  // namespace imageprobe::images
