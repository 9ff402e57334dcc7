// Name normalisation (text.h): case, spacing and Latin diacritics.
#include "identity/text.h"

#include <gtest/gtest.h>

namespace sei::identity {
namespace {

TEST(TextTest, NamesFoldCaseSpacingAndLatinDiacritics) {
  EXPECT_EQ(NormalizeName("  Ann \t  LEE "), "ann lee");
  EXPECT_EQ(NormalizeName("Ana Müller"), NormalizeName("Ana Muller"));
  EXPECT_EQ(NormalizeName("Ana Jovanović"), "ana jovanovic");
  EXPECT_EQ(NormalizeName("ZOLTÁN BROWN"), "zoltan brown");
  EXPECT_EQ(NormalizeName("Vera Sørensen"), "vera sorensen");
  EXPECT_EQ(NormalizeName("Łukasz Żółć"), "lukasz zolc");
  EXPECT_EQ(NormalizeName("Jürgen Straße"), "jurgen strasse");
  EXPECT_EQ(NormalizeName("Ștefan Țurcanu"), "stefan turcanu");
  EXPECT_EQ(NormalizeName("Œdipe Ærø"), "oedipe aero");
  EXPECT_EQ(NormalizeName("Lucía Keller"), "lucia keller");
  // Decomposed (NFD): the combining mark is dropped.
  EXPECT_EQ(NormalizeName("Lucia\xCC\x81 Keller"), "lucia keller");
  // Not Latin: kept as written (no case folding outside ASCII either).
  EXPECT_EQ(NormalizeName("Иван Петров"), "Иван Петров");
  EXPECT_EQ(NormalizeName("山田 太郎"), "山田 太郎");
  // Invalid UTF-8 bytes pass through.
  EXPECT_EQ(NormalizeName("A\xFF B"), "a\xFF b");
  EXPECT_EQ(WordCount(NormalizeName(" Ana  Müller ")), 2);
}

TEST(TextTest, EmailDomain) {
  EXPECT_EQ(EmailDomain("ann@acme.example"), "acme.example");
  EXPECT_EQ(EmailDomain("a@b@c.example"), "c.example");
  EXPECT_EQ(EmailDomain("nobody"), "");
}

}  // namespace
}  // namespace sei::identity
