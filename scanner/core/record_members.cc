// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/record_members.h"

namespace imageprobe {

namespace {

std::string_view JsonTypeName(const nlohmann::json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "a list";
  return "an object";
}

std::string_view DeclaredName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "a string";
    case ValueType::kInteger:
      return "an integer";
    case ValueType::kNumber:
      return "a number";
    case ValueType::kBoolean:
      return "a boolean";
    case ValueType::kObject:
    case ValueType::kMap:
      return "an object";
    case ValueType::kList:
      return "a list";
    case ValueType::kAny:
      return "any value";
  }
  return "?";
}

bool HasType(const nlohmann::json& value, ValueType type) {
  switch (type) {
    case ValueType::kString:
      return value.is_string();
    case ValueType::kInteger:
      return value.is_number_integer();
    case ValueType::kNumber:
      return value.is_number();
    case ValueType::kBoolean:
      return value.is_boolean();
    case ValueType::kObject:
    case ValueType::kMap:
      return value.is_object();
    case ValueType::kList:
      return value.is_array();
    case ValueType::kAny:
      return true;
  }
  return false;
}

void CheckObject(const nlohmann::json& data, std::span<const RecordMember> members,
                 const std::string& where, std::vector<std::string>& out);

void CheckValue(const nlohmann::json& value, const ValueShape& shape, const std::string& where,
                std::vector<std::string>& out) {
  if (value.is_null() && shape.nullable) return;
  if (!HasType(value, shape.type)) {
    out.push_back(where + ": " + std::string(JsonTypeName(value)) + ", declared " +
                  std::string(DeclaredName(shape.type)));
    return;
  }
  switch (shape.type) {
    case ValueType::kObject:
      CheckObject(value, shape.members, where + ".", out);
      break;
    case ValueType::kList:
      for (size_t i = 0; i < value.size(); ++i) {
        CheckValue(value[i], *shape.items, where + "[" + std::to_string(i) + "]", out);
      }
      break;
    case ValueType::kMap:
      for (const auto& [name, item] : value.items()) {
        CheckValue(item, *shape.items, where + "[\"" + name + "\"]", out);
      }
      break;
    default:
      break;
  }
}

void CheckObject(const nlohmann::json& data, std::span<const RecordMember> members,
                 const std::string& where, std::vector<std::string>& out) {
  for (const RecordMember& member : members) {
    auto it = data.find(member.name);
    if (it == data.end()) {
      if (member.presence == Presence::kAlways) {
        out.push_back(where + std::string(member.name) + ": missing");
      }
      continue;
    }
    CheckValue(*it, member.shape, where + std::string(member.name), out);
  }
  for (const auto& [name, value] : data.items()) {
    bool declared = false;
    for (const RecordMember& member : members) declared = declared || member.name == name;
    if (!declared) out.push_back(where + name + ": not declared");
  }
}

bool ShapeDeclares(const ValueShape& shape, std::string_view name) {
  switch (shape.type) {
    case ValueType::kObject:
      return DeclaresMember(shape.members, name);
    case ValueType::kList:
    case ValueType::kMap:
      return ShapeDeclares(*shape.items, name);
    default:
      return false;
  }
}

}  // namespace

std::vector<std::string> PayloadMismatches(const nlohmann::json& data,
                                           std::span<const RecordMember> members) {
  std::vector<std::string> out;
  if (!data.is_object()) {
    out.push_back("the payload is " + std::string(JsonTypeName(data)) + ", declared an object");
    return out;
  }
  CheckObject(data, members, "", out);
  return out;
}

bool DeclaresMember(std::span<const RecordMember> members, std::string_view name) {
  for (const RecordMember& member : members) {
    if (member.name == name || ShapeDeclares(member.shape, name)) return true;
  }
  return false;
}

}  // namespace imageprobe
