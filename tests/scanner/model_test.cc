// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/model.h"

#include <gtest/gtest.h>

namespace imageprobe {
namespace {

TEST(Severity, NamesRoundTripAndOrder) {
  for (auto s :
       {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    EXPECT_EQ(ParseSeverity(SeverityName(s)), s);
  }
  EXPECT_FALSE(ParseSeverity("severe"));
  EXPECT_LT(Severity::kHigh, Severity::kCritical);
}

TEST(RedactSecret, KeepsFirstAndLastFour) {
  EXPECT_EQ(RedactSecret("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
  EXPECT_EQ(RedactSecret("short"), "****");
  EXPECT_EQ(RedactSecret(""), "");
}

TEST(EscapeForTerminal, NeutralisesControlCharacters) {
  EXPECT_EQ(EscapeForTerminal("a\x1b[2Jb"), "a\\x1B[2Jb");
  EXPECT_EQ(EscapeForTerminal("line\nnext"), "line\\x0Anext");
  EXPECT_EQ(EscapeForTerminal("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 kept
  EXPECT_EQ(EscapeForTerminal("bad\xff"), "bad\\xFF");
  // Not UTF-8 either, though a lenient decoder reads ESC, CSI or a surrogate there.
  EXPECT_EQ(EscapeForTerminal("\xe0\x80\x9b[2J"), "\\xE0\\x80\\x9B[2J");
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80"), "\\xED\\xA0\\x80");
  EXPECT_EQ(EscapeForTerminal("\xf0\x9f\x94\x91"), "\xf0\x9f\x94\x91");  // U+1F511 kept
  EXPECT_EQ(EscapeForTerminal("\xc2\x9b"), "\\xC2\\x9B");                // C1 CSI, UTF-8 encoded
}

}  // namespace
}  // namespace imageprobe
