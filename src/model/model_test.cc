#include <gtest/gtest.h>

#include <set>

#include "model/entity.h"
#include "model/git.h"
#include "model/ids.h"
#include "model/registry.h"
#include "model/review.h"

namespace sei::model {
namespace {

TEST(EntityTest, RowRoundTripKeepsEveryField) {
  PullRequest pr;
  pr.id = "github:1:pr:42";
  pr.connection_id = "github:1";
  pr.repo_id = "github:1:repo:7";
  pr.number = 42;
  pr.title = "Fix the thing";
  pr.state = "merged";
  pr.is_draft = true;
  pr.merged_at = 1700000000;
  pr.additions = 12;
  Row row = ToRow(pr);
  ASSERT_EQ(row.size(), SpecOf<PullRequest>().columns.size());
  auto back = FromRow<PullRequest>(row);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, pr.id);
  EXPECT_EQ(back->number, 42);
  EXPECT_TRUE(back->is_draft);
  EXPECT_EQ(back->merged_at, std::optional<int64_t>(1700000000));
  EXPECT_FALSE(back->closed_at.has_value());
  EXPECT_EQ(back->additions, std::optional<int64_t>(12));
}

TEST(EntityTest, FromRowRejectsWrongTypes) {
  Row row = ToRow(PullRequest{});
  row[SpecOf<PullRequest>().ColumnIndex("number")] = std::string("not a number");
  auto back = FromRow<PullRequest>(row);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.status().message().find("number"), std::string::npos);
}

TEST(EntityTest, SpecsDescribeNullabilityAndKeys) {
  const TableSpec& spec = SpecOf<CommitFile>();
  EXPECT_EQ(spec.entity, "commit-files");
  EXPECT_FALSE(spec.writable);
  EXPECT_TRUE(spec.columns[spec.ColumnIndex("added")].nullable);
  EXPECT_FALSE(spec.columns[spec.ColumnIndex("path")].nullable);
  EXPECT_EQ(spec.columns[spec.ColumnIndex("is_binary")].type, ColumnType::kBoolean);
}

TEST(RegistryTest, EntityAndTableNamesAreUniqueAndKeysAreColumns) {
  std::set<std::string> entities, tables;
  for (const TableSpec* spec : AllSpecs()) {
    EXPECT_TRUE(entities.insert(spec->entity).second) << spec->entity;
    EXPECT_TRUE(tables.insert(spec->table).second) << spec->table;
    EXPECT_FALSE(spec->key.empty()) << spec->table;
    for (const std::string& k : spec->key) {
      EXPECT_GE(spec->ColumnIndex(k), 0) << spec->table << " key " << k;
    }
  }
  EXPECT_EQ(FindSpec("commit-files"), &SpecOf<CommitFile>());
  EXPECT_EQ(FindSpec("commit_files"), &SpecOf<CommitFile>());
  EXPECT_EQ(FindSpec("nope"), nullptr);
}

TEST(IdsTest, NamespacedIds) {
  EXPECT_EQ(MakeId(ConnectionId("github", "1"), "pr", "203756736"), "github:1:pr:203756736");
  EXPECT_EQ(GitAccountId("git:local", "Ann", "Ann@Example.COM"),
            "git:local:account:ann@example.com");
  EXPECT_EQ(GitAccountId("git:local", "Ann", ""), "git:local:account:name:Ann");
}

}  // namespace
}  // namespace sei::model
