// SPDX-License-Identifier: Apache-2.0
#include "probes/files/config_files_records.h"

namespace imageprobe::probes {

const RecordKind kConfigFileRecord{
    .name = "file/config",
    .key = "path",
    .description = "a configuration file the probes read: owner, mode, digest and redacted text",
    .text_member = "text",
};

}  // namespace imageprobe::probes
