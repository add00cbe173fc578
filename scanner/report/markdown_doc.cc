// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/markdown_doc.h"

namespace imageprobe::report {

namespace {

// The closing tag is preceded by a blank line so that a table or list inside ends first.
constexpr std::string_view kClose = "\n</details>\n\n";

std::string OpenText(const std::string& summary) {
  // The blank line after <summary> lets GitHub render Markdown inside the <details> block.
  return "<details><summary>" + summary + "</summary>\n\n";
}

}  // namespace

void MarkdownDoc::Line(std::string text) { blocks_.push_back({Kind::kLine, std::move(text)}); }

void MarkdownDoc::Open(std::string summary) {
  blocks_.push_back({Kind::kOpen, std::move(summary)});
}

void MarkdownDoc::Close() { blocks_.push_back({Kind::kClose, {}}); }

std::string MarkdownDoc::Finish(size_t limit, std::string_view truncated_hint) const {
  std::string out;
  size_t depth = 0;
  size_t kept = 0;
  // Room kept back for closing what is open and for the note.
  const size_t reserve = 400 + truncated_hint.size();
  for (; kept < blocks_.size(); ++kept) {
    const Block& b = blocks_[kept];
    std::string piece = b.kind == Kind::kLine   ? b.text + "\n"
                        : b.kind == Kind::kOpen ? OpenText(b.text)
                                                : std::string(kClose);
    size_t closing = (depth + (b.kind == Kind::kOpen ? 1 : 0)) * kClose.size();
    if (out.size() + piece.size() + closing + reserve > limit) break;
    out += piece;
    if (b.kind == Kind::kOpen) ++depth;
    if (b.kind == Kind::kClose && depth > 0) --depth;
  }
  if (kept == blocks_.size()) return out;

  size_t left_out = 0;
  for (size_t i = kept; i < blocks_.size(); ++i) left_out += blocks_[i].text.size() + 1;
  for (; depth > 0; --depth) out += kClose;
  out += "\n---\n**Truncated:** about " + std::to_string(left_out) +
         " more characters did not fit in a comment. " + std::string(truncated_hint) + "\n";
  return out;
}

}  // namespace imageprobe::report
