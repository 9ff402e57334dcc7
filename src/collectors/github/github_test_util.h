// Test-only helpers for the GitHub converter tests: locating and reading the
// real payloads in ../shared/fixtures/payloads, a conversion context, and
// small unwrappers. Header-only; included by *_test.cc files only.
//
// Thread safety: pure functions.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "collectors/github/github_convert.h"
#include "common/time.h"
#include "testing/test_util.h"

namespace sei::collectors::github::testing_github {

inline constexpr const char* kConn = "github:acme";

// ../shared/fixtures/payloads/<sub>, or "" when absent.
inline std::string PayloadDir(const std::string& sub) {
  const std::string root = sei::testing::SharedFixturesDir();
  if (root.empty()) return "";
  const std::string dir = root + "/payloads/" + sub;
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir : "";
}

inline std::string Payload(const std::string& rel) {
  const std::string dir = PayloadDir("");
  return dir.empty() ? "" : sei::testing::ReadFile(dir + rel);
}

inline ConvertContext Ctx() {
  ConvertContext ctx;
  ctx.connection_id = kConn;
  ctx.raw_id = 7;
  return ctx;
}

inline int64_t T(const char* text) { return ParseTimestamp(text).value().unix_seconds; }

// The batch, failing the test when the whole body was refused.
inline ConvertedBatch Ok(Result<ConvertedBatch> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : ConvertedBatch{};
}

}  // namespace sei::collectors::github::testing_github

#define SEI_REQUIRE_PAYLOADS()                                                                \
  do {                                                                                        \
    if (::sei::collectors::github::testing_github::PayloadDir("").empty()) {                  \
      GTEST_SKIP() << "../shared/fixtures/payloads is absent: the GitHub payload tests need " \
                      "the shared fixtures beside the source tree";                           \
    }                                                                                         \
  } while (0)
