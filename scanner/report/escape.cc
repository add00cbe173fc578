// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/escape.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "scanner/core/model.h"

namespace imageprobe::report {

namespace {

constexpr std::string_view kZeroWidthSpace = "\u200B";

// The UTF-8 encoding of U+202A..U+202E is E2 80 AA..AE; of U+2066..U+2069, E2 81 A6..A9.
bool IsBidiControl(std::string_view text, size_t i, uint32_t& code_point) {
  if (i + 2 >= text.size() || static_cast<unsigned char>(text[i]) != 0xE2) return false;
  auto b1 = static_cast<unsigned char>(text[i + 1]);
  auto b2 = static_cast<unsigned char>(text[i + 2]);
  if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) {
    code_point = 0x2000 + 0x2A + (b2 - 0xAA);
    return true;
  }
  if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) {
    code_point = 0x2066 + (b2 - 0xA6);
    return true;
  }
  return false;
}

bool StartsWithDigitsDot(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i > 0 && i < text.size() && (text[i] == '.' || text[i] == ')');
}

bool EqualsIgnoreCase(std::string_view text, size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(text[at + k])) != word[k]) return false;
  }
  return true;
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string terminal = EscapeForTerminal(text);
  std::string out;
  out.reserve(terminal.size());
  for (size_t i = 0; i < terminal.size();) {
    uint32_t code_point = 0;
    if (IsBidiControl(terminal, i, code_point)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%04X}", code_point);
      out += buf;
      i += 3;
      continue;
    }
    out += terminal[i++];
  }
  return out;
}

std::string EscapeHtml(std::string_view text) {
  std::string printable = Printable(text);
  std::string out;
  out.reserve(printable.size() + printable.size() / 8);
  for (char c : printable) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeMarkdown(std::string_view text) {
  std::string printable = Printable(text);
  std::string_view in = printable;
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  // What opens a block only at the start of a line (heading, list, quote, setext underline).
  size_t first = in.find_first_not_of(' ');
  if (first != std::string_view::npos) {
    char c = in[first];
    if (c == '#' || c == '+' || c == '-' || c == '=' || c == '>') {
      out.append(in.substr(0, first));
      out += '\\';
      in.remove_prefix(first);
    } else if (StartsWithDigitsDot(in.substr(first))) {
      // "1." -> "1\." (the digits stay, the dot is what makes the list item)
      size_t dot = in.find_first_not_of("0123456789", first);
      out.append(in.substr(0, dot));
      out += '\\';
      in.remove_prefix(dot);
    }
  }
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
      case '$':
        out += '\\';
        out += c;
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '@':
      case '#':
        out += c;
        out += kZeroWidthSpace;
        break;
      case ':':
        out += c;
        if (in.substr(i + 1).starts_with("//")) out += kZeroWidthSpace;
        break;
      case 'w':
      case 'W':
        if (EqualsIgnoreCase(in, i, "www.")) {
          out.append(in.substr(i, 3));
          out += kZeroWidthSpace;
          i += 2;
        } else {
          out += c;
        }
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeHtmlForMarkdown(std::string_view text) {
  const std::string html = EscapeHtml(text);
  std::string_view in = html;
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    out += c;
    if (c == '@' || (c == '#' && (i == 0 || in[i - 1] != '&')) ||
        (c == ':' && in.substr(i + 1).starts_with("//")) ||
        (c == ']' && in.substr(i + 1).starts_with("("))) {
      out += kZeroWidthSpace;
    } else if ((c == 'w' || c == 'W') && EqualsIgnoreCase(in, i, "www.")) {
      out.append(in.substr(i + 1, 2));
      out += kZeroWidthSpace;
      i += 2;
    }
  }
  return out;
}

}  // namespace imageprobe::report
