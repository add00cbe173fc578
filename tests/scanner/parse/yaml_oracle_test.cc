// SPDX-License-Identifier: Apache-2.0
// Oracle: every YAML fixture parsed by parse::ParseBoundedYaml must give the same tree as PyYAML's
// safe_load (what cloud-init and netplan themselves call: merge keys applied, the last of
// duplicate keys kept), with a loader whose scalars stay raw strings so that both sides compare
// text, not PyYAML's typed values. Debian's interpreter is used: python3-yaml (from
// tools/install-deps) installs there, not into another python3 earlier on PATH.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "scanner/parse/bounded_yaml.h"

namespace imageprobe::parse {
namespace {

constexpr const char* kLoadScript =
    "import json,sys,yaml\n"
    "class RawLoader(yaml.SafeLoader): pass\n"
    "for t in ('bool','int','float','timestamp','binary'):\n"
    "  RawLoader.add_constructor('tag:yaml.org,2002:'+t, lambda l, n: l.construct_scalar(n))\n"
    "RawLoader.add_constructor('tag:yaml.org,2002:null', lambda l, n: None)\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "  print(json.dumps(yaml.load(f, Loader=RawLoader)))\n";

nlohmann::json ToJson(const parse::YamlNode& node) {
  switch (node.kind) {
    case parse::YamlNode::Kind::kScalar:
      return node.scalar;
    case parse::YamlNode::Kind::kSequence: {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& item : node.items) items.push_back(ToJson(item));
      return items;
    }
    case parse::YamlNode::Kind::kMap: {
      nlohmann::json entries = nlohmann::json::object();
      for (const auto& [key, value] : node.entries) entries[key] = ToJson(value);
      return entries;
    }
    default:
      return nullptr;
  }
}

std::optional<std::string> RunPython(const std::filesystem::path& file) {
  std::string command =
      "/usr/bin/python3 -c \"$IMAGEPROBE_YAML_LOAD\" '" + file.string() + "' 2>/dev/null";
  setenv("IMAGEPROBE_YAML_LOAD", kLoadScript, 1);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return std::nullopt;
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe.get())) output.append(buffer, n);
  if (pclose(pipe.release()) != 0 || output.empty()) return std::nullopt;
  return output;
}

TEST(YamlOracle, FixturesMatchPyYaml) {
  if (std::system("/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3-yaml not installed";
  }
  size_t compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(IMAGEPROBE_FIXTURES_DIR)) {
    auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".cfg" && ext != ".yaml")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parse::ParseBoundedYaml(text.str());
    ASSERT_FALSE(parsed.problem) << entry.path() << ": " << parsed.problem->message;
    auto oracle = RunPython(entry.path());
    ASSERT_TRUE(oracle) << "PyYAML failed on " << entry.path();
    EXPECT_EQ(ToJson(*parsed.root), nlohmann::json::parse(*oracle)) << entry.path();
    ++compared;
  }
  EXPECT_GE(compared, 6u);  // the cloud.cfg(.d) and netplan files of the fixtures
}

}  // namespace
}  // namespace imageprobe::parse
