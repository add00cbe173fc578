// SPDX-License-Identifier: Apache-2.0
#include "images/native/lvm_config_text.h"

#include <cctype>
#include <charconv>

namespace imageprobe::images::native {
namespace {

enum class Token {
  kInteger,
  kFloat,
  kSingleQuoted,
  kDoubleQuoted,
  kBare,
  kIdentifier,
  kEquals,
  kSectionBegin,
  kSectionEnd,
  kArrayBegin,
  kArrayEnd,
  kComma,
  kEnd
};

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text.substr(0, text.find('\0'))) {}

  std::expected<ConfigSection, std::string> Parse() {
    ConfigSection top;
    Next(Token::kEnd);
    while (token_ != Token::kEnd) {
      if (!ParseEntry(top, 1)) return std::unexpected(error_);
    }
    return top;
  }

 private:
  // The tokenizer of libdm-config.c's _get_token: whether digits start a number or a word
  // depends on the token before (a value follows '=', '[' or ',').
  void Next(Token previous) {
    const bool value_allowed =
        previous == Token::kEquals || previous == Token::kArrayBegin || previous == Token::kComma;
    SkipSpaceAndComments();
    begin_ = pos_;
    if (pos_ >= text_.size()) {
      token_ = Token::kEnd;
      return;
    }
    const char c = text_[pos_++];
    switch (c) {
      case '{':
        token_ = Token::kSectionBegin;
        return;
      case '}':
        token_ = Token::kSectionEnd;
        return;
      case '[':
        token_ = Token::kArrayBegin;
        return;
      case ']':
        token_ = Token::kArrayEnd;
        return;
      case ',':
        token_ = Token::kComma;
        return;
      case '=':
        token_ = Token::kEquals;
        return;
      case '"':
        token_ = Token::kDoubleQuoted;
        while (pos_ < text_.size() && text_[pos_] != '"') {
          if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
          ++pos_;
        }
        terminated_ = pos_ < text_.size();
        if (terminated_) ++pos_;
        return;
      case '\'':
        token_ = Token::kSingleQuoted;
        while (pos_ < text_.size() && text_[pos_] != '\'') ++pos_;
        terminated_ = pos_ < text_.size();
        if (terminated_) ++pos_;
        return;
      default:
        break;
    }
    if (value_allowed && (IsDigit(c) || c == '.' || c == '+' || c == '-')) {
      token_ = c == '.' ? Token::kFloat : Token::kInteger;
      for (; pos_ < text_.size(); ++pos_) {
        if (IsDigit(text_[pos_])) continue;
        if (text_[pos_] == '.' && token_ != Token::kFloat) {
          token_ = Token::kFloat;
          continue;
        }
        break;
      }
      return;
    }
    while (pos_ < text_.size() && !IsSpace(text_[pos_]) && text_[pos_] != '#' &&
           text_[pos_] != '=' && text_[pos_] != '{' && text_[pos_] != '}') {
      ++pos_;
    }
    token_ = value_allowed ? Token::kBare : Token::kIdentifier;
  }

  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      if (text_[pos_] == '\n') {
        ++line_;
      } else if (text_[pos_] == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      } else if (!IsSpace(text_[pos_])) {
        return;
      }
      ++pos_;
    }
  }

  std::string_view Lexeme() const { return text_.substr(begin_, pos_ - begin_); }

  bool Fail(std::string what) {
    error_ = "line " + std::to_string(line_) + ": " + std::move(what);
    return false;
  }

  bool Count() {
    if (++items_ > kMaxConfigItems) {
      return Fail("more than " + std::to_string(kMaxConfigItems) + " entries");
    }
    return true;
  }

  // A quoted token's content: double quotes drop each escaping backslash, as
  // dm_unescape_double_quotes does.
  std::optional<std::string> Unquoted() const {
    if (!terminated_) return std::nullopt;
    std::string_view lexeme = Lexeme();
    lexeme = lexeme.substr(1, lexeme.size() - 2);
    if (token_ == Token::kSingleQuoted) return std::string(lexeme);
    std::string out;
    for (size_t i = 0; i < lexeme.size(); ++i) {
      if (lexeme[i] == '\\' && i + 1 < lexeme.size()) ++i;
      out += lexeme[i];
    }
    return out;
  }

  bool ParseEntry(ConfigSection& parent, int depth) {
    std::string name;
    if (token_ == Token::kDoubleQuoted || token_ == Token::kSingleQuoted) {
      auto unquoted = Unquoted();
      if (!unquoted) return Fail("unterminated string");
      name = std::move(*unquoted);
    } else if (token_ == Token::kIdentifier) {
      name = std::string(Lexeme());
    } else {
      return Fail("expected a name, found '" + std::string(Lexeme().substr(0, 40)) + "'");
    }
    if (name.empty()) return Fail("empty section identifier");
    if (!Count()) return false;
    Next(Token::kIdentifier);
    if (token_ == Token::kSectionBegin) {
      if (depth >= kMaxConfigDepth) {
        return Fail("sections nested deeper than " + std::to_string(kMaxConfigDepth));
      }
      ConfigSection* section = nullptr;
      for (auto& existing : parent.sections) {
        if (existing.name == name) section = &existing;
      }
      if (section == nullptr) {
        parent.sections.push_back(ConfigSection{name, {}, {}});
        section = &parent.sections.back();
      }
      Next(Token::kSectionBegin);
      while (token_ != Token::kSectionEnd) {
        if (token_ == Token::kEnd) return Fail("section " + name + " is not closed");
        if (!ParseEntry(*section, depth + 1)) return false;
      }
      Next(Token::kSectionEnd);
      return true;
    }
    if (token_ != Token::kEquals) return Fail("expected '=' or '{' after " + name);
    Next(Token::kEquals);
    ConfigSetting setting{name, false, {}};
    if (token_ == Token::kArrayBegin) {
      setting.is_array = true;
      Next(Token::kArrayBegin);
      while (token_ != Token::kArrayEnd) {
        if (!ParseValue(setting)) return false;
        if (token_ == Token::kComma) Next(Token::kComma);
      }
      Next(Token::kArrayEnd);
    } else if (!ParseValue(setting)) {
      return false;
    }
    for (auto& existing : parent.settings) {
      if (existing.key == name) {
        existing = std::move(setting);
        return true;
      }
    }
    parent.settings.push_back(std::move(setting));
    return true;
  }

  bool ParseValue(ConfigSetting& setting) {
    if (!Count()) return false;
    ConfigValue value;
    const Token token = token_;
    switch (token) {
      case Token::kInteger: {
        std::string_view digits = Lexeme();
        if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
        auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), value.integer);
        if (ec != std::errc() || end != digits.data() + digits.size()) {
          return Fail("bad integer '" + std::string(Lexeme().substr(0, 40)) + "'");
        }
        value.kind = ConfigValue::Kind::kInteger;
        break;
      }
      case Token::kFloat:
        value.kind = ConfigValue::Kind::kFloat;
        value.text = std::string(Lexeme());
        break;
      case Token::kDoubleQuoted:
      case Token::kSingleQuoted: {
        auto unquoted = Unquoted();
        if (!unquoted) return Fail("unterminated string");
        value.text = std::move(*unquoted);
        break;
      }
      case Token::kBare:
        value.text = std::string(Lexeme());
        break;
      default:
        return Fail("expected a value for " + setting.key + ", found '" +
                    std::string(Lexeme().substr(0, 40)) + "'");
    }
    setting.values.push_back(std::move(value));
    Next(token);
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t begin_ = 0;
  int line_ = 1;
  size_t items_ = 0;
  Token token_ = Token::kEnd;
  bool terminated_ = false;  // a quoted token found its closing quote
  std::string error_;
};

}  // namespace

const ConfigSetting* ConfigSection::FindSetting(std::string_view key) const {
  for (const auto& s : settings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

const ConfigSection* ConfigSection::FindSection(std::string_view key) const {
  for (const auto& s : sections) {
    if (s.name == key) return &s;
  }
  return nullptr;
}

std::optional<int64_t> ConfigSection::Integer(std::string_view key) const {
  const ConfigSetting* s = FindSetting(key);
  if (s == nullptr || s->is_array || s->values.size() != 1 ||
      s->values[0].kind != ConfigValue::Kind::kInteger) {
    return std::nullopt;
  }
  return s->values[0].integer;
}

std::optional<std::string> ConfigSection::String(std::string_view key) const {
  const ConfigSetting* s = FindSetting(key);
  if (s == nullptr || s->is_array || s->values.size() != 1 ||
      s->values[0].kind != ConfigValue::Kind::kString) {
    return std::nullopt;
  }
  return s->values[0].text;
}

std::optional<std::vector<std::string>> ConfigSection::Strings(std::string_view key) const {
  const ConfigSetting* s = FindSetting(key);
  if (s == nullptr || !s->is_array) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& v : s->values) {
    if (v.kind != ConfigValue::Kind::kString) return std::nullopt;
    out.push_back(v.text);
  }
  return out;
}

std::expected<ConfigSection, std::string> ParseConfigText(std::string_view text) {
  if (text.size() > kMaxConfigTextBytes) {
    return std::unexpected("config text of " + std::to_string(text.size()) +
                           " bytes is over the limit of " + std::to_string(kMaxConfigTextBytes));
  }
  return Parser(text).Parse();
}

}  // namespace imageprobe::images::native
