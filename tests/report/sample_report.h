// SPDX-License-Identifier: Apache-2.0
// A hand-built Report covering every part of the model, for the renderer tests and goldens:
// two roots (one with an OS, findings of several severities, facts, a failed and a not
// applicable probe, errors; one with no OS), image-level errors, and image strings that try
// to inject terminal escapes or carry invalid UTF-8.
#pragma once

#include "scanner/core/report.h"

namespace imageprobe::testing {

Report SampleReport();

}  // namespace imageprobe::testing
