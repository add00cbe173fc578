// SPDX-License-Identifier: Apache-2.0
// References: see json_reader.h (RFC 8259 §2-§8, Go encoding/json).
#include "scanner/parse/json_reader.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

#include "scanner/parse/text.h"

namespace imageprobe::parse {
namespace {

using nlohmann::json;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

class Reader {
 public:
  Reader(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  std::expected<json, JsonReadError> Document() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    SkipSpace();
    if (pos_ == text_.size()) return Fail("no value (the file is empty or only whitespace)");
    json value;
    if (!Value(value, 0)) return std::unexpected(error_);
    SkipSpace();
    if (pos_ != text_.size()) return Fail("more data after the value");
    return value;
  }

 private:
  std::unexpected<JsonReadError> Fail(std::string what) {
    SetError(std::move(what));
    return std::unexpected(error_);
  }
  bool SetError(std::string what) {
    error_.line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++error_.line;
        line_start = i + 1;
      }
    }
    error_.column = pos_ - line_start + 1;
    error_.what = std::move(what);
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return SetError("expected a value");
    pos_ += word.size();
    return true;
  }

  bool Value(json& out, int depth) {
    if (pos_ >= text_.size()) return SetError("the document ends where a value was expected");
    switch (text_[pos_]) {
      case '{':
        return Object(out, depth + 1);
      case '[':
        return Array(out, depth + 1);
      case '"': {
        std::string s;
        if (!String(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't':
        out = true;
        return Literal("true");
      case 'f':
        out = false;
        return Literal("false");
      case 'n':
        out = nullptr;
        return Literal("null");
      default:
        if (text_[pos_] == '-' || (text_[pos_] >= '0' && text_[pos_] <= '9')) return Number(out);
        return SetError("expected a value");
    }
  }

  bool Object(json& out, int depth) {
    if (depth > max_depth_) {
      return SetError("nested deeper than " + std::to_string(max_depth_) + " levels");
    }
    out = json::object();
    ++pos_;  // '{'
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) return SetError("unterminated object");
      if (text_[pos_] != '"') return SetError("expected a member name in double quotes");
      std::string key;
      if (!String(key)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return SetError("expected ':'");
      ++pos_;
      SkipSpace();
      json value;
      if (!Value(value, depth)) return false;
      out[std::move(key)] = std::move(value);  // a duplicate name: the last one wins (Go)
      SkipSpace();
      if (pos_ >= text_.size()) return SetError("unterminated object");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return SetError("expected ',' or '}'");
    }
  }

  bool Array(json& out, int depth) {
    if (depth > max_depth_) {
      return SetError("nested deeper than " + std::to_string(max_depth_) + " levels");
    }
    out = json::array();
    ++pos_;  // '['
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipSpace();
      json value;
      if (!Value(value, depth)) return false;
      out.push_back(std::move(value));
      SkipSpace();
      if (pos_ >= text_.size()) return SetError("unterminated array");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return SetError("expected ',' or ']'");
    }
  }

  // Four hex digits at pos_, or -1.
  int Hex4() {
    if (pos_ + 4 > text_.size()) return -1;
    int v = 0;
    for (size_t i = 0; i < 4; ++i) {
      char c = text_[pos_ + i];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    pos_ += 4;
    return v;
  }

  bool String(std::string& out) {
    size_t start = pos_;
    ++pos_;  // '"'
    while (true) {
      if (pos_ >= text_.size()) {
        pos_ = start;
        return SetError("unterminated string");
      }
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return SetError("control character in a string (must be escaped)");
      if (c == '\\') {
        if (!Escape(out)) return false;
        continue;
      }
      if (c < 0x80) {
        out.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      std::optional<Utf8Rune> rune = DecodeUtf8(text_, pos_);
      size_t n = rune ? rune->length : 0;
      if (n == 0) {
        out.append(kReplacement);  // not UTF-8: one byte becomes U+FFFD, as in Go
        ++pos_;
      } else {
        out.append(text_.substr(pos_, n));
        pos_ += n;
      }
    }
  }

  bool Escape(std::string& out) {
    ++pos_;  // '\\'
    if (pos_ >= text_.size()) return SetError("unterminated string");
    char e = text_[pos_++];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out.push_back(e);
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        --pos_;
        return SetError("unknown escape in a string");
    }
    int cp = Hex4();
    if (cp < 0) return SetError("\\u must be followed by four hex digits");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // A high surrogate pairs with a following \uDC00-\uDFFF; alone it is U+FFFD (Go).
      size_t save = pos_;
      if (text_.substr(pos_, 2) == "\\u") {
        pos_ += 2;
        int low = Hex4();
        if (low >= 0xDC00 && low <= 0xDFFF) {
          AppendUtf8(out, 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00));
          return true;
        }
      }
      pos_ = save;
      out.append(kReplacement);
      return true;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      out.append(kReplacement);
      return true;
    }
    AppendUtf8(out, static_cast<uint32_t>(cp));
    return true;
  }

  bool Number(json& out) {
    size_t start = pos_;
    auto digit = [&] { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; };
    if (text_[pos_] == '-') ++pos_;
    if (!digit()) return SetError("a number needs a digit after '-'");
    if (text_[pos_] == '0') {
      ++pos_;
      if (digit()) return SetError("a number cannot start with 0 followed by a digit");
    } else {
      while (digit()) ++pos_;
    }
    bool integer = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      integer = false;
      ++pos_;
      if (!digit()) return SetError("a number needs a digit after '.'");
      while (digit()) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integer = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digit()) return SetError("a number needs a digit in its exponent");
      while (digit()) ++pos_;
    }
    std::string_view number = text_.substr(start, pos_ - start);
    const char* first = number.data();
    const char* last = number.data() + number.size();
    if (integer) {
      if (number[0] == '-') {
        int64_t v = 0;
        if (auto r = std::from_chars(first, last, v); r.ec == std::errc() && r.ptr == last) {
          out = v;
          return true;
        }
      } else {
        uint64_t v = 0;
        if (auto r = std::from_chars(first, last, v); r.ec == std::errc() && r.ptr == last) {
          if (v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            out = static_cast<int64_t>(v);
          } else {
            out = v;
          }
          return true;
        }
      }
    } else {
      double v = 0;
      if (auto r = std::from_chars(first, last, v);
          r.ec == std::errc() && r.ptr == last && std::isfinite(v)) {
        out = v;
        return true;
      }
    }
    // Beyond int64/uint64/double (or an underflow): kept as its text.
    out = json::binary(json::binary_t::container_type(number.begin(), number.end()),
                       kJsonBigNumberSubtype);
    return true;
  }

  std::string_view text_;
  int max_depth_;
  size_t pos_ = 0;
  JsonReadError error_;
};

}  // namespace

std::string JsonReadError::Message() const {
  return "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
         ": " + what;
}

std::expected<nlohmann::json, JsonReadError> ReadJson(std::string_view text, int max_depth) {
  return Reader(text, max_depth).Document();
}

std::optional<std::string> JsonBigNumber(const nlohmann::json& value) {
  if (!value.is_binary()) return std::nullopt;
  const auto& binary = value.get_binary();
  if (!binary.has_subtype() || binary.subtype() != kJsonBigNumberSubtype) return std::nullopt;
  return std::string(binary.begin(), binary.end());
}

std::string JsonAccessErrorInOurWords(const nlohmann::json::exception& e) {
  std::string what = e.what();
  if (size_t at = what.find("] "); what.starts_with("[json.exception.") && at != what.npos) {
    what.erase(0, at + 2);
  }
  // type_error.302: "type must be string, but is number"
  if (what.starts_with("type must be ")) {
    std::string rest = what.substr(13);
    size_t but = rest.find(", but is ");
    if (but != std::string::npos) {
      std::string found = rest.substr(but + 9);
      if (found == "binary") found = "number beyond the range this field holds";
      return "expected a " + rest.substr(0, but) + ", found a " + found;
    }
  }
  // out_of_range.403: "key 'kind' not found"
  if (what.starts_with("key '") && what.ends_with("' not found")) {
    return "member \"" + what.substr(5, what.size() - 5 - 11) + "\" is missing";
  }
  return what;
}

}  // namespace imageprobe::parse
