// SPDX-License-Identifier: Apache-2.0
// What this machine offers imageprobe, for `imageprobe version`: which engines can open inputs
// and, for libguestfs, which accelerator a scan would use. Nothing is launched: the answer comes
// from the libraries present, /dev/kvm, /boot and the launch policy's cached KVM verdict
// (kvm_failure_cache.h), as virt-host-validate answers from the host rather than a test boot.
#pragma once

#include <string>
#include <vector>

namespace imageprobe::images {

struct EngineStatus {
  std::string name;  // "directory", "archive", "libguestfs", "native"
  bool available = false;
  std::string inputs;  // what it opens
  std::string detail;  // version, or why it is not available
};

struct HostReport {
  std::vector<EngineStatus> engines;
  // libguestfs only (empty when it is not available).
  std::string accelerator;  // "kvm", "tcg" or "configured"
  std::string accelerator_reason;
  std::string hypervisor;
  std::string appliance_kernel;  // the /boot/vmlinuz-* supermin would boot; "" when none
  std::string kvm_cache;         // where the KVM verdict is kept
};

HostReport DescribeHost();

}  // namespace imageprobe::images
