// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/line_diff.h"

#include <algorithm>
#include <cstdint>

namespace imageprobe {

namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back(text);
      break;
    }
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return lines;
}

struct Edit {
  char op;           // ' ', '-', '+'
  size_t old_index;  // 0-based line in old (for '+': the old position it goes before)
  size_t new_index;  // 0-based line in new (for '-': the new position it comes before)
};

// The edit script turning a[lo_a, hi_a) into b[lo_b, hi_b): LCS when the table fits,
// otherwise every old line removed and every new line added.
void MiddleEdits(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                 size_t lo_a, size_t hi_a, size_t lo_b, size_t hi_b, size_t max_cells,
                 std::vector<Edit>& out) {
  size_t n = hi_a - lo_a, m = hi_b - lo_b;
  if (n == 0 || m == 0 || (n + 1) * (m + 1) > max_cells) {
    for (size_t i = lo_a; i < hi_a; ++i) out.push_back({'-', i, lo_b});
    for (size_t j = lo_b; j < hi_b; ++j) out.push_back({'+', hi_a, j});
    return;
  }
  // lcs[i][j]: LCS length of a[lo_a+i..hi_a) and b[lo_b+j..hi_b).
  std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [m](size_t i, size_t j) { return i * (m + 1) + j; };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[at(i, j)] = a[lo_a + i] == b[lo_b + j] ? lcs[at(i + 1, j + 1)] + 1
                                                 : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    }
  }
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[lo_a + i] == b[lo_b + j]) {
      out.push_back({' ', lo_a + i, lo_b + j});
      ++i, ++j;
    } else if (j == m || (i < n && lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
      out.push_back({'-', lo_a + i, lo_b + j});
      ++i;
    } else {
      out.push_back({'+', lo_a + i, lo_b + j});
      ++j;
    }
  }
}

std::string Range(size_t start, size_t count) {
  // diff -u: "start,count" with 1-based start; an empty range names the line before it.
  size_t first = count == 0 ? start : start + 1;
  return count == 1 ? std::to_string(first) : std::to_string(first) + "," + std::to_string(count);
}

}  // namespace

std::vector<std::string> UnifiedDiff(std::string_view old_text, std::string_view new_text,
                                     const LineDiffOptions& options) {
  if (old_text == new_text) return {};
  std::vector<std::string_view> a = SplitLines(old_text), b = SplitLines(new_text);
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<Edit> edits;
  for (size_t i = 0; i < head; ++i) edits.push_back({' ', i, i});
  MiddleEdits(a, b, head, a.size() - tail, head, b.size() - tail, options.max_table_cells, edits);
  for (size_t k = tail; k-- > 0;) {
    edits.push_back({' ', a.size() - 1 - k, b.size() - 1 - k});
  }

  // Group changes into hunks with `context` lines around them; hunks closer than twice the
  // context merge, as diff -u does.
  std::vector<std::string> out;
  for (size_t k = 0; k < edits.size();) {
    if (edits[k].op == ' ') {
      ++k;
      continue;
    }
    size_t begin = k >= options.context ? k - options.context : 0;
    size_t end = k;
    while (end < edits.size()) {
      if (edits[end].op != ' ') {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < edits.size() && edits[run].op == ' ') ++run;
      if (run == edits.size() || run - end > 2 * options.context) {
        end = std::min(run, end + options.context);
        break;
      }
      end = run;
    }
    size_t old_start = edits[begin].old_index, new_start = edits[begin].new_index;
    size_t old_count = 0, new_count = 0;
    for (size_t e = begin; e < end; ++e) {
      if (edits[e].op != '+') ++old_count;
      if (edits[e].op != '-') ++new_count;
    }
    out.push_back("@@ -" + Range(old_start, old_count) + " +" + Range(new_start, new_count) +
                  " @@");
    for (size_t e = begin; e < end; ++e) {
      std::string_view line = edits[e].op == '+' ? b[edits[e].new_index] : a[edits[e].old_index];
      out.push_back(std::string(1, edits[e].op) + std::string(line));
    }
    k = end;
  }
  if (out.size() > options.max_lines) {
    size_t cut = out.size() - options.max_lines;
    out.resize(options.max_lines);
    out.push_back("… " + std::to_string(cut) + " more diff lines left out");
  }
  return out;
}

}  // namespace imageprobe
