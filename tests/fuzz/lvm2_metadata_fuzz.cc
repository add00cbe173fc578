// SPDX-License-Identifier: Apache-2.0
// An LVM2 physical volume's head in memory (label, PV header, metadata areas and their text),
// and the same bytes as bare config text. Whatever the input: no crash, no hang, bounded
// memory; an LV handed out lies inside the PV, its size is its segments', and reading its
// first and last bytes works.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "images/native/block_device.h"
#include "images/native/lvm_config_text.h"
#include "images/native/lvm_volumes.h"
#include "tests/fuzz/fuzz_files.h"

namespace {

using namespace imageprobe::images::native;

// The input followed by zeros up to 64 MiB: a seed is a PV's first 256 KiB, and the extents its
// metadata maps lie further on. Reads past the input cost no memory.
class ZeroExtendedDevice final : public BlockDevice {
 public:
  explicit ZeroExtendedDevice(std::string head) : head_(std::move(head)) {}
  uint64_t size() const override { return std::max<uint64_t>(head_.size(), 64 << 20); }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override {
    if (offset > size() || out.size() > size() - offset) {
      return std::unexpected(PastEndMessage(*this, offset, out.size()));
    }
    std::memset(out.data(), 0, out.size());
    if (offset < head_.size()) {
      std::memcpy(out.data(), head_.data() + offset,
                  std::min<uint64_t>(out.size(), head_.size() - offset));
    }
    return {};
  }
  std::string Describe() const override { return "fuzz input"; }

 private:
  std::string head_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = imageprobe::fuzz::AsText(data, size);
  (void)ParseConfigText(input);
  auto pv = std::make_shared<ZeroExtendedDevice>(std::string(input));
  auto lvs = ExpandLvmPhysicalVolume(pv, "/dev/sda1");
  if (!lvs) {
    if (lvs.error().empty()) imageprobe::fuzz::Fail("an empty reason");
    return 0;
  }
  for (const LvmVolume& lv : *lvs) {
    if (!lv.device.starts_with("/dev/") || !lv.mapper_device.starts_with("/dev/mapper/")) {
      imageprobe::fuzz::Fail("LV named " + lv.device);
    }
    if (lv.bytes->size() == 0 || lv.bytes->size() > pv->size()) {
      imageprobe::fuzz::Fail(lv.device + " is larger than its PV");
    }
    if (!lv.bytes->Read(0, 1) || !lv.bytes->Read(lv.bytes->size() - 1, 1)) {
      imageprobe::fuzz::Fail(lv.device + ": its first or last byte cannot be read");
    }
    if (lv.bytes->Read(lv.bytes->size(), 1)) imageprobe::fuzz::Fail("read past the end of an LV");
  }
  return 0;
}
