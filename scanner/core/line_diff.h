// SPDX-License-Identifier: Apache-2.0
// A unified diff of two texts, line by line (diff -u style hunks with 3 lines of context), for
// config files whose redacted text both reports carry. Bounded: the edit script comes from an
// LCS table over the lines that differ after the common head and tail are trimmed, and when
// that table would be too big the middle is shown as one replacement; output stops after
// max_lines lines with a note saying how many were left out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe {

struct LineDiffOptions {
  size_t context = 3;
  size_t max_lines = 400;                    // of output, hunk headers included
  size_t max_table_cells = size_t{4} << 20;  // LCS cells (lines × lines) before giving up
};

// Hunks only ("@@ -1,4 +1,3 @@", then lines starting with ' ', '-' or '+'), no file header;
// empty when the texts are equal. A missing final newline is not marked.
std::vector<std::string> UnifiedDiff(std::string_view old_text, std::string_view new_text,
                                     const LineDiffOptions& options = {});

}  // namespace imageprobe
