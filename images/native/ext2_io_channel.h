// SPDX-License-Identifier: Apache-2.0
// A libext2fs io_manager that reads through a BlockDevice, so e2fsprogs' own library reads an
// ext2/3/4 filesystem wherever the layers below put it: a partition of a raw file, an LVM
// volume inside a qcow2 served by qemu-nbd, an OVA member.
//
// Writes are refused (EXT2_ET_RO_FILSYS) whatever libext2fs asks: the manager has no way to
// reach a writable file. Reads go through a small cache of 64 KiB chunks, because libext2fs
// reads metadata one block at a time and every read below may be a round trip to qemu-nbd.
#pragma once

#include <ext2fs/ext2fs.h>

#include <memory>
#include <string>

#include "images/native/block_device.h"

namespace imageprobe::images::native {

// The manager, and the name ext2fs_open2 must be given for `device`: the device is kept alive
// by the channel libext2fs opens with that name, and the name is good for one open.
io_manager BlockDeviceIoManager();
std::string NameForOpen(std::shared_ptr<const BlockDevice> device);
// Drops a name ext2fs_open2 did not use (it failed before opening the channel).
void ForgetName(const std::string& name);

// The last read error a channel met, in the device's words ("" when none).
std::string LastChannelError(io_channel channel);

}  // namespace imageprobe::images::native
