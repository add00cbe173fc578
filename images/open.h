// SPDX-License-Identifier: Apache-2.0
// Opening an input of any supported format as an Image (see scanner/core/image.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "scanner/core/image.h"

namespace imageprobe::images {

// Which engine reads disk images. kAuto: the native engine when it reads the image completely,
// else libguestfs, with the native engine's reason in the backend ("guestfs (tcg); native
// engine: /dev/sda2 is btrfs"). kNative: fail with that reason instead. kGuestfs: the appliance.
enum class Engine { kAuto, kNative, kGuestfs };

// "auto", "native", "guestfs" (the --engine values).
std::string_view EngineName(Engine engine);

struct OpenOptions {
  ProgressFn progress;  // may be empty
  Engine engine = Engine::kAuto;
  // How long a KVM appliance may take to come up before it is presumed hung and the launch is
  // retried with TCG. KVM boots the appliance in a few seconds when it works.
  std::chrono::seconds kvm_launch_timeout{20};
};

// Detects the format from content and opens it read-only. Throws ImageError with a one-line
// reason when the input cannot be opened at all.
std::unique_ptr<Image> OpenImage(const std::string& path, const OpenOptions& options);

}  // namespace imageprobe::images
