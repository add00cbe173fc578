// SPDX-License-Identifier: Apache-2.0
// An Image over a plain host directory (an extracted or mounted root): one root "/", served by
// DirectoryFs. Whether the tree holds an operating system is the OS probe's call, not ours: a
// directory without /etc opens fine and the probes report "not applicable".
#pragma once

#include <memory>
#include <string>

#include "scanner/core/image.h"

namespace imageprobe::images {

// Throws ImageError ("<path>: not a directory", "<path>: permission denied", …).
std::unique_ptr<Image> OpenDirectoryImage(const std::string& path);

}  // namespace imageprobe::images
