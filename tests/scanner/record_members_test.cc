// SPDX-License-Identifier: Apache-2.0
// PayloadMismatches, which holds every fact the probe tests record to its kind's declared
// members: each way a payload can depart from its declaration is reported, where it happens.
#include "scanner/core/record_members.h"

#include <gtest/gtest.h>

namespace imageprobe {
namespace {

constexpr RecordMember kOriginMembers[] = {
    {"path", kText, "the file"},
    {"line", kInteger, "its line"},
};
constexpr ValueShape kOrigin = ObjectOf(kOriginMembers);
constexpr ValueShape kVerdict{ValueType::kString};
constexpr RecordMember kPayload[] = {
    {"user", kText, "the account"},
    {"uid", kIntegerOrNull, "its uid, null when unknown"},
    {"groups", kTextList, "its groups"},
    {"origins", ListOf(kOrigin), "where it was read"},
    {"methods", MapOf(kVerdict), "a verdict per method"},
    {"version", kText, "when known", Presence::kOptional},
};

TEST(PayloadMismatches, AConformingPayloadHasNone) {
  nlohmann::json data = {{"user", "alice"},
                         {"uid", nullptr},
                         {"groups", {"adm", "sudo"}},
                         {"origins", {{{"path", "/etc/passwd"}, {"line", 3}}}},
                         {"methods", {{"publickey", "allowed"}, {"password", "denied"}}}};
  EXPECT_EQ(PayloadMismatches(data, kPayload), std::vector<std::string>{});
  data["version"] = "9.2";
  data["uid"] = 1000;
  EXPECT_EQ(PayloadMismatches(data, kPayload), std::vector<std::string>{});
}

TEST(PayloadMismatches, NamesEachDepartureWhereItIs) {
  nlohmann::json data = {{"uid", "1000"},
                         {"groups", {"adm", 4}},
                         {"origins", {{{"path", "/etc/passwd"}, {"line", 3}, {"col", 1}}}},
                         {"methods", {{"publickey", true}}},
                         {"shell", "/bin/sh"}};
  EXPECT_EQ(PayloadMismatches(data, kPayload),
            (std::vector<std::string>{
                "user: missing",
                "uid: a string, declared an integer",
                "groups[1]: an integer, declared a string",
                "origins[0].col: not declared",
                "methods[\"publickey\"]: a boolean, declared a string",
                "shell: not declared",
            }));
}

TEST(PayloadMismatches, APayloadIsAnObject) {
  EXPECT_EQ(PayloadMismatches(nlohmann::json::array(), kPayload),
            std::vector<std::string>{"the payload is a list, declared an object"});
}

TEST(PayloadMismatches, NullOnlyWhereDeclaredNullable) {
  nlohmann::json data = {{"user", nullptr},
                         {"uid", nullptr},
                         {"groups", nlohmann::json::array()},
                         {"origins", nlohmann::json::array()},
                         {"methods", nlohmann::json::object()}};
  EXPECT_EQ(PayloadMismatches(data, kPayload),
            std::vector<std::string>{"user: null, declared a string"});
}

TEST(DeclaresMember, FindsNamesAtAnyDepth) {
  EXPECT_TRUE(DeclaresMember(kPayload, "user"));
  EXPECT_TRUE(DeclaresMember(kPayload, "line"));  // inside the list of origins
  EXPECT_FALSE(DeclaresMember(kPayload, "mtime"));
}

}  // namespace
}  // namespace imageprobe
