#include "auth/audit_log.h"

#include <gtest/gtest.h>

#include "auth/auth_test_util.h"

namespace sei::auth {
namespace {

using AuditLogTest = AuthStoreTest;

AuditEntry Entry(int64_t at, const std::string& action) {
  AuditEntry e;
  e.id = 999;  // ignored: the store assigns ids
  e.at = at;
  e.actor = "cli:alice";
  e.action = action;
  e.target = "token:tk-1";
  e.outcome = "ok";
  return e;
}

TEST_F(AuditLogTest, AppendsWithIncreasingIdsAndPagesNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(AuditLog::Record(*store_, Entry(kNow + i, "a" + std::to_string(i))).ok());
  }
  auto page = AuditLog::Recent(*store_, 2);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].action, "a4");
  EXPECT_EQ((*page)[1].action, "a3");
  EXPECT_GT((*page)[0].id, (*page)[1].id);
  auto next = AuditLog::Recent(*store_, 10, (*page)[1].id);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 3u);
  EXPECT_EQ((*next)[0].action, "a2");
  EXPECT_EQ((*next)[2].action, "a0");
  EXPECT_EQ((*next)[2].target, "token:tk-1");
  EXPECT_EQ(store_->CountRows(model::SpecOf<AuditEntry>(), {}).value(), 5);
}

TEST_F(AuditLogTest, RefusesIncompleteEntriesAndBadPages) {
  AuditEntry e = Entry(kNow, "");
  EXPECT_EQ(AuditLog::Record(*store_, e).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(AuditLog::Recent(*store_, 0).ok());
  EXPECT_FALSE(AuditLog::Recent(*store_, 1001).ok());
  // The log is append-only: the generic upsert path refuses it.
  EXPECT_FALSE(store_->Upsert(std::vector<AuditEntry>{Entry(kNow, "x")}).ok());
}

TEST_F(AuditLogTest, AnEntryWrittenWithAChangeCommitsOrFailsWithIt) {
  auto entry = AuditLog::Write(Entry(kNow, "team.create"));
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  ASSERT_TRUE(
      store_
          ->ApplyWrites(
              {TableWrite::Upsert(std::vector<model::Team>{{"t-new", "New", {}, {}}}), *entry})
          .ok());
  EXPECT_EQ(store_->CountRows(model::SpecOf<AuditEntry>(), {}).value(), 1);
  // A failing write in the same call rolls the entry back with it.
  model::Team nameless{"t-bad", "", {}, {}};
  TableWrite broken = TableWrite::Upsert(std::vector<model::Team>{nameless});
  broken.rows[0][1] = model::Value{};
  EXPECT_FALSE(store_->ApplyWrites({*AuditLog::Write(Entry(kNow, "team.create")), broken}).ok());
  EXPECT_EQ(store_->CountRows(model::SpecOf<AuditEntry>(), {}).value(), 1);
  EXPECT_FALSE(AuditLog::Write(Entry(kNow, "")).ok());
}

}  // namespace
}  // namespace sei::auth
