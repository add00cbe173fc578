// SPDX-License-Identifier: Apache-2.0
// A directory tree of any Filesystem copied into an ArchiveIndex, as a tar_out of the same tree
// would have filled it: the libguestfs backend reads a crowded /home from the raw image file
// with the native ext4 layer (host_ext4_trees.h) and serves it exactly as a streamed tree.
//
// Entries take their stat from the filesystem's listing, with the size a tar header records
// (none for directories, devices, fifos and sockets); symlinks are entries with their target,
// never followed; regular files bring their content when the index's limits keep it, and only
// their metadata otherwise. The walk stops at the index's entry limit and at kMaxTreeDepth
// (a corrupted filesystem can loop), with the reason.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "images/archive_index.h"
#include "scanner/core/filesystem.h"

namespace imageprobe::images {

// Adds the tree at `dir_in_fs` of `fs` (its top and everything below) to `index`, placed under
// `guest_dir`. Fails with a one-line reason, leaving `index` partly filled, when `dir_in_fs` is
// missing or not a directory (a symlink to one is not), a listing or read fails, or the tree has
// more entries than the index allows ("more than N entries").
std::expected<void, std::string> SnapshotTree(const Filesystem& fs, std::string_view dir_in_fs,
                                              std::string_view guest_dir, ArchiveIndex& index);

inline constexpr int kMaxTreeDepth = 256;

}  // namespace imageprobe::images
