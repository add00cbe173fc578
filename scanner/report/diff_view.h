// SPDX-License-Identifier: Apache-2.0
// What the Markdown and HTML diff renderers share: they walk the imageprobe/diff/v1 JSON
// (DiffJson) and need to know which parts they render by name and which are extra, so that a
// field added to the diff later is shown generically instead of being dropped.
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe::report {

// Top-level members of the diff document rendered by name.
bool IsKnownDiffSection(std::string_view key);
// Members of one entry of "facts" rendered by name.
bool IsKnownFactChangeField(std::string_view key);
// Members of one entry of "findings" rendered by name.
bool IsKnownFindingChangeField(std::string_view key);

// "+N added, -N removed, ~N changed" style counts of a {added, removed, changed} object.
std::string ChangeCounts(const nlohmann::json& counts, std::array<std::string_view, 3> words);

// Fact changes grouped by kind, in document order within a kind.
std::map<std::string, std::vector<const nlohmann::json*>> FactChangesByKind(
    const nlohmann::json& diff);

// "new", "resolved", "raised high -> critical", "lowered …", "changed" for a finding change.
std::string FindingChangeLabel(const nlohmann::json& change);

// A generic value for a person: strings as they are, anything else as indented JSON.
std::string GenericText(const nlohmann::json& value);

// At most `max_chars` of `text`, cut at a line end, with "… (N more lines)" when cut.
std::string Capped(std::string_view text, size_t max_chars);

}  // namespace imageprobe::report
