// SPDX-License-Identifier: Apache-2.0
// The container layer for qcow2, VMDK, VHD, VHDX and VDI: QEMU's own format drivers, in a
// qemu-nbd child that serves the image read-only over a private Unix socket, read with libnbd.
// No VM is involved; qemu-nbd starts in tens of milliseconds.
//
// Read-only and self-contained by construction:
//  - qemu-nbd gets --read-only and a json: filename with "backing": null, so a qcow2 or VMDK
//    that names a backing file or parent is read alone (the structural checks refuse such an
//    image before this is reached; this is the second line). File locking is off: the input
//    may sit on read-only evidence media, and a lock is a write of sorts.
//  - The socket lives in a private 0700 directory under TMPDIR only until the connection is
//    made, then both are removed; nothing is left behind even if this process is killed.
//  - The child dies with this process (PR_SET_PDEATHSIG) and exits when the connection
//    closes (no --persistent); the destructor also waits for it.
//  - qemu-nbd's own messages go to a memory file, not the terminal, and become the reason of
//    a one-line error when it cannot open the image.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "images/native/block_device.h"

struct nbd_handle;

namespace imageprobe::images::native {

class NbdDevice final : public BlockDevice {
 public:
  // `qemu_format` is qemu's driver name: qcow2, vmdk, vpc, vhdx, vdi (or raw). With `range`,
  // the image is those bytes of the file (qemu's raw driver's offset and size), read in place.
  static std::expected<std::shared_ptr<NbdDevice>, std::string> Open(
      const std::string& path, const std::string& qemu_format,
      std::optional<ByteRange> range = std::nullopt,
      std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~NbdDevice() override;
  NbdDevice(const NbdDevice&) = delete;
  NbdDevice& operator=(const NbdDevice&) = delete;

  uint64_t size() const override { return size_; }
  std::expected<void, std::string> ReadAt(uint64_t offset, std::span<char> out) const override;
  std::string Describe() const override;
  pid_t child() const { return child_; }

  NbdDevice(nbd_handle* handle, pid_t child, uint64_t size, std::string path, std::string format);

 private:
  nbd_handle* handle_;
  pid_t child_;
  uint64_t size_;
  std::string path_;
  std::string format_;
  mutable std::mutex mutex_;  // one request at a time keeps error reporting simple
};

// The json: filename qemu-nbd is given (exposed for tests).
std::string QemuJsonFilename(const std::string& path, const std::string& qemu_format,
                             std::optional<ByteRange> range = std::nullopt);

}  // namespace imageprobe::images::native
