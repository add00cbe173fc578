// SPDX-License-Identifier: Apache-2.0
// Recovery of a jbd2 journal in memory: the three passes of the kernel's fs/jbd2/recovery.c
// (and e2fsprogs' e2fsck/recovery.c, the same code), read and rewritten here, not copied:
//   scan   — from s_start/s_sequence, follow descriptor, revoke and commit blocks of
//            consecutive transactions around the circular log, to the first transaction that
//            is not complete (no commit block, a wrong sequence, a bad commit checksum);
//   revoke — collect every revoke record of those transactions, with its transaction;
//   replay — for each tag of each descriptor, the newest copy of the filesystem block wins,
//            unless a revoke of the same or a later transaction names the block.
// Nothing is written: the result maps filesystem blocks to journal blocks (no copies), and an
// overlay (jbd2_overlay.h) serves them. Where the kernel's recovery fails (a descriptor or a
// data block that fails its checksum in a transaction that committed, a read error), this
// fails too, with the reason; where the kernel stops quietly (an uncommitted or stale tail),
// this stops there too.
//
// Bounds: every read lies inside the journal device; each pass reads at most the log's length
// in blocks (a log that would need more loops), and revoke records are capped.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <string>

#include "images/native/block_device.h"
#include "images/native/jbd2_superblock.h"

namespace imageprobe::images::native {

struct JournalReplay {
  struct Copy {
    uint32_t journal_block = 0;  // where the newest copy lies in the journal
    bool escaped = false;        // JBD2_FLAG_ESCAPE: its first 4 bytes are the jbd2 magic
  };
  uint32_t block_size = 0;
  std::map<uint64_t, Copy> blocks;  // filesystem block → newest copy not revoked
  uint32_t transactions = 0;        // complete transactions replayed
  uint64_t writes = 0;              // tags replayed (the kernel's nr_replays)
  uint64_t revoke_hits = 0;         // tags skipped because a revoke names them
};

// `journal` is the journal's bytes, block 0 its superblock. `fs_block_size` 0 accepts the
// journal's own block size (fuzzing). Errors are one line ("transaction 7: descriptor at
// journal block 40 fails its checksum").
std::expected<JournalReplay, std::string> ReplayJournal(const BlockDevice& journal,
                                                        uint32_t fs_block_size);

}  // namespace imageprobe::images::native
