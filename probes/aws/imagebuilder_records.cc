// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/imagebuilder_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kImageBuilderMarkerVolatile[] = {"mtime_utc"};
constexpr std::string_view kImageBuilderToeFolderVolatile[] = {"mtime_utc"};

}  // namespace

const RecordKind kImageBuilderMarkerRecord{
    .name = "imagebuilder/marker",
    .key = "path",
    .description = "an Image Builder marker file (skip_cleanup_*)",
    .volatile_members = kImageBuilderMarkerVolatile,
};

const RecordKind kImageBuilderToeFolderRecord{
    .name = "imagebuilder/toe_folder",
    .key = "path",
    .description = "an AWSTOE working folder left in the image",
    .volatile_members = kImageBuilderToeFolderVolatile,
};

const RecordKind kImageBuilderCleanupStateRecord{
    .name = "imagebuilder/cleanup_state",
    .key = "\"cleanup\"",
    .description = "what Image Builder's cleanup script would remove, and what is still there",
};

}  // namespace imageprobe::probes
