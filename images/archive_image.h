// SPDX-License-Identifier: Apache-2.0
// An Image over a tar / tar.gz / tar.xz / tar.zst / tar.bz2 of a root tree: one root "/",
// served by ArchiveFs from an index built once at open time (a truncated or corrupt archive
// fails here, as a whole, rather than as missing files later).
#pragma once

#include <memory>
#include <string>

#include "images/format.h"
#include "scanner/core/image.h"

namespace imageprobe::images {

// Throws ImageError ("<path>: corrupt or truncated archive: …").
std::unique_ptr<Image> OpenArchiveImage(const std::string& path, const Detection& detection);

}  // namespace imageprobe::images
