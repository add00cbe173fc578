// SPDX-License-Identifier: Apache-2.0
// A Markdown document built from whole blocks, so that it can be cut to fit a size limit
// without breaking: a GitHub comment holds at most 65,536 characters, and a comment cut in the
// middle of a table row or inside <details> renders as garbage. Blocks are kept in order until
// the next one would not fit; then every <details> still open is closed and a note says how
// much was left out and how to get everything.
//
// Callers pass text that is already escaped (EscapeMarkdown); this class adds only structure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::report {

// GitHub's comment limit is 65,536 characters; leave room for a pipeline's own wrapper text.
inline constexpr size_t kMarkdownCommentLimit = 60'000;

class MarkdownDoc {
 public:
  // One or more complete lines (a paragraph, a table row, a list item); a newline is added.
  void Line(std::string text);
  void BlankLine() { Line(""); }
  // <details><summary>summary</summary> … Close(). `summary` must be escaped text.
  void Open(std::string summary);
  void Close();

  // The document, cut at `limit` bytes as described above. `truncated_hint` says where the
  // whole thing is ("run `imageprobe scan --format html`…"): already Markdown.
  std::string Finish(size_t limit, std::string_view truncated_hint) const;

 private:
  enum class Kind { kLine, kOpen, kClose };
  struct Block {
    Kind kind;
    std::string text;
  };
  std::vector<Block> blocks_;
};

}  // namespace imageprobe::report
