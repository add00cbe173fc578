// SPDX-License-Identifier: Apache-2.0
#include "images/native/jbd2_internal_journal.h"

// com_err's header has no C++ linkage block of its own, and ext2fs.h includes it.
extern "C" {
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>

#include <algorithm>

#include "images/native/concat_device.h"

namespace imageprobe::images::native {
namespace {

constexpr uint64_t kMaxJournalBlocks = uint64_t{1} << 32;  // jbd2 log blocks are 32-bit

// A run of journal blocks that lie contiguously on the filesystem device.
struct Run {
  uint64_t first = 0;     // first journal block of the run
  uint64_t physical = 0;  // where it lies on the device, in filesystem blocks
  uint64_t count = 0;
};

struct Mapping {
  std::vector<Run> runs;
  uint64_t wanted = 0;  // blocks the inode's size covers
  uint64_t fs_blocks = 0;
  std::string problem;
};

int Collect(ext2_filsys, blk64_t* block, e2_blkcnt_t count, blk64_t, int, void* priv) {
  auto* m = static_cast<Mapping*>(priv);
  if (count < 0) return 0;
  uint64_t index = static_cast<uint64_t>(count);
  if (index >= m->wanted) return BLOCK_ABORT;
  uint64_t mapped = m->runs.empty() ? 0 : m->runs.back().first + m->runs.back().count;
  if (index != mapped) {
    m->problem = "journal block " + std::to_string(mapped) + " is not mapped";
    return BLOCK_ABORT;
  }
  if (*block == 0 || *block >= m->fs_blocks) {
    m->problem = "journal block " + std::to_string(index) + " maps to filesystem block " +
                 std::to_string(*block) + ", outside the filesystem";
    return BLOCK_ABORT;
  }
  if (!m->runs.empty() && m->runs.back().physical + m->runs.back().count == *block) {
    ++m->runs.back().count;
  } else {
    m->runs.push_back({index, *block, 1});
  }
  return 0;
}

std::string Uuid(const unsigned char* u) {
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
                u[15]);
  return out;
}

}  // namespace

std::expected<std::shared_ptr<const ReplayedDevice>, std::string> ReplayInternalJournal(
    ext2_filsys fs, std::shared_ptr<const BlockDevice> device) {
  ext2_super_block& super = *fs->super;  // libext2fs's feature tests take it non-const
  // ext4_load_journal: the kernel's order of refusals.
  if (!ext2fs_has_feature_journal(&super)) return std::unexpected("it has no journal feature");
  if (super.s_journal_inum == 0) {
    return std::unexpected("its journal is external (journal UUID " + Uuid(super.s_journal_uuid) +
                           "), not on this device");
  }
  if (super.s_journal_dev != 0) {
    return std::unexpected("it names both a journal inode and a journal device");
  }
  ext2_inode inode{};
  if (errcode_t err = ext2fs_read_inode(fs, super.s_journal_inum, &inode)) {
    return std::unexpected(std::string("journal inode: ") + error_message(err));
  }
  if (inode.i_links_count == 0 || !LINUX_S_ISREG(inode.i_mode)) {
    return std::unexpected("journal inode " + std::to_string(super.s_journal_inum) +
                           " is not a live regular file");
  }
  Mapping m;
  m.fs_blocks = ext2fs_blocks_count(&super);
  m.wanted = EXT2_I_SIZE(&inode) / fs->blocksize;
  if (m.wanted < 2 || m.wanted > kMaxJournalBlocks || m.wanted > m.fs_blocks) {
    return std::unexpected("journal inode's size of " + std::to_string(EXT2_I_SIZE(&inode)) +
                           " bytes is not a journal's");
  }
  errcode_t err = ext2fs_block_iterate3(
      fs, super.s_journal_inum, BLOCK_FLAG_READ_ONLY | BLOCK_FLAG_DATA_ONLY, nullptr, Collect, &m);
  if (!m.problem.empty()) return std::unexpected(m.problem);
  if (err) return std::unexpected(std::string("journal inode's block map: ") + error_message(err));
  uint64_t mapped = m.runs.empty() ? 0 : m.runs.back().first + m.runs.back().count;
  if (mapped < m.wanted) {
    return std::unexpected("journal block " + std::to_string(mapped) + " is not mapped");
  }
  // The runs are contiguous from journal block 0 (checked above): the journal is their
  // concatenation.
  std::vector<ConcatDevice::Piece> pieces;
  for (const Run& run : m.runs) {
    pieces.push_back({run.physical * fs->blocksize, run.count * fs->blocksize});
  }
  auto journal =
      std::make_shared<ConcatDevice>(device, std::move(pieces), "journal of " + device->Describe());
  auto replay = ReplayJournal(*journal, fs->blocksize);
  if (!replay) return std::unexpected(replay.error());
  return std::make_shared<ReplayedDevice>(std::move(device), std::move(journal),
                                          std::move(*replay));
}

}  // namespace imageprobe::images::native
