// SPDX-License-Identifier: Apache-2.0
// YAML from an image, parsed with yaml-cpp into a plain tree under hard limits.
//
// Why a copy instead of handing out YAML::Node: yaml-cpp keeps an alias as a reference to the
// anchored node, so a "billion laughs" document loads in microseconds but explodes as soon as
// anyone walks it. Copying into our own tree with a node budget and a depth cap turns that into
// an error with a line number. Input size, NUL bytes and multiple documents are checked before
// yaml-cpp sees the text (its own parser already stops nesting at depth 2000).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imageprobe::parse {

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;                                     // kScalar
  std::vector<YamlNode> items;                            // kSequence
  std::vector<std::pair<std::string, YamlNode>> entries;  // kMap, document order
  uint32_t line = 0;                                      // 1-based

  // Defined (defaulted) in the .cc: clang cannot instantiate them inside this class, where
  // std::pair<std::string, YamlNode> is still incomplete.
  YamlNode();
  YamlNode(const YamlNode&);
  YamlNode(YamlNode&&) noexcept;
  YamlNode& operator=(const YamlNode&);
  YamlNode& operator=(YamlNode&&) noexcept;
  ~YamlNode();

  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  // The value of `key` in a map, or nullptr (also when this is not a map).
  const YamlNode* Find(std::string_view key) const;
  YamlNode* Find(std::string_view key);
};

struct YamlLimits {
  uint64_t max_bytes = 1 << 20;  // cloud.cfg and netplan files are a few KiB
  uint32_t max_nodes = 100'000;  // after alias expansion
  uint32_t max_depth = 64;
};

struct YamlProblem {
  uint32_t line = 0;  // 1-based; 0 when not tied to a line
  uint32_t column = 0;
  std::string message;
};

struct YamlParse {
  std::optional<YamlNode> root;  // absent on error; an empty document is a kNull root
  std::optional<YamlProblem> problem;
};

// Parses one YAML document as PyYAML's safe_load reads it (cloud-init, netplan): a UTF-8 byte
// order mark, CRLF and a "..." end marker are accepted, duplicate keys are kept in order (Find
// gives the last, which PyYAML keeps), and merge keys ("<<: *base", "<<: [*a, *b]") are applied,
// which yaml-cpp alone does not do. Never throws: malformed YAML, NUL bytes, oversize input, more
// than one document (PyYAML: "expected a single document") and exceeded limits all come back as
// `problem` (with yaml-cpp's mark).
YamlParse ParseBoundedYaml(std::string_view text, const YamlLimits& limits = {});

// True/false the way Python's YAML loader reads booleans (yes/no/on/off/true/false in three
// capitalisations); nullopt for anything else.
std::optional<bool> YamlBool(const YamlNode& node);

}  // namespace imageprobe::parse
