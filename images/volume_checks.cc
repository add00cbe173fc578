// SPDX-License-Identifier: Apache-2.0
// The size a bare filesystem or a partition table claims, against the size of the file: a disk
// copied only halfway claims more than it has. References: e2fsprogs lib/ext2fs/ext2_fs.h
// (s_blocks_count_lo at 4, s_log_block_size at 24, s_blocks_count_hi at 0x150); xfs_format.h
// (sb_blocksize at 4, sb_dblocks at 8, big-endian); btrfs ctree.h (total_bytes at 0x70 of the
// superblock at 64 KiB); UEFI 2.x 5.3.2 (GPT header: AlternateLBA at 32); MBR partition entries
// (LBA start at 8, sector count at 12).
#include "images/byte_reader.h"
#include "images/container_checks.h"

namespace imageprobe::images {
namespace {

CheckResult ClaimFits(std::string_view what, uint64_t claimed, uint64_t size) {
  if (claimed <= size) return {};
  return std::unexpected("truncated: " + std::string(what) + " claims " + std::to_string(claimed) +
                         " bytes but the file has " + std::to_string(size));
}

CheckResult CheckExt(const ByteSource& input) {
  auto sb = input.Read(1024, 1024);
  if (!sb) return std::unexpected(sb.error());
  uint32_t log_block = Le32(*sb, 24);
  if (log_block > 6)
    return std::unexpected("ext superblock is corrupt: block size 2^" +
                           std::to_string(10 + log_block));
  uint64_t blocks = Le32(*sb, 4);
  if (Le32(*sb, 96) & 0x80) blocks |= uint64_t{Le32(*sb, 0x150)} << 32;  // 64bit feature
  return ClaimFits("ext filesystem", blocks << (10 + log_block), input.size());
}

CheckResult CheckXfs(const ByteSource& input) {
  auto sb = input.Read(0, 512);
  if (!sb) return std::unexpected(sb.error());
  uint32_t block = Be32(*sb, 4);
  uint64_t dblocks = Be64(*sb, 8);
  if (block < 512 || block > 65536)
    return std::unexpected("XFS superblock is corrupt: block size " + std::to_string(block));
  if (dblocks > (~0ull) / block) return std::unexpected("XFS superblock is corrupt: block count");
  return ClaimFits("XFS filesystem", dblocks * block, input.size());
}

CheckResult CheckBtrfs(const ByteSource& input) {
  auto sb = input.Read(0x10000, 4096);
  if (!sb) return std::unexpected(sb.error());
  // total_bytes spans every device of a multi-device filesystem; only a single-device
  // filesystem (num_devices == 1 at 0x88) can be compared with this file.
  if (Le64(*sb, 0x88) != 1) return {};
  return ClaimFits("btrfs filesystem", Le64(*sb, 0x70), input.size());
}

CheckResult CheckPartitionTable(const ByteSource& input) {
  auto head = input.Read(0, 8192);
  if (!head) return std::unexpected(head.error());
  const uint64_t size = input.size();
  for (uint64_t sector : {512u, 4096u}) {
    if (!HasAt(*head, sector, "EFI PART")) continue;
    uint64_t alternate = Le64(*head, sector + 32);
    if (alternate >= size / sector) return Truncated("GPT backup header", alternate * sector, size);
    return {};
  }
  for (int i = 0; i < 4; ++i) {
    size_t e = 446 + 16 * size_t(i);
    if ((*head)[e + 4] == 0) continue;
    uint64_t end = (uint64_t{Le32(*head, e + 8)} + Le32(*head, e + 12)) * 512;
    auto fits = ClaimFits("MBR partition " + std::to_string(i + 1), end, size);
    if (!fits) return fits;
  }
  return {};
}

}  // namespace

CheckResult CheckVolume(const Detection& detection, const ByteSource& input) {
  switch (detection.format) {
    case Format::kExtFs:
      return CheckExt(input);
    case Format::kXfsFs:
      return CheckXfs(input);
    case Format::kBtrfsFs:
      return CheckBtrfs(input);
    case Format::kRawDisk:
      return CheckPartitionTable(input);
    default:
      return {};
  }
}

}  // namespace imageprobe::images
