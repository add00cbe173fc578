// SPDX-License-Identifier: Apache-2.0
// References: yaml-cpp 0.7 (include/yaml-cpp/node, depthguard.h); YAML 1.1 bool type
// (https://yaml.org/type/bool.html), which PyYAML (cloud-init, netplan) follows.
#include "scanner/parse/bounded_yaml.h"

#include <re2/re2.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <iterator>
#include <sstream>
#include <string>

namespace imageprobe::parse {
namespace {

// Stops the conversion with a problem: a limit was reached, or the document is one PyYAML's
// safe_load refuses while yaml-cpp accepts it.
struct ConversionStopped {
  YamlProblem problem;
};

// A plain (unquoted) "<<" key, or one tagged !!merge: PyYAML's resolver gives it the merge tag
// (resolver.py), a quoted "<<" stays an ordinary string key. yaml-cpp tags a plain scalar "?"
// and a quoted one "!".
bool IsMergeKey(const YAML::Node& key) {
  if (!key.IsScalar() || key.Scalar() != "<<") return false;
  return key.Tag() == "?" || key.Tag() == "tag:yaml.org,2002:merge";
}

class Converter {
 public:
  explicit Converter(const YamlLimits& limits) : limits_(limits), budget_(limits.max_nodes) {}

  YamlNode Convert(const YAML::Node& node, uint32_t depth) {
    uint32_t line = node.Mark().is_null() ? 0 : static_cast<uint32_t>(node.Mark().line) + 1;
    if (budget_ == 0) {
      throw ConversionStopped{
          {line, 0,
           "more than " + std::to_string(limits_.max_nodes) + " nodes (alias expansion bomb?)"}};
    }
    --budget_;
    if (depth > limits_.max_depth) {
      throw ConversionStopped{
          {line, 0, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels"}};
    }
    YamlNode out;
    out.line = line;
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = YamlNode::Kind::kScalar;
        out.scalar = node.Scalar();
        break;
      case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::kSequence;
        for (const auto& item : node) out.items.push_back(Convert(item, depth + 1));
        break;
      case YAML::NodeType::Map: {
        out.kind = YamlNode::Kind::kMap;
        std::vector<std::pair<std::string, YamlNode>> merged;
        for (const auto& pair : node) {
          if (IsMergeKey(pair.first)) {
            uint32_t key_line = static_cast<uint32_t>(pair.first.Mark().line) + 1;
            Merge(Convert(pair.second, depth + 1), key_line, merged);
            continue;
          }
          // Complex keys (a map as a key) never name a setting we read; keep their values out.
          std::string key = pair.first.IsScalar() ? pair.first.Scalar() : std::string();
          YamlNode value = Convert(pair.second, depth + 1);
          if (pair.first.IsScalar()) out.entries.emplace_back(std::move(key), std::move(value));
        }
        if (!merged.empty()) {
          // Merged entries go first, so the mapping's own keys win (Find: the last one wins).
          std::ranges::move(out.entries, std::back_inserter(merged));
          out.entries = std::move(merged);
        }
        break;
      }
      default:
        out.kind = YamlNode::Kind::kNull;
        break;
    }
    return out;
  }

 private:
  // The entries a merge key brings in, the way PyYAML's SafeConstructor.flatten_mapping
  // (constructor.py) takes them: from one mapping, or from a sequence of mappings where an
  // earlier one wins over a later one; anything else is refused, as PyYAML refuses it (so
  // cloud-init ignores the whole file). `value` is converted already, its own merges applied.
  void Merge(YamlNode value, uint32_t line, std::vector<std::pair<std::string, YamlNode>>& merged) {
    if (value.IsMap()) {
      std::ranges::move(value.entries, std::back_inserter(merged));
      return;
    }
    if (!value.IsSequence()) {
      throw ConversionStopped{{line, 0,
                               "merge key '<<' needs a mapping or a list of mappings "
                               "(PyYAML refuses the document)"}};
    }
    for (const YamlNode& item : value.items) {
      if (!item.IsMap()) {
        throw ConversionStopped{{line, 0,
                                 "merge key '<<' lists something other than a mapping "
                                 "(PyYAML refuses the document)"}};
      }
    }
    for (auto item = value.items.rbegin(); item != value.items.rend(); ++item) {
      std::ranges::move(item->entries, std::back_inserter(merged));
    }
  }

  const YamlLimits& limits_;
  uint32_t budget_;
};

bool TrimmedEmpty(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

size_t LeadingSpaces(std::string_view line) {
  size_t n = line.find_first_not_of(' ');
  return n == std::string_view::npos ? line.size() : n;
}

// yaml-cpp 0.7 rejects an anchor or tag before a block scalar in a block sequence unless the
// scalar's lines are indented at least 3 columns past the "-" (jbeder/yaml-cpp#1163, "end of
// sequence not found"). Ubuntu's own /etc/cloud/cloud.cfg.d/05_logging.cfg has exactly that
// (" - &log_base |" with lines indented 3). PyYAML reads it fine, so we re-indent such blocks
// before parsing: the value is unchanged (auto-detected indentation is stripped again) and so
// are line numbers.
std::string WidenBlockScalarsAfterProperties(std::string_view text) {
  static const RE2 kHeader(R"(( *)- +(?:[&!][^ ]* +)+[|>][+-]?[ \t]*(?:#.*)?\r?)");
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::vector<size_t> pad(lines.size(), 0);
  bool changed = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string dash_indent;
    if (!RE2::FullMatch(lines[i], kHeader, &dash_indent)) continue;
    size_t first = i + 1;
    while (first < lines.size() && TrimmedEmpty(lines[first])) ++first;
    if (first >= lines.size()) continue;
    size_t content_indent = LeadingSpaces(lines[first]);
    size_t wanted = dash_indent.size() + 3;
    if (content_indent <= dash_indent.size() || content_indent >= wanted) continue;
    size_t j = first;
    for (; j < lines.size(); ++j) {
      if (TrimmedEmpty(lines[j])) continue;
      if (LeadingSpaces(lines[j]) < content_indent) break;
      pad[j] = wanted - content_indent;
      changed = true;
    }
    // Everything inside the block is text, including lines that look like headers; skipping
    // it also keeps this pass linear.
    i = j - 1;
  }
  if (!changed) return std::string(text);
  std::string out;
  out.reserve(text.size() + 1024);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += '\n';
    out.append(pad[i], ' ');
    out.append(lines[i]);
  }
  return out;
}

uint32_t LineOfOffset(std::string_view text, size_t offset) {
  return static_cast<uint32_t>(std::count(text.begin(), text.begin() + offset, '\n')) + 1;
}

}  // namespace

YamlNode::YamlNode() = default;
YamlNode::YamlNode(const YamlNode&) = default;
YamlNode::YamlNode(YamlNode&&) noexcept = default;
YamlNode& YamlNode::operator=(const YamlNode&) = default;
YamlNode& YamlNode::operator=(YamlNode&&) noexcept = default;
YamlNode::~YamlNode() = default;

const YamlNode* YamlNode::Find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  // The last duplicate wins, as with PyYAML.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

YamlNode* YamlNode::Find(std::string_view key) {
  return const_cast<YamlNode*>(static_cast<const YamlNode&>(*this).Find(key));
}

// Counts the documents of a stream without building them, and notices when yaml-cpp stops
// making progress: 0.7's parser leaves a token it cannot place (a "," at the top level) in the
// queue and reports one more null document for it on every call, so YAML::LoadAll never ends
// and allocates without bound (jbeder/yaml-cpp#1040, fixed upstream by #1319 after 0.8).
class DocumentCounter final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Saw(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Saw(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Saw(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Saw(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Saw(mark);
  }
  void OnMapEnd() override {}

  // The position of the first event of the document being read, -1 before any.
  int first_pos = -1;
  YAML::Mark first_mark = YAML::Mark::null_mark();

 private:
  void Saw(const YAML::Mark& mark) {
    if (first_pos >= 0) return;
    first_pos = mark.pos;
    first_mark = mark;
  }
};

// The single document of `text`, or the problem. Throws YAML::Exception on syntax errors.
std::optional<YamlProblem> CheckSingleDocument(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentCounter first;
  if (!parser.HandleNextDocument(first)) return std::nullopt;  // empty stream
  DocumentCounter second;
  if (!parser.HandleNextDocument(second)) return std::nullopt;
  const YAML::Mark& mark = second.first_mark;
  uint32_t line = mark.is_null() ? 0 : static_cast<uint32_t>(mark.line) + 1;
  if (second.first_pos >= 0 && second.first_pos == first.first_pos) {
    return YamlProblem{line, mark.is_null() ? 0 : static_cast<uint32_t>(mark.column) + 1,
                       "unexpected token the parser cannot place (e.g. a ',' outside a flow "
                       "collection)"};
  }
  return YamlProblem{line, 0, "more than one YAML document; expected a single document"};
}

YamlParse ParseBoundedYaml(std::string_view text, const YamlLimits& limits) {
  YamlParse result;
  if (text.size() > limits.max_bytes) {
    result.problem =
        YamlProblem{0, 0,
                    "document of " + std::to_string(text.size()) + " bytes is over the limit of " +
                        std::to_string(limits.max_bytes)};
    return result;
  }
  // PyYAML refuses NUL ("special characters are not allowed"); yaml-cpp would instead guess a
  // UTF-16/32 encoding from leading NULs and read something else entirely.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    result.problem = YamlProblem{LineOfOffset(text, nul), 0, "NUL byte in YAML text"};
    return result;
  }
  try {
    // Never YAML::LoadAll: see DocumentCounter.
    const std::string widened = WidenBlockScalarsAfterProperties(text);
    if (auto problem = CheckSingleDocument(widened)) {
      result.problem = std::move(*problem);
      return result;
    }
    YAML::Node document = YAML::Load(widened);
    if (!document.IsDefined() || document.IsNull()) {
      result.root = YamlNode{};
      return result;
    }
    Converter converter(limits);
    result.root = converter.Convert(document, 0);
  } catch (const ConversionStopped& e) {
    result.problem = e.problem;
  } catch (const YAML::Exception& e) {
    uint32_t line = e.mark.is_null() ? 0 : static_cast<uint32_t>(e.mark.line) + 1;
    uint32_t column = e.mark.is_null() ? 0 : static_cast<uint32_t>(e.mark.column) + 1;
    result.problem = YamlProblem{line, column, e.msg.empty() ? std::string(e.what()) : e.msg};
  } catch (const std::exception& e) {
    result.problem = YamlProblem{0, 0, e.what()};
  }
  return result;
}

std::optional<bool> YamlBool(const YamlNode& node) {
  if (!node.IsScalar()) return std::nullopt;
  static constexpr std::string_view kTrue[] = {"true", "True", "TRUE", "yes", "Yes",
                                               "YES",  "on",   "On",   "ON"};
  static constexpr std::string_view kFalse[] = {"false", "False", "FALSE", "no", "No",
                                                "NO",    "off",   "Off",   "OFF"};
  for (auto word : kTrue) {
    if (node.scalar == word) return true;
  }
  for (auto word : kFalse) {
    if (node.scalar == word) return false;
  }
  return std::nullopt;
}

}  // namespace imageprobe::parse
