// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/model.h"

#include <array>
#include <cstdio>

#include "scanner/parse/text.h"

namespace imageprobe {

namespace {
constexpr std::array<std::string_view, 5> kSeverityNames = {"info", "low", "medium", "high",
                                                            "critical"};
}  // namespace

std::string_view SeverityName(Severity severity) {
  return kSeverityNames[static_cast<size_t>(severity)];
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (size_t i = 0; i < kSeverityNames.size(); ++i) {
    if (kSeverityNames[i] == name) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

std::string RedactSecret(std::string_view secret) {
  if (secret.size() <= 12) return std::string(secret.size() ? "****" : "");
  return std::string(secret.substr(0, 4)) + "…" + std::string(secret.substr(secret.size() - 4));
}

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      // Strictly: an overlong form (E0 80 9B for ESC-[) passed on raw is a control sequence to
      // a terminal that decodes leniently.
      std::optional<parse::Utf8Rune> rune = parse::DecodeUtf8(text, i);
      size_t len = rune ? rune->length : 0;
      // U+0080..U+009F are C1 controls (CSI is U+009B): some terminals act on them.
      bool c1_control = len == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
      if (len > 0 && !c1_control) {
        out.append(text.substr(i, len));
        i += len;
        continue;
      }
    } else if (c >= 0x20 && c != 0x7F) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02X", c);
    out += buf;
    ++i;
  }
  return out;
}

}  // namespace imageprobe
