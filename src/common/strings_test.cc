#include "common/strings.h"

#include <gtest/gtest.h>

namespace sei {
namespace {

TEST(StringsTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));           // Latin-1 e-acute
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE6\x97"));          // truncated
  EXPECT_EQ(ToValidUtf8("a\xE9z"), "a\xEF\xBF\xBDz");
}

TEST(StringsTest, DecodesLatin1WhenNotUtf8) {
  EXPECT_EQ(Latin1ToUtf8("Jos\xE9"), "Jos\xC3\xA9");
  EXPECT_EQ(DecodeText("Jos\xE9", "ISO-8859-1"), "Jos\xC3\xA9");
  EXPECT_EQ(DecodeText("Jos\xE9", ""), "Jos\xC3\xA9");
  EXPECT_EQ(DecodeText("Jos\xC3\xA9", "ISO-8859-1"), "Jos\xC3\xA9");  // already UTF-8
  EXPECT_EQ(DecodeText("\x82\xA0", "Shift_JIS"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(StringsTest, QuotesLikeGitWithQuotePathFalse) {
  EXPECT_EQ(QuoteCStyle("src/a b.c"), "src/a b.c");
  EXPECT_EQ(QuoteCStyle("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(QuoteCStyle("tab\there"), "\"tab\\there\"");
  EXPECT_EQ(QuoteCStyle("new\nline"), "\"new\\nline\"");
  EXPECT_EQ(QuoteCStyle("q\"uote"), "\"q\\\"uote\"");
  EXPECT_EQ(QuoteCStyle("back\\slash"), "\"back\\\\slash\"");
  EXPECT_EQ(QuoteCStyle(std::string("\x01", 1)), "\"\\001\"");
}

TEST(StringsTest, CsvAndBase64) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(StringsTest, HumanReadableNumbers) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
  EXPECT_EQ(WithThousands(-1000), "-1,000");
  EXPECT_EQ(HumanDuration(0.25), "250ms");
  EXPECT_EQ(HumanDuration(4.21), "4.2s");
  EXPECT_EQ(HumanDuration(185), "3m 05s");
  EXPECT_EQ(HumanDuration(3725), "1h 02m");
  EXPECT_EQ(HumanBytes(512), "512 B");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(3u << 20), "3.0 MiB");
}

}  // namespace
TEST(StringsTest, PadRightCountsCodePointsNotBytes) {
  EXPECT_EQ(PadRight("Ana", 6), "Ana   ");
  EXPECT_EQ(PadRight("Zolt\xc3\xa1n", 8), "Zolt\xc3\xa1n  ");  // 6 code points, 7 bytes
  EXPECT_EQ(PadRight("too long", 3), "too long");
}

}  // namespace sei
