// SPDX-License-Identifier: Apache-2.0
// OVA (a tar of an .ovf descriptor, a manifest and disk files). A tar stores each member's
// bytes contiguously after its header, so the native engine reads the disk member in place:
// LocateOvaDisk says where it lies, and the OVA itself is the device (a lifted VM's OVA is often
// tens of GB; nothing is copied). libguestfs cannot open a range of a file, so for it the member
// is copied out to a private temporary directory (nothing may be written next to the input),
// removed when the returned object is destroyed.
//
// The disk is the first file the .ovf's <References><File ovf:href=…> names that is present in
// the archive (falling back to the first .vmdk/.qcow2/.img/.vhd/.vhdx member). Member names
// never become host paths: the copy is always <tmpdir>/disk.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::images {

class ExtractedDisk {
 public:
  // Registers `dir` for removal should an interrupted process exit without unwinding.
  ExtractedDisk(std::string dir, std::string disk_path, std::string member, uint64_t size);
  ~ExtractedDisk();
  ExtractedDisk(const ExtractedDisk&) = delete;
  ExtractedDisk& operator=(const ExtractedDisk&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& disk_path() const { return disk_path_; }
  const std::string& member() const { return member_; }  // the name inside the OVA
  uint64_t size() const { return size_; }

 private:
  std::string dir_;
  std::string disk_path_;
  std::string member_;
  uint64_t size_;
};

// The disk member and where its bytes lie in the OVA.
struct OvaDisk {
  std::string member;  // the name inside the OVA
  uint64_t size = 0;
  // Offset of its first byte in the OVA, when the member is stored contiguously (every ustar,
  // pax and GNU member but a GNU sparse one). Unset with `not_in_place` saying why.
  std::optional<uint64_t> data_offset;
  std::string not_in_place;
};

// Pure: the ovf:href values of the <File> elements, in document order.
std::vector<std::string> ParseOvfFileRefs(std::string_view ovf);

// Throws ImageError("<ova_path>: …") when there is no usable disk member, a member claims more
// bytes than the whole OVA, or the archive is truncated.
OvaDisk LocateOvaDisk(const std::string& ova_path);

// The member copied out; throws as LocateOvaDisk does, or when the copy cannot be written.
std::unique_ptr<ExtractedDisk> ExtractOvaDisk(const std::string& ova_path, const OvaDisk& disk);
std::unique_ptr<ExtractedDisk> ExtractOvaDisk(const std::string& ova_path);

}  // namespace imageprobe::images
