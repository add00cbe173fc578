// SPDX-License-Identifier: Apache-2.0
// The members of a record kind's payload, declared with the kind (record_kind.h): each member's
// name, type and meaning, and whether every fact of the kind holds it. The probe tests check
// every fact a probe records against them (testing::RunProbe), so a declaration cannot drift
// from what the probe writes.
//
//   constexpr RecordMember kRemainingMembers[] = {
//       {"path", kText, "the guest path left behind"},
//       {"skipped", kFlag, "a skip marker kept it"},
//   };
//   constexpr ValueShape kRemainingItem = ObjectOf(kRemainingMembers);
//   constexpr RecordMember kCleanupMembers[] = {
//       {"verdict", kText, "cleaned, not_cleaned or unknown"},
//       {"remaining", ListOf(kRemainingItem), "what the cleanup should have removed"},
//       {"version", kText, "the agent's version", Presence::kOptional},
//   };
#pragma once

#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imageprobe {

enum class ValueType {
  kString,
  kInteger,  // a JSON integer (uids, sizes, counts)
  kNumber,   // any JSON number
  kBoolean,
  kObject,  // the members declared in `members`, by name
  kList,    // a JSON array, each item of the shape `items`
  kMap,     // a JSON object whose member names are data (a method, a profile), each value of
            // the shape `items`
  kAny,     // a value whose type depends on another member (a setting's value: a flag for one
            // setting, a list for another); the description says which
};

struct RecordMember;

struct ValueShape {
  ValueType type;
  std::span<const RecordMember> members = {};  // kObject
  const ValueShape* items = nullptr;           // kList, kMap
  bool nullable = false;                       // JSON null is also a value ("not known")
};

inline constexpr ValueShape kText{ValueType::kString};
inline constexpr ValueShape kInteger{ValueType::kInteger};
inline constexpr ValueShape kNumber{ValueType::kNumber};
inline constexpr ValueShape kFlag{ValueType::kBoolean};
inline constexpr ValueShape kTextOrNull{ValueType::kString, {}, nullptr, true};
inline constexpr ValueShape kIntegerOrNull{ValueType::kInteger, {}, nullptr, true};
inline constexpr ValueShape kFlagOrNull{ValueType::kBoolean, {}, nullptr, true};
inline constexpr ValueShape kAnyValue{ValueType::kAny};

constexpr ValueShape ObjectOf(std::span<const RecordMember> members) {
  return {ValueType::kObject, members};
}
// `items` must outlive the shape: a namespace-scope constant.
constexpr ValueShape ListOf(const ValueShape& items) { return {ValueType::kList, {}, &items}; }
constexpr ValueShape MapOf(const ValueShape& values) { return {ValueType::kMap, {}, &values}; }

inline constexpr ValueShape kTextList = ListOf(kText);

enum class Presence {
  kAlways,    // every fact of the kind holds the member
  kOptional,  // absent when there is nothing to say (no version known, no error)
};

struct RecordMember {
  std::string_view name;  // snake_case, as in the report
  ValueShape shape;
  std::string_view description;  // one line: what it holds, its values when they are few
  Presence presence = Presence::kAlways;
};

// The members of `first` followed by those of `rest`: for a payload that one function writes
// and some kinds extend with members of their own.
template <size_t N, size_t M>
constexpr std::array<RecordMember, N + M> JoinMembers(const RecordMember (&first)[N],
                                                      const RecordMember (&rest)[M]) {
  std::array<RecordMember, N + M> joined{};
  for (size_t i = 0; i < N; ++i) joined[i] = first[i];
  for (size_t i = 0; i < M; ++i) joined[N + i] = rest[i];
  return joined;
}

// Where `data` departs from `members`, one line each ("remaining[2].path: a number, declared
// a string"; "version_source: not declared"; "verdict: missing"); empty when it conforms.
std::vector<std::string> PayloadMismatches(const nlohmann::json& data,
                                           std::span<const RecordMember> members);

// Whether `name` is declared at any depth of `members` (for volatile and origin members, which
// the diff drops or compares wherever they occur).
bool DeclaresMember(std::span<const RecordMember> members, std::string_view name);

}  // namespace imageprobe
