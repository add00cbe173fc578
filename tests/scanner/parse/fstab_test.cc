// SPDX-License-Identifier: Apache-2.0
// The rules are libmount's (util-linux libmount/src/tab_parse.c, lib/mangle.c); each case says
// which one it checks.
#include "scanner/parse/fstab.h"

#include <gtest/gtest.h>

#include <string>

namespace imageprobe::parse {
namespace {

using namespace std::string_literals;

TEST(ParseFstab, FieldsCommentsAndEscapes) {
  auto parsed = ParseFstab(
      "# comment\r\n"
      "   # indented comment\n"
      "UUID=ab-cd  /  ext4  errors=remount-ro 0 1\r\n"
      "\n"
      "LABEL=My\\040Data\t/srv/my\\040data  xfs\n"
      "/dev/sdb1 /mnt/a#b ext4 defaults 0 2 trailing words ignored\n");
  ASSERT_EQ(parsed.entries.size(), 3u);
  EXPECT_TRUE(parsed.problems.empty());
  EXPECT_EQ(parsed.entries[0].spec, "UUID=ab-cd");
  EXPECT_EQ(parsed.entries[0].mount_point, "/");
  EXPECT_EQ(parsed.entries[0].options, "errors=remount-ro");
  EXPECT_EQ(parsed.entries[0].freq, 0);
  EXPECT_EQ(parsed.entries[0].passno, 1);
  EXPECT_EQ(parsed.entries[0].line, 3u);
  EXPECT_EQ(parsed.entries[1].spec, "LABEL=My Data");
  EXPECT_EQ(parsed.entries[1].mount_point, "/srv/my data");
  EXPECT_EQ(parsed.entries[1].options, "defaults");  // missing field
  EXPECT_EQ(parsed.entries[1].line, 5u);
  EXPECT_EQ(parsed.entries[2].mount_point, "/mnt/a#b");  // '#' inside a line is not a comment
  EXPECT_EQ(parsed.entries[2].passno, 2);
}

// mnt_parse_table_line: source, target and type are required; freq and passno must be numbers.
TEST(ParseFstab, RefusesWhatLibmountRefuses) {
  auto parsed = ParseFstab(
      "lonely-field\n"
      "/dev/sdb1 /mnt\n"                                  // 2 fields: no type
      "UUID=1 /data xfs defaults # a trailing comment\n"  // freq "#"
      "a b c d e f g\n"                                   // freq "e"
      "UUID=2 /x ext4 defaults 0 two\n"                   // passno
      "UUID=3 /y ext4 defaults 1x\n");                    // a number must end the field
  EXPECT_TRUE(parsed.entries.empty());
  ASSERT_EQ(parsed.problems.size(), 6u);
  for (uint32_t i = 0; i < 6; ++i) EXPECT_EQ(parsed.problems[i].line, i + 1);
  EXPECT_EQ(parsed.problems[1].message, "fewer than 3 fields");
}

// unmangle_to_buffer: "\" and three octal digits, value modulo 256; anything else kept.
TEST(ParseFstab, OctalEscapesAsLibmount) {
  EXPECT_EQ(UnescapeFstabField("a\\040b\\011c\\134d"), "a b\tc\\d");
  EXPECT_EQ(UnescapeFstabField("/bin\\777"), "/bin\xff");
  EXPECT_EQ(UnescapeFstabField("\\12"), "\\12");     // too short: kept
  EXPECT_EQ(UnescapeFstabField("\\08x"), "\\08x");   // 8 is not octal: kept
  EXPECT_EQ(UnescapeFstabField("ab\\000cd"), "ab");  // NUL ends the C string
  auto parsed = ParseFstab("/dev/sda1 / ext4 \\12\n");
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.entries[0].options, "\\12");
}

TEST(ParseFstab, HostileInputBecomesProblemsNotCrashes) {
  std::string junk = std::string("a\0b /x ext4\n", 12);  // NUL ends the line: one field left
  junk += std::string(1 << 20, 'x') + "\n";              // a 1 MiB line with one field
  junk += "\xff\xfe /bin\\777 ext4\n";                   // invalid UTF-8 is just bytes
  junk += "\0\xff\xfe \\0 \\\n"s;                        // a NUL first: an empty line
  junk += "/dev/sda1 /x ext4\0 junk after the NUL\n"s;
  auto parsed = ParseFstab(junk);
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(parsed.problems[0].line, 1u);
  EXPECT_EQ(parsed.problems[1].line, 2u);
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].mount_point, "/bin\xff");
  EXPECT_EQ(parsed.entries[1].type, "ext4");
  EXPECT_EQ(parsed.entries[1].options, "defaults");
}

TEST(FstabEntry, HasOptionMatchesWholeOptions) {
  auto parsed = ParseFstab("UUID=1 /d ext4 defaults,nofail,x-systemd.automount 0 0\n");
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_TRUE(parsed.entries[0].HasOption("nofail"));
  EXPECT_FALSE(parsed.entries[0].HasOption("fail"));
}

}  // namespace
}  // namespace imageprobe::parse
