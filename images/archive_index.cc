// SPDX-License-Identifier: Apache-2.0
#include "images/archive_index.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "scanner/core/guest_path.h"

namespace imageprobe::images {
namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

std::string ArchiveError(archive* a) {
  const char* why = archive_error_string(a);
  return why ? why : "unknown libarchive error";
}

FileType TypeOf(archive_entry* entry) {
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
      return FileType::kRegular;
    case AE_IFDIR:
      return FileType::kDirectory;
    case AE_IFLNK:
      return FileType::kSymlink;
    case AE_IFCHR:
      return FileType::kCharDevice;
    case AE_IFBLK:
      return FileType::kBlockDevice;
    case AE_IFIFO:
      return FileType::kFifo;
    case AE_IFSOCK:
      return FileType::kSocket;
    default:
      return FileType::kUnknown;
  }
}

// Where tar extraction into an empty root at `mount_at` would put `name`, never above it.
std::string GuestPathOf(std::string_view name, std::string_view mount_at) {
  std::string rel = NormalizeGuestPath(name);  // drops "./" and "/", clamps ".." at "/"
  if (rel == "/") return std::string(mount_at);
  return JoinGuestPath(mount_at, std::string_view(rel).substr(1));
}

FileStat DirectoryStat() { return {FileType::kDirectory, 0755, 0, 0, 0, 0}; }

}  // namespace

// Opens a source for reading from its start (also used to re-read large members lazily).
static std::expected<ArchivePtr, std::string> OpenSource(const std::string& path,
                                                         const std::string* bytes) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  if (!a) return std::unexpected(std::string("out of memory"));
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_lzma(a.get());
  archive_read_support_format_tar(a.get());
  int rc = bytes ? archive_read_open_memory(a.get(), bytes->data(), bytes->size())
                 : archive_read_open_filename(a.get(), path.c_str(), 64 * 1024);
  if (rc != ARCHIVE_OK) {
    return std::unexpected("corrupt or truncated archive: " + ArchiveError(a.get()));
  }
  return a;
}

std::expected<ArchiveIndex, std::string> ArchiveIndex::FromFile(const std::string& path,
                                                                Limits limits) {
  ArchiveIndex index(limits);
  auto added = index.AddSource({path, nullptr}, "/");
  if (!added) return std::unexpected(added.error());
  return index;
}

std::expected<ArchiveIndex, std::string> ArchiveIndex::FromMemory(std::string tar_bytes,
                                                                  std::string_view mount_at,
                                                                  Limits limits) {
  ArchiveIndex index(limits);
  auto added = index.AddFromMemory(std::move(tar_bytes), mount_at);
  if (!added) return std::unexpected(added.error());
  return index;
}

std::expected<void, std::string> ArchiveIndex::AddFromMemory(std::string tar_bytes,
                                                             std::string_view mount_at) {
  return AddSource({"", std::make_shared<const std::string>(std::move(tar_bytes))}, mount_at);
}

ArchiveIndex::Node& ArchiveIndex::EnsureDirectory(const std::string& path) {
  auto it = nodes_.find(path);
  if (it != nodes_.end()) return it->second;
  if (path != "/") EnsureDirectory(GuestDirname(path)).children.insert(GuestBasename(path));
  Node node;
  node.stat = DirectoryStat();
  return nodes_.emplace(path, std::move(node)).first->second;
}

void ArchiveIndex::Erase(const std::string& path) {
  auto it = nodes_.find(path);
  if (it == nodes_.end()) return;
  for (const auto& child : std::set<std::string>(it->second.children)) {
    Erase(JoinGuestPath(path, child));
  }
  it = nodes_.find(path);
  if (it->second.data && it->second.data.use_count() == 1) inline_bytes_ -= it->second.data->size();
  nodes_.erase(it);
  if (path != "/") {
    auto parent = nodes_.find(GuestDirname(path));
    if (parent != nodes_.end()) parent->second.children.erase(GuestBasename(path));
  }
}

void ArchiveIndex::Place(const std::string& path, Node node) {
  // Parents must be directories; tar extraction would fail under a file or a symlink too.
  std::string parent = "/";
  for (const auto& part : SplitGuestPath(GuestDirname(path))) {
    parent = JoinGuestPath(parent, part);
    auto it = nodes_.find(parent);
    if (it != nodes_.end() && !it->second.stat.IsDirectory()) {
      problems_.push_back(path + ": parent " + parent + " is not a directory; member skipped");
      return;
    }
  }
  auto existing = nodes_.find(path);
  if (existing != nodes_.end()) {
    if (existing->second.stat.IsDirectory() && node.stat.IsDirectory()) {
      existing->second.stat = node.stat;  // a repeated directory keeps its children
      return;
    }
    if (path == "/") return;  // the root stays a directory whatever a member claims
    Erase(path);
  }
  if (path != "/") EnsureDirectory(GuestDirname(path)).children.insert(GuestBasename(path));
  nodes_.emplace(path, std::move(node));
}

std::expected<void, std::string> ArchiveIndex::AddSource(Source source, std::string_view mount_at) {
  auto opened = OpenSource(source.path, source.bytes.get());
  if (!opened) return std::unexpected(opened.error());
  const int source_id = static_cast<int>(sources_.size());
  sources_.push_back(std::move(source));
  return AddMembers(opened->get(), source_id, mount_at);
}

namespace {

// libarchive's read callback over a file descriptor, counting the bytes it hands out.
struct FdStream {
  int fd;
  uint64_t max_bytes;
  uint64_t total = 0;
  bool over_budget = false;
  std::vector<char> buffer = std::vector<char>(64 * 1024);
};

la_ssize_t ReadFdStream(archive* a, void* opaque, const void** out) {
  auto* stream = static_cast<FdStream*>(opaque);
  for (;;) {
    ssize_t n = ::read(stream->fd, stream->buffer.data(), stream->buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      archive_set_error(a, errno, "reading the tar stream failed");
      return -1;
    }
    stream->total += static_cast<uint64_t>(n);
    if (stream->total > stream->max_bytes) {
      stream->over_budget = true;
      archive_set_error(a, EFBIG, "tar stream longer than %llu bytes",
                        static_cast<unsigned long long>(stream->max_bytes));
      return -1;
    }
    *out = stream->buffer.data();
    return n;
  }
}

}  // namespace

std::expected<void, std::string> ArchiveIndex::AddFromFd(int fd, std::string_view mount_at,
                                                         uint64_t max_stream_bytes) {
  ArchivePtr a(archive_read_new(), archive_read_free);
  if (!a) return std::unexpected(std::string("out of memory"));
  archive_read_support_format_tar(a.get());
  FdStream stream{fd, max_stream_bytes};
  const std::string over_budget =
      "tar stream longer than " + std::to_string(max_stream_bytes) + " bytes";
  if (archive_read_open(a.get(), &stream, nullptr, ReadFdStream, nullptr) != ARCHIVE_OK) {
    return std::unexpected(stream.over_budget
                               ? over_budget
                               : "corrupt or truncated tar stream: " + ArchiveError(a.get()));
  }
  auto added = AddMembers(a.get(), -1, mount_at);
  if (!added && stream.over_budget) return std::unexpected(over_budget);
  return added;
}

std::expected<void, std::string> ArchiveIndex::AddMembers(archive* a, int source_id,
                                                          std::string_view mount_at) {
  std::string mount = NormalizeGuestPath(mount_at);
  EnsureDirectory(mount);

  archive_entry* entry = nullptr;
  for (uint64_t member = 0;; ++member) {
    int rc = archive_read_next_header(a, &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      return std::unexpected("corrupt or truncated archive: " + ArchiveError(a));
    }
    if (nodes_.size() >= limits_.max_entries) {
      return std::unexpected("archive has more than " + std::to_string(limits_.max_entries) +
                             " entries");
    }
    const char* raw_name = archive_entry_pathname(entry);
    if (raw_name == nullptr) {
      problems_.push_back("member #" + std::to_string(member) + ": unreadable name; skipped");
      continue;
    }
    std::string path = GuestPathOf(raw_name, mount);
    Node node;
    node.stat.type = TypeOf(entry);
    node.stat.mode = archive_entry_perm(entry) & 07777;
    node.stat.uid = static_cast<uint32_t>(archive_entry_uid(entry));
    node.stat.gid = static_cast<uint32_t>(archive_entry_gid(entry));
    node.stat.mtime = archive_entry_mtime(entry);

    if (const char* link = archive_entry_hardlink(entry)) {
      const Node* target = Find(GuestPathOf(link, mount));
      if (target == nullptr || !target->stat.IsRegular()) {
        problems_.push_back(path + ": hard link to missing " + GuestPathOf(link, mount) +
                            "; skipped");
        continue;
      }
      Node copy = *target;
      copy.children.clear();
      Place(path, std::move(copy));
      continue;
    }
    switch (node.stat.type) {
      case FileType::kSymlink: {
        const char* target = archive_entry_symlink(entry);
        node.symlink_target = target ? target : "";
        node.stat.size = node.symlink_target.size();
        break;
      }
      case FileType::kRegular: {
        int64_t declared = archive_entry_size(entry);
        uint64_t size = declared > 0 ? static_cast<uint64_t>(declared) : 0;
        node.stat.size = size;
        if (size <= limits_.max_inline_file_bytes &&
            inline_bytes_ + size <= limits_.max_inline_total_bytes) {
          std::string data(size, '\0');
          size_t got = 0;
          while (got < size) {
            la_ssize_t n = archive_read_data(a, data.data() + got, size - got);
            if (n < 0) return std::unexpected("corrupt or truncated archive: " + ArchiveError(a));
            if (n == 0) break;
            got += static_cast<size_t>(n);
          }
          data.resize(got);
          inline_bytes_ += got;
          node.data = std::make_shared<const std::string>(std::move(data));
        } else {
          // Re-read lazily from the source, or (a one-pass stream) not at all: the next
          // header skips the data.
          node.source = source_id;
          node.member = member;
        }
        break;
      }
      default:
        node.stat.size = 0;
        break;
    }
    Place(path, std::move(node));
  }
  return {};
}

void ArchiveIndex::AddEntry(std::string_view path, FileStat stat, std::string symlink_target,
                            std::optional<std::string> content) {
  Node node;
  node.stat = stat;
  if (stat.IsSymlink()) {
    node.symlink_target = std::move(symlink_target);
    node.stat.size = node.symlink_target.size();
  } else if (stat.IsRegular() && content) {
    inline_bytes_ += content->size();
    node.data = std::make_shared<const std::string>(std::move(*content));
  }
  Place(GuestPathOf(path, "/"), std::move(node));
}

const ArchiveIndex::Node* ArchiveIndex::Find(std::string_view path) const {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second;
}

FsResult<std::string> ArchiveIndex::Read(std::string_view path, uint64_t offset,
                                         uint64_t length) const {
  const Node* node = Find(path);
  if (node == nullptr) return FsFail(FsErrc::kNotFound, path);
  if (!node->stat.IsRegular()) {
    return FsFail(FsErrc::kNotRegular, path, std::string(FileTypeName(node->stat.type)));
  }
  if (node->data) {
    if (offset >= node->data->size()) return std::string();
    return node->data->substr(offset, length);
  }
  if (node->source < 0) {
    return FsFail(FsErrc::kTooLarge, path, "content not kept from a one-pass tar stream");
  }
  // Re-read lazily: skip to the member, then to the offset, then copy at most `length` bytes.
  const Source& source = sources_[node->source];
  auto opened = OpenSource(source.path, source.bytes.get());
  if (!opened) return FsFail(FsErrc::kIo, path, opened.error());
  archive* a = opened->get();
  archive_entry* entry = nullptr;
  for (uint64_t i = 0; i <= node->member; ++i) {
    int rc = archive_read_next_header(a, &entry);
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      return FsFail(FsErrc::kIo, path, "re-reading the archive: " + ArchiveError(a));
    }
  }
  uint64_t end = node->stat.size;
  if (offset >= end) return std::string();
  length = std::min(length, end - offset);
  std::string out;
  out.reserve(length);
  std::string buffer(64 * 1024, '\0');
  uint64_t position = 0;
  while (out.size() < length) {
    la_ssize_t n = archive_read_data(a, buffer.data(), buffer.size());
    if (n < 0) return FsFail(FsErrc::kIo, path, ArchiveError(a));
    if (n == 0) break;
    uint64_t chunk_end = position + static_cast<uint64_t>(n);
    if (chunk_end > offset) {
      uint64_t from = offset > position ? offset - position : 0;
      uint64_t take = std::min<uint64_t>(static_cast<uint64_t>(n) - from, length - out.size());
      out.append(buffer, from, take);
    }
    position = chunk_end;
  }
  return out;
}

}  // namespace imageprobe::images
