// SPDX-License-Identifier: Apache-2.0
#include "probes/os/os_release.h"

#include <gtest/gtest.h>

namespace imageprobe::probes::os {
namespace {

using namespace std::string_literals;

TEST(ParseEnvFile, QuotingAndEscapesFollowOsRelease) {
  EnvFile env = ParseEnvFile(
      "NAME=\"Ubuntu\"\n"
      "ID=ubuntu\n"
      "PRETTY_NAME='Ubuntu 14.04.6 LTS'\n"
      "ESCAPED=\"a \\\"quoted\\\" \\$HOME \\\\ \\`x\\` \\n\"\n"
      "UNQUOTED=foo\\ bar   \n"
      "CONCAT=\"ab\"'cd'ef\n"
      "  SPACED = value\n"
      "EMPTY=\n"
      "# COMMENTED=1\n");
  EXPECT_TRUE(env.problems.empty());
  EXPECT_EQ(env.Get("NAME"), "Ubuntu");
  EXPECT_EQ(env.Get("ID"), "ubuntu");
  EXPECT_EQ(env.Get("PRETTY_NAME"), "Ubuntu 14.04.6 LTS");
  // Only " \ ` $ are escapable inside double quotes; "\n" stays a backslash and an n.
  EXPECT_EQ(env.Get("ESCAPED"), "a \"quoted\" $HOME \\ `x` \\n");
  EXPECT_EQ(env.Get("UNQUOTED"), "foo bar");  // trailing whitespace dropped
  EXPECT_EQ(env.Get("CONCAT"), "abcdef");
  EXPECT_EQ(env.Get("SPACED"), "value");
  EXPECT_EQ(env.Get("EMPTY"), "");
  EXPECT_EQ(env.Get("COMMENTED"), "");
  EXPECT_EQ(env.values.count("COMMENTED"), 0u);
}

TEST(ParseEnvFile, MalformedLinesAreProblemsWithLineNumbers) {
  EnvFile env = ParseEnvFile(
      "ID=debian\n"
      "this is not an assignment\n"
      "1BAD=x\n"
      "OPEN=\"never closed\n"
      "SINGLE='also open\n"
      "VERSION_ID=\"12\"\n");
  EXPECT_EQ(env.Get("ID"), "debian");
  EXPECT_EQ(env.Get("VERSION_ID"), "12");
  ASSERT_EQ(env.problems.size(), 4u);
  EXPECT_EQ(env.problems[0].line, 2u);
  EXPECT_EQ(env.problems[1].line, 3u);
  EXPECT_EQ(env.problems[2].line, 4u);
  EXPECT_EQ(env.problems[2].message, "unterminated double quote");
  EXPECT_EQ(env.problems[3].message, "unterminated single quote");
  EXPECT_EQ(env.values.count("OPEN"), 0u);
}

TEST(ParseEnvFile, CrlfAndNulBytes) {
  EnvFile env = ParseEnvFile("ID=centos\r\nVERSION_ID=\"7\"\r\nNAME=\"Cent\0OS\"\r\n"s);
  EXPECT_EQ(env.Get("ID"), "centos");  // no trailing CR
  EXPECT_EQ(env.Get("VERSION_ID"), "7");
  EXPECT_EQ(env.Get("NAME"), "");  // a line with a NUL byte is refused, not truncated
  ASSERT_EQ(env.problems.size(), 1u);
  EXPECT_EQ(env.problems[0].line, 3u);
  EXPECT_EQ(env.problems[0].message, "NUL byte in line");
}

TEST(ParseEnvFile, BinaryJunkAndVeryLongLinesDoNotCrash) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) % 256);
  EnvFile env = ParseEnvFile(junk);
  EXPECT_FALSE(env.problems.empty());
  std::string long_value(1 << 20, 'x');
  env = ParseEnvFile("ID=" + long_value + "\n\xff\xfe=1\n");
  EXPECT_EQ(env.Get("ID").size(), long_value.size());
  EXPECT_EQ(env.problems.size(), 1u);
}

TEST(ReleaseFromOsRelease, PrefersVersionCodenameThenUbuntuCodename) {
  Release r = ReleaseFromOsRelease(ParseEnvFile(
      "NAME=\"Ubuntu\"\nVERSION=\"14.04.6 LTS, Trusty Tahr\"\nID=Ubuntu\nID_LIKE=debian\n"
      "VERSION_ID=\"14.04\"\nUBUNTU_CODENAME=trusty\n"));
  EXPECT_EQ(r.id, "ubuntu");  // lower-cased
  EXPECT_EQ(r.version_id, "14.04");
  EXPECT_EQ(r.codename, "trusty");
  EXPECT_EQ(r.version, "14.04.6 LTS, Trusty Tahr");
}

TEST(ParseRedhatRelease, KnownVendors) {
  Release r = ParseRedhatRelease("CentOS Linux release 7.9.2009 (Core)\n");
  EXPECT_EQ(r.id, "centos");
  EXPECT_EQ(r.version_id, "7");
  EXPECT_EQ(r.codename, "Core");
  r = ParseRedhatRelease("Red Hat Enterprise Linux Server release 6.10 (Santiago)\r\n");
  EXPECT_EQ(r.id, "rhel");
  EXPECT_EQ(r.version_id, "6.10");
  r = ParseRedhatRelease("Amazon Linux AMI release 2018.03");
  EXPECT_EQ(r.id, "amzn");
  EXPECT_EQ(r.version_id, "2018.03");
  r = ParseRedhatRelease("CentOS Stream release 8\n");
  EXPECT_EQ(r.id, "centos");
  EXPECT_EQ(r.name, "CentOS Stream");
  EXPECT_EQ(ParseRedhatRelease("Frobnix OS release 3").id, "");
  EXPECT_EQ(ParseRedhatRelease("garbage").id, "");
  EXPECT_EQ(ParseRedhatRelease("CentOS release 6\0.10"s).id, "");
}

TEST(ParseDebianVersion, NumberedAndTesting) {
  Release r = ParseDebianVersion("7.11\n");
  EXPECT_EQ(r.id, "debian");
  EXPECT_EQ(r.version_id, "7");
  r = ParseDebianVersion("bookworm/sid\n");
  EXPECT_EQ(r.id, "debian");
  EXPECT_EQ(r.version_id, "");
  EXPECT_EQ(r.codename, "bookworm");
  EXPECT_EQ(ParseDebianVersion("\x7f"
                               "ELF\x02\x01")
                .id,
            "");
  EXPECT_EQ(ParseDebianVersion("").id, "");
}

TEST(ParseHostnameFile, FirstNonCommentLine) {
  EXPECT_EQ(ParseHostnameFile("# set by cloud-init\n\n  web-01  \r\nother\n"), "web-01");
  EXPECT_EQ(ParseHostnameFile("bad name\n"), "");
  EXPECT_EQ(ParseHostnameFile("esc\x1b[31m\n"), "");
  EXPECT_EQ(ParseHostnameFile(std::string(65, 'a')), "");
  EXPECT_EQ(ParseHostnameFile(""), "");
}

std::string ElfHeader(unsigned char elf_class, unsigned char data, uint16_t machine) {
  std::string h(64, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F';
  h[4] = static_cast<char>(elf_class);
  h[5] = static_cast<char>(data);
  h[data == 1 ? 18 : 19] = static_cast<char>(machine & 0xff);
  h[data == 1 ? 19 : 18] = static_cast<char>(machine >> 8);
  return h;
}

TEST(ElfArchitecture, MachinesAndEndianness) {
  EXPECT_EQ(ElfArchitecture(ElfHeader(2, 1, 62)), "x86_64");
  EXPECT_EQ(ElfArchitecture(ElfHeader(2, 1, 183)), "aarch64");
  EXPECT_EQ(ElfArchitecture(ElfHeader(1, 1, 3)), "i386");
  EXPECT_EQ(ElfArchitecture(ElfHeader(2, 1, 21)), "ppc64le");
  EXPECT_EQ(ElfArchitecture(ElfHeader(2, 2, 21)), "ppc64");
  EXPECT_EQ(ElfArchitecture(ElfHeader(2, 2, 22)), "s390x");
  EXPECT_EQ(ElfArchitecture(ElfHeader(2, 1, 258)), "loongarch64");
  EXPECT_EQ(ElfArchitecture(ElfHeader(2, 1, 9999)), "");
  EXPECT_EQ(ElfArchitecture(ElfHeader(3, 1, 62)), "");  // bad class
  EXPECT_EQ(ElfArchitecture("\x7f"
                            "ELF"),
            "");  // truncated
  EXPECT_EQ(ElfArchitecture("#!/bin/sh\n"), "");
}

}  // namespace
}  // namespace imageprobe::probes::os

namespace imageprobe::probes::os {
namespace {

// A deterministic stand-in for a fuzzer (GCC has no libFuzzer): mutated os-release texts and
// random bytes through every parser. Passing means no crash, hang or sanitizer report.
TEST(OsParsers, SurviveMutatedAndRandomInput) {
  const std::string seed =
      "NAME=\"Ubuntu\"\nVERSION_ID=\"14.04\"\nID=ubuntu\nPRETTY_NAME='Ubuntu 14.04'\n"
      "X=\"a\\\"b\\\\c\"\r\nCentOS Linux release 7.9.2009 (Core)\n7.11\n";
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 8;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string input = seed;
    int mutations = 1 + static_cast<int>(next() % 16);
    for (int m = 0; m < mutations; ++m) {
      size_t pos = next() % (input.size() + 1);
      switch (next() % 4) {
        case 0:
          input.insert(pos, 1, static_cast<char>(next() & 0xFF));
          break;
        case 1:
          if (pos < input.size()) input.erase(pos, 1);
          break;
        case 2:
          if (pos < input.size()) input[pos] = static_cast<char>(next() & 0xFF);
          break;
        default:
          input.insert(pos, input.substr(0, next() % 32));
          break;
      }
    }
    EnvFile env = ParseEnvFile(input);
    for (const auto& p : env.problems) EXPECT_GE(p.line, 1u);
    (void)ReleaseFromOsRelease(env);
    (void)ReleaseFromLsbRelease(env);
    (void)ParseRedhatRelease(input);
    (void)ParseDebianVersion(input);
    (void)ParseHostnameFile(input);
    (void)ElfArchitecture(input);
  }
}

}  // namespace
}  // namespace imageprobe::probes::os
