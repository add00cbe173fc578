// SPDX-License-Identifier: Apache-2.0
// The native engine's volume layer: the partition table of a disk, read as Linux reads it, so
// that partition numbers, offsets and PARTUUIDs match what the guest's fstab and kernel command
// line name (/dev/sda2, PARTUUID=0badf00d-02). Pure over the device's bytes; a partition's
// bytes are then a SliceDevice(disk, offset, size).
//
// References:
//   UEFI Specification 2.10, §5.3 GUID Partition Table (GPT) Disk Layout (headers, entries,
//   CRC32 over each), §5.2.3 Protective MBR.
//   Linux block/partitions/efi.c (which header wins, numbering by entry index) and msdos.c
//   (primaries by slot, logicals from 5 in EBR-chain order).
//   util-linux libblkid/src/partitions/dos.c (a FAT/NTFS boot sector is not a partition table).
//
// Order of the checks: a protective (0xEE) entry in sector 0 means GPT (so does a hybrid MBR);
// else a DOS table in sector 0 if it is a plausible one; else a GPT header with no protective
// MBR (read, with a warning); else "none". Damage that leaves the table usable (a bad primary
// GPT header, an EBR chain that loops, a partition past the end of a truncated image) is a
// warning; an entry that does not fit the device is skipped, never clipped, so every partition
// returned lies inside the device.
//
// To support another scheme (BSD disklabel, APM), add a reader next to ReadGpt/ReadMbr in the
// .cc and one step in ReadPartitionTable's chain.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "images/native/block_device.h"

namespace imageprobe::images::native {

struct Partition {
  int number = 0;          // Linux's numbering: GPT entry index + 1; MBR primaries 1-4 by
                           // slot, logicals 5, 6, ... in chain order
  uint64_t offset = 0;     // bytes from the start of the disk
  uint64_t size = 0;       // bytes
  std::string type;        // GPT: type GUID lower-case "0fc63daf-8483-4772-8e79-3d69d8477de4";
                           // MBR: "0x83"
  std::string part_uuid;   // GPT: unique partition GUID lower-case; MBR: as blkid prints
                           // PARTUUID: "%08x-%02x" (disk signature, number)
  std::string part_label;  // GPT name (UTF-16LE decoded to UTF-8, up to the first NUL); MBR: ""
};

struct PartitionTable {
  std::string scheme;          // "gpt", "mbr" or "none" (no table: a bare filesystem or unknown)
  uint32_t sector_size = 512;  // GPT: 512 or 4096, where the header was found; MBR: 512
  std::string disk_guid;       // GPT disk GUID lower-case; MBR: the 8-hex-digit disk signature
  std::vector<Partition> partitions;  // sorted by number
  std::vector<std::string> warnings;  // one line each, e.g. "primary GPT header is damaged
                                      // (header CRC mismatch); read the backup at LBA 2097151"
};

// Fails (one line, naming what is wrong) only when a table is present but unreadable as a
// whole (both GPT headers bad, an entry array past the end, ...) or sector 0 cannot be read.
// A device smaller than one sector has no table ("none").
std::expected<PartitionTable, std::string> ReadPartitionTable(const BlockDevice& disk);

}  // namespace imageprobe::images::native
