// SPDX-License-Identifier: Apache-2.0
// An ext3/4 filesystem's internal journal (the inode s_journal_inum names), found through
// libext2fs' block map of the filesystem as it is on disk (unreplayed, as the kernel reads it
// in ext4_get_journal_inode), and replayed (jbd2_replay.h) onto an overlay of the device.
// A journal kept elsewhere (an external journal device), a journal inode with holes, or
// anything ReplayJournal refuses: the reason, one line.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "images/native/jbd2_overlay.h"

struct struct_ext2_filsys;

namespace imageprobe::images::native {

std::expected<std::shared_ptr<const ReplayedDevice>, std::string> ReplayInternalJournal(
    struct_ext2_filsys* fs, std::shared_ptr<const BlockDevice> device);

}  // namespace imageprobe::images::native
