// A real SQLite store in a temporary directory with a pinned clock, and a
// small organisation (two teams, one below the other, and three people),
// for the auth unit tests.
//
// Thread safety: one test at a time.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "fakes/fake_clock.h"
#include "model/org.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::auth {

inline constexpr int64_t kNow = 1'717'200'000;  // 2024-06-01

class AuthStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    clock_.SetUnixSeconds(kNow);
    ASSERT_TRUE(store_
                    ->Upsert(std::vector<model::Team>{{"t-plat", "Platform", {}, {}},
                                                      {"t-db", "Databases", "t-plat", {}},
                                                      {"t-web", "Web", {}, {}}})
                    .ok());
    ASSERT_TRUE(store_
                    ->Upsert(std::vector<model::Person>{{"p-ann", "Ann", {}, false, 0},
                                                        {"p-bob", "Bob", {}, false, 0},
                                                        {"p-cat", "Cat", {}, false, 0}})
                    .ok());
    // Ann is in Platform; Bob was in Web until last year and is in Databases.
    ASSERT_TRUE(store_
                    ->Upsert(std::vector<model::TeamMember>{
                        {"t-plat", "p-ann", "lead", 0, {}},
                        {"t-web", "p-bob", {}, 0, kNow - 365 * 86400},
                        {"t-db", "p-bob", {}, 0, {}},
                        {"t-web", "p-cat", {}, kNow + 86400, {}}})  // joins tomorrow
                    .ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  FakeClock clock_;
};

}  // namespace sei::auth
