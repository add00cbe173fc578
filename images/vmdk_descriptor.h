// SPDX-License-Identifier: Apache-2.0
// The VMDK text descriptor (a separate file, or embedded in a monolithicSparse/streamOptimized
// extent): createType, the parent link of a delta disk, and the extent lines
//   RW 4192256 SPARSE "disk-s001.vmdk"
//   RDONLY 2048 FLAT "disk-flat.vmdk" 0
// Reference: VMware "Virtual Disk Format 5.0" (the descriptor file section); qemu
// block/vmdk.c vmdk_parse_extents().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images {

struct VmdkExtent {
  std::string access;  // RW, RDONLY, NOACCESS
  uint64_t sectors = 0;
  std::string type;  // FLAT, SPARSE, ZERO, VMFS, VMFSSPARSE, VMFSRDM, VMFSRAW, SESPARSE
  std::string file;  // as written, relative to the descriptor's directory; empty for ZERO
  uint64_t offset = 0;
  int line = 0;
};

struct VmdkDescriptor {
  std::string create_type;  // "monolithicSparse", "streamOptimized", "twoGbMaxExtentSparse", …
  std::string parent_cid;   // "ffffffff" when there is no parent
  std::string parent_file_name_hint;
  std::vector<VmdkExtent> extents;
  std::vector<std::string> problems;  // "line 7: unparsable extent line"

  // A delta disk: qemu would open the parent named in the descriptor, a path chosen by the
  // image's author. We refuse those rather than let a hostile image name a host file.
  bool HasParent() const {
    return !parent_file_name_hint.empty() || (!parent_cid.empty() && parent_cid != "ffffffff");
  }
};

// Pure. Stops at the first NUL (an embedded descriptor is NUL-padded).
VmdkDescriptor ParseVmdkDescriptor(std::string_view text);

}  // namespace imageprobe::images
