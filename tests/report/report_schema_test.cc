// SPDX-License-Identifier: Apache-2.0
// The report schema's per-kind clauses (scanner/report/report_schema.h) and the layout the
// repository keeps generated JSON in (json_layout.h). Whether real reports validate against the
// schema is tests/formats/formats_e2e.py's job (with a JSON Schema validator).
#include "scanner/report/report_schema.h"

#include <gtest/gtest.h>

#include <sstream>

#include "scanner/core/record_members.h"
#include "scanner/report/json_layout.h"

namespace imageprobe::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr RecordMember kPortMembers[] = {
    {"port", kInteger, "the port"},
    {"note", kText, "what it is for", Presence::kOptional},
};
constexpr ValueShape kPort = ObjectOf(kPortMembers);
constexpr ValueShape kPorts = ListOf(kPort);
constexpr ValueShape kCounts = MapOf(kInteger);
constexpr RecordMember kListenerMembers[] = {
    {"address", kTextOrNull, "where it listens; null: not known"},
    {"ports", kPorts, "its ports"},
    {"per_user", kCounts, "connections, by user"},
    {"value", kAnyValue, "a flag or a list"},
};
constexpr RecordKind kListener{.name = "net/listener",
                               .key = "address",
                               .description = "a listener",
                               .members = kListenerMembers};

Json KindClauses(std::span<const RecordKind* const> kinds) {
  return Json::parse(ReportSchema(kinds))["$defs"]["fact"]["allOf"];
}

TEST(ReportSchema, EachKindsDataIsItsDeclaredMembers) {
  const RecordKind* kinds[] = {&kListener};
  Json clauses = KindClauses(kinds);
  ASSERT_EQ(clauses.size(), 1u);
  EXPECT_EQ(clauses[0]["if"]["properties"]["kind"]["const"], "net/listener");
  const Json& data = clauses[0]["then"]["properties"]["data"];
  EXPECT_EQ(data["description"], "a listener; key: address");
  EXPECT_EQ(data["type"], "object");
  EXPECT_EQ(data["required"], Json::parse(R"(["address", "ports", "per_user", "value"])"));
  EXPECT_FALSE(data.contains("additionalProperties"));  // readers ignore members they do not know
  const Json& p = data["properties"];
  EXPECT_EQ(p["address"], Json::parse(R"({"type": ["string", "null"],
                                          "description": "where it listens; null: not known"})"));
  EXPECT_EQ(p["ports"]["type"], "array");
  EXPECT_EQ(p["ports"]["items"], Json::parse(R"({"type": "object", "required": ["port"],
      "properties": {"port": {"type": "integer", "description": "the port"},
                     "note": {"type": "string", "description": "what it is for"}}})"));
  EXPECT_EQ(p["per_user"], Json::parse(R"({"type": "object",
      "additionalProperties": {"type": "integer"}, "description": "connections, by user"})"));
  EXPECT_EQ(p["value"], Json::parse(R"({"description": "a flag or a list"})"));
}

TEST(ReportSchema, TheEnvelopeStaysAndNamesItsGenerator) {
  Json schema = Json::parse(ReportSchema({}));
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema["properties"]["schema"]["const"], "imageprobe/report/v1");
  EXPECT_NE(schema["$comment"].get<std::string>().find("imageprobe schema"), std::string::npos);
  EXPECT_EQ(schema["$defs"]["fact"]["allOf"], Json::array());
  EXPECT_EQ(schema["$defs"]["fact"]["required"], Json::parse(R"(["kind", "key", "data"])"));
}

TEST(LayOutJson, KeepsTheValueAndItsOrderWithinTheWidth) {
  Json value = Json::parse(R"({"z": 1, "a": {"short": [1, 2]},
      "long": ["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccc",
               "dddddddddddddddddddd", "eeeeeeeeeeeeeeeeeeee"],
      "nested": [{"k": "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"}, {}],
      "empty": {}, "s": "x\"y"})");
  std::string text = LayOutJson(value, 60);
  EXPECT_EQ(Json::parse(text), value);
  EXPECT_EQ(Json::parse(text).begin().key(), "z");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("vvvv") == std::string::npos) EXPECT_LE(line.size(), 60u) << line;
  }
  EXPECT_NE(text.find(R"("a": {"short": [1, 2]})"), std::string::npos) << text;
  // Names fill their lines rather than one per line.
  EXPECT_NE(text.find(R"("aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb",)"), std::string::npos)
      << text;
  EXPECT_EQ(LayOutJson(Json::parse("[]")), "[]\n");
  EXPECT_EQ(LayOutJson(Json::parse(R"({"a": 1})")), "{\"a\": 1}\n");
}

}  // namespace
}  // namespace imageprobe::report
