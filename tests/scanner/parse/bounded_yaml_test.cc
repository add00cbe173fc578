// SPDX-License-Identifier: Apache-2.0
#include "scanner/parse/bounded_yaml.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace imageprobe::parse {
namespace {

using namespace std::string_literals;

TEST(ParseBoundedYaml, ReadsMapsSequencesAndLines) {
  auto parsed = parse::ParseBoundedYaml("a: 1\r\nb:\r\n  - x\r\n  - y\r\nc: {d: e}\r\n");
  ASSERT_FALSE(parsed.problem) << parsed.problem->message;
  ASSERT_TRUE(parsed.root->IsMap());
  EXPECT_EQ(parsed.root->Find("a")->scalar, "1");  // CR not part of the value
  ASSERT_TRUE(parsed.root->Find("b")->IsSequence());
  EXPECT_EQ(parsed.root->Find("b")->items[1].scalar, "y");
  EXPECT_EQ(parsed.root->Find("b")->items[1].line, 4u);
  EXPECT_EQ(parsed.root->Find("c")->Find("d")->scalar, "e");
  EXPECT_EQ(parsed.root->Find("missing"), nullptr);
}

TEST(ParseBoundedYaml, MalformedYamlGivesLineAndColumn) {
  auto parsed = parse::ParseBoundedYaml("ok: 1\nlist: [a, b\nnext: 2\n");
  ASSERT_TRUE(parsed.problem);
  EXPECT_FALSE(parsed.root);
  EXPECT_GE(parsed.problem->line, 2u);
  EXPECT_FALSE(parsed.problem->message.empty());

  auto tabs = parse::ParseBoundedYaml("a:\n\t- b\n");
  EXPECT_TRUE(tabs.problem);
}

TEST(ParseBoundedYaml, BillionLaughsStopsAtTheNodeBudget) {
  std::string bomb =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'j'; ++name) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 9; ++i) bomb += std::string(i ? "," : "") + "*" + previous;
    bomb += "]\n";
    previous = name;
  }
  auto start = std::chrono::steady_clock::now();
  auto parsed = parse::ParseBoundedYaml(bomb);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(parsed.problem);
  EXPECT_NE(parsed.problem->message.find("nodes"), std::string::npos) << parsed.problem->message;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(ParseBoundedYaml, DeepNestingIsRefusedNotACrash) {
  std::string flow(100'000, '[');
  auto parsed = parse::ParseBoundedYaml(flow);
  EXPECT_TRUE(parsed.problem);

  std::string nested;
  for (int i = 0; i < 100; ++i) nested += std::string(i * 2, ' ') + "k:\n";
  auto deep = parse::ParseBoundedYaml(nested);
  ASSERT_TRUE(deep.problem);
  EXPECT_NE(deep.problem->message.find("nesting"), std::string::npos);
}

TEST(ParseBoundedYaml, NulBytesOversizeAndMultipleDocuments) {
  auto nul = parse::ParseBoundedYaml("a: 1\nb: \0x\n"s);
  ASSERT_TRUE(nul.problem);
  EXPECT_EQ(nul.problem->line, 2u);

  parse::YamlLimits small;
  small.max_bytes = 10;
  EXPECT_TRUE(parse::ParseBoundedYaml("a: 0123456789\n", small).problem);

  auto two = parse::ParseBoundedYaml("a: 1\n---\nb: 2\n");
  ASSERT_TRUE(two.problem);
  EXPECT_NE(two.problem->message.find("more than one"), std::string::npos);
}

// yaml-cpp 0.7's LoadAll loops forever, allocating, on a token it cannot place (found by
// tools/fuzz on network_config: ",0Te"); each input here hung before the fix.
TEST(ParseBoundedYaml, AStrayCommaIsAnErrorNotAnEndlessLoop) {
  for (std::string_view text : {",", ",0Te", "\n,\n", ", a: b\n", "# c\n  ,x\n"}) {
    auto parsed = parse::ParseBoundedYaml(text);
    ASSERT_TRUE(parsed.problem) << text;
    EXPECT_NE(parsed.problem->message.find("cannot place"), std::string::npos)
        << text << ": " << parsed.problem->message;
    EXPECT_GE(parsed.problem->line, 1u) << text;
  }
  auto later = parse::ParseBoundedYaml("a: 1\nb: [x, y]\n");
  ASSERT_FALSE(later.problem) << later.problem->message;
  EXPECT_EQ(later.root->Find("b")->items.size(), 2u);
}

TEST(ParseBoundedYaml, BinaryJunkAndInvalidUtf8NeverThrow) {
  std::string junk = "\xff\xfe\x00\x01: [\x80\x81\n\x1b[2J{{{"s;
  EXPECT_NO_THROW(parse::ParseBoundedYaml(junk));
  EXPECT_NO_THROW(parse::ParseBoundedYaml("key: \xc3\x28\xa0\xa1\n"));
  EXPECT_NO_THROW(parse::ParseBoundedYaml(std::string(200'000, 'x') + ": y\n"));
}

TEST(ParseBoundedYaml, EmptyDocumentIsNull) {
  auto parsed = parse::ParseBoundedYaml("# only a comment\n");
  ASSERT_FALSE(parsed.problem);
  EXPECT_EQ(parsed.root->kind, parse::YamlNode::Kind::kNull);
}

TEST(YamlBool, FollowsYaml11Words) {
  parse::YamlNode node;
  node.kind = parse::YamlNode::Kind::kScalar;
  for (auto word : {"yes", "On", "TRUE"}) {
    node.scalar = word;
    EXPECT_EQ(parse::YamlBool(node), true) << word;
  }
  for (auto word : {"no", "Off", "false"}) {
    node.scalar = word;
    EXPECT_EQ(parse::YamlBool(node), false) << word;
  }
  node.scalar = "maybe";
  EXPECT_FALSE(parse::YamlBool(node));
}

}  // namespace
}  // namespace imageprobe::parse

namespace imageprobe::parse {
namespace {

// jbeder/yaml-cpp#1163: Ubuntu's 05_logging.cfg puts an anchor before a block scalar in a
// sequence, which yaml-cpp 0.7 rejects as written.
TEST(ParseBoundedYaml, AnchoredBlockScalarInSequenceAsUbuntuShipsIt) {
  auto parsed = parse::ParseBoundedYaml(
      "_log:\n - &log_base |\n   [loggers]\n   keys=root,cloudinit\n\n   [x]\n"
      " - &log_file !!str >-\n   one\n     two\n"
      "log_cfgs:\n - [ *log_base, *log_file ]\nafter: 1\n");
  ASSERT_FALSE(parsed.problem) << parsed.problem->line << ": " << parsed.problem->message;
  const parse::YamlNode* log = parsed.root->Find("_log");
  ASSERT_EQ(log->items.size(), 2u);
  EXPECT_EQ(log->items[0].scalar, "[loggers]\nkeys=root,cloudinit\n\n[x]\n");
  EXPECT_EQ(log->items[1].scalar, "one\n  two");
  EXPECT_EQ(parsed.root->Find("log_cfgs")->items[0].items[0].scalar, log->items[0].scalar);
  EXPECT_EQ(parsed.root->Find("after")->line, 12u);  // line numbers unchanged
}

TEST(ParseBoundedYaml, ManyBlockHeadersStayFast) {
  std::string text = "- &a |\n";
  for (int i = 0; i < 60'000; ++i) text += " - &b |\n";
  auto start = std::chrono::steady_clock::now();
  parse::ParseBoundedYaml(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// PyYAML's safe_load (cloud-init) applies merge keys; yaml-cpp alone would leave a "<<" entry
// and the merged settings would be missing.
TEST(ParseBoundedYaml, MergeKeysAsPyYamlAppliesThem) {
  auto parsed = parse::ParseBoundedYaml(
      "a: &a {x: 1, y: 1}\n"
      "b: &b {y: 2, z: 2}\n"
      "one: {<<: *a, x: own}\n"
      "list:\n  <<: [*a, *b]\n"
      "nested: {<<: {<<: *b, w: 3}}\n"
      "quoted: {'<<': *a}\n");
  ASSERT_FALSE(parsed.problem) << parsed.problem->message;
  const YamlNode* one = parsed.root->Find("one");
  EXPECT_EQ(one->Find("x")->scalar, "own");  // the mapping's own key wins
  EXPECT_EQ(one->Find("y")->scalar, "1");
  EXPECT_EQ(one->Find("<<"), nullptr);
  const YamlNode* list = parsed.root->Find("list");
  EXPECT_EQ(list->Find("y")->scalar, "1");  // the earlier mapping of the list wins
  EXPECT_EQ(list->Find("z")->scalar, "2");
  const YamlNode* nested = parsed.root->Find("nested");
  EXPECT_EQ(nested->Find("z")->scalar, "2");
  EXPECT_EQ(nested->Find("w")->scalar, "3");
  const YamlNode* quoted = parsed.root->Find("quoted");
  ASSERT_NE(quoted->Find("<<"), nullptr);  // quoted: an ordinary key, as in PyYAML
  EXPECT_EQ(quoted->Find("x"), nullptr);

  // PyYAML refuses "expected a mapping or list of mappings for merging"; so do we.
  for (std::string_view refused :
       {"a: &a 1\nb:\n  <<: *a\n", "b:\n  <<:\n  c: 1\n", "a: &a {x: 1}\nb: {<<: [*a, 2]}\n"}) {
    auto bad = parse::ParseBoundedYaml(refused);
    ASSERT_TRUE(bad.problem) << refused;
    EXPECT_NE(bad.problem->message.find("merge key"), std::string::npos);
  }
}

TEST(ParseBoundedYaml, ByteOrderMarkEndMarkerAndLongScalars) {
  auto bom = parse::ParseBoundedYaml(
      "\xef\xbb\xbf"
      "disable_root: false\n");
  ASSERT_FALSE(bom.problem) << bom.problem->message;
  EXPECT_EQ(bom.root->Find("disable_root")->scalar, "false");

  auto ended = parse::ParseBoundedYaml("---\na: 1\n...\n# trailing comment\n");
  ASSERT_FALSE(ended.problem) << ended.problem->message;
  EXPECT_EQ(ended.root->Find("a")->scalar, "1");
  // A second document after the end marker: PyYAML's safe_load refuses the stream.
  EXPECT_TRUE(parse::ParseBoundedYaml("a: 1\n...\n---\nb: 2\n").problem);

  // Within the byte limit a scalar may be as long as it likes (PyYAML sets no length limit).
  std::string text = "k: " + std::string(1000000, 'x') + "\n";
  auto parsed = parse::ParseBoundedYaml(text);
  ASSERT_FALSE(parsed.problem) << parsed.problem->message;
  EXPECT_EQ(parsed.root->Find("k")->scalar.size(), 1000000u);
}

}  // namespace
}  // namespace imageprobe::parse
