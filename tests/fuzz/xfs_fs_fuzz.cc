// SPDX-License-Identifier: Apache-2.0
// XfsFs over a mutated small XFS image. An XFS is at least 16 MiB, mostly zeros, so the input
// is a sparse image: an 8-byte big-endian device size (at most 64 MiB), then records of an
// 8-byte offset, a 4-byte length and that many bytes; the device reads zeros elsewhere
// (collect-seeds writes the non-zero 4 KiB blocks of mkfs.xfs images this way). Whatever the
// bytes, Open and every read must end in a value or an error: no crash, no hang, no read
// longer than asked, no unbounded memory.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "images/byte_reader.h"
#include "images/native/block_device.h"
#include "images/native/xfs_fs.h"
#include "tests/fuzz/fuzz_files.h"

namespace {

using namespace imageprobe;
using namespace imageprobe::images::native;

constexpr uint64_t kMaxDeviceBytes = 64 << 20;

class SparseDevice final : public BlockDevice {
 public:
  explicit SparseDevice(std::string_view in) {
    size_ = std::min(images::Be64(in, 0), kMaxDeviceBytes);
    size_t pos = 8;
    while (pos + 12 <= in.size()) {
      uint64_t offset = images::Be64(in, pos);
      size_t length = std::min<size_t>(images::Be32(in, pos + 8), in.size() - pos - 12);
      if (offset < size_ && length > 0) {
        chunks_[offset] =
            std::string(in.substr(pos + 12, std::min<uint64_t>(length, size_ - offset)));
      }
      pos += 12 + length;
    }
  }
  uint64_t size() const override { return size_; }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override {
    if (offset > size_ || out.size() > size_ - offset) {
      return std::unexpected(PastEndMessage(*this, offset, out.size()));
    }
    std::fill(out.begin(), out.end(), '\0');
    // Later records win where they overlap, as their order in the map says.
    for (const auto& [at, bytes] : chunks_) {
      if (at >= offset + out.size()) break;
      if (at + bytes.size() <= offset) continue;
      const uint64_t from = std::max(at, offset);
      const uint64_t to = std::min(at + bytes.size(), offset + out.size());
      std::copy(bytes.begin() + (from - at), bytes.begin() + (to - at),
                out.begin() + (from - offset));
    }
    return {};
  }
  std::string Describe() const override { return "fuzz input"; }

 private:
  uint64_t size_ = 0;
  std::map<uint64_t, std::string> chunks_;
};

void Walk(const XfsFs& fs, const std::string& dir, int depth, int& budget) {
  auto entries = fs.List(dir);
  if (!entries) return;
  for (const DirEntry& e : *entries) {
    if (--budget < 0) return;
    const std::string path = dir == "/" ? "/" + e.name : dir + "/" + e.name;
    auto st = fs.Lstat(path);
    if (!st) continue;
    if (st->IsDirectory() && depth < 6) Walk(fs, path, depth + 1, budget);
    if (st->IsSymlink()) (void)fs.ReadLink(path);
    if (st->IsRegular()) {
      constexpr uint64_t kLength = 1 << 16;
      auto data = fs.ReadAt(path, 1, kLength);
      if (data) {
        const uint64_t want = st->size > 1 ? std::min(kLength, st->size - 1) : 0;
        fuzz::Require(data->size() == want, "ReadAt returned a length other than asked");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto device = std::make_shared<SparseDevice>(fuzz::AsText(data, size));
  auto fs = XfsFs::Open(device, "fuzz", 1000);
  if (!fs) return 0;
  int budget = 300;
  Walk(**fs, "/", 0, budget);
  return 0;
}
