// SPDX-License-Identifier: Apache-2.0
// The one JSON reader for every JSON document imageprobe reads: files from an image (SSM agent
// state and configuration) and files the user hands in (saved reports, --expect files).
//
// References: RFC 8259 (The JavaScript Object Notation Data Interchange Format); Go's
// encoding/json (the SSM agent's reader), whose choices we follow where the RFC leaves one.
//
// It accepts every document RFC 8259 allows, which nlohmann::json::parse does not:
// - numbers of any size. §6 sets no limit; nlohmann throws out_of_range.406 on 1e400, and its
//   SAX interface cannot go on past it. A number that fits an int64 / uint64 (integer syntax)
//   or a finite double (other syntax) becomes that; any other is kept as its text in a binary
//   value of subtype kJsonBigNumberSubtype (JsonBigNumber() reads it back), so it is neither a
//   number nor a string to code that checks types, as Go refuses 1e400 for a float64 field;
// - duplicate member names (§4 "SHOULD be unique"): the last one wins, as in Go;
// - a UTF-8 byte order mark before the value (§8.1 lets a parser ignore it);
// - any value at the top level, not only an object or array (§2).
// Bytes that are not UTF-8 and \u escapes of lone surrogates become U+FFFD, as Go does, so a
// string read here can always be written out again.
// Nesting deeper than `max_depth` arrays/objects is refused (the reader is recursive).
//
// Errors are values in our words, "invalid JSON at line L, column C: <what>"; the message never
// quotes the input (an SSM Vault file holds a private key). Nothing here throws but bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace imageprobe::parse {

inline constexpr int kJsonDefaultMaxDepth = 64;
// The binary subtype marking a number kept as text ('N').
inline constexpr std::uint8_t kJsonBigNumberSubtype = 0x4e;

struct JsonReadError {
  size_t line = 1;    // 1-based
  size_t column = 1;  // 1-based, in bytes
  std::string what;   // "unterminated string", "expected ',' or '}'"
  // "invalid JSON at line L, column C: <what>"
  std::string Message() const;
};

std::expected<nlohmann::json, JsonReadError> ReadJson(std::string_view text,
                                                      int max_depth = kJsonDefaultMaxDepth);

// The text of a number ReadJson kept as text ("1e400"), or nullopt for any other value.
std::optional<std::string> JsonBigNumber(const nlohmann::json& value);

// A nlohmann::json exception raised while reading a parsed document into a struct (get<T>,
// at()), in our words without its "[json.exception.…]" prefix: "a member \"kind\" is missing",
// "a string was expected, found a number".
std::string JsonAccessErrorInOurWords(const nlohmann::json::exception& e);

}  // namespace imageprobe::parse
