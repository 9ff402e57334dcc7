// The Store's copy contract (store.h, "Copying a whole database"), on every
// backend: storage-order scans read every row; CopyRows writes any table as
// another store read it, ids kept, idempotently, git rows joined to their
// repository and commit; AdvanceIdSequences moves appends past copied ids;
// DataTables is exactly the registry's tables (the check that no table of
// the schema is left out of a copy).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "model/access.h"
#include "model/git.h"
#include "model/meta.h"
#include "model/org.h"
#include "model/registry.h"
#include "store/store.h"
#include "testing/store_backends.h"
#include "testing/store_fill.h"

namespace sei {
namespace {

class StoreCopyTest : public sei::testing::StoreBackendTest {
 protected:
  // A filled SQLite store to copy from.
  std::unique_ptr<Store> FilledSource() {
    auto s = sqlite::SqliteStore::Open(source_dir_.Sub("source.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return nullptr;
    std::unique_ptr<Store> source = std::move(s).value();
    testing::FillEveryTable(*source);
    return source;
  }

  std::vector<model::Row> AllRows(Store& store, const model::TableSpec& spec) {
    std::vector<model::Row> rows;
    ScanOptions o;
    o.storage_order = true;
    EXPECT_TRUE(store
                    .ScanRows(spec, o,
                              [&](const model::Row& row) {
                                rows.push_back(row);
                                return Status::Ok();
                              })
                    .ok());
    return rows;
  }

  testing::TempDir source_dir_;
};

// Every row of `spec` as one line, sorted, read by key or in storage order.
std::vector<std::string> SortedLines(Store& store, const model::TableSpec& spec,
                                     bool storage_order) {
  std::vector<std::string> lines;
  ScanOptions o;
  o.storage_order = storage_order;
  EXPECT_TRUE(store
                  .ScanRows(spec, o,
                            [&](const model::Row& row) {
                              std::string line;
                              for (const model::Value& v : row) {
                                line += model::ValueToString(v) + "|";
                              }
                              lines.push_back(line);
                              return Status::Ok();
                            })
                  .ok());
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST_P(StoreCopyTest, StorageOrderScansReadEveryRowOfEveryTable) {
  testing::FillEveryTable(*store());
  for (const model::TableSpec* spec : model::AllSpecs()) {
    const std::vector<std::string> stored = SortedLines(*store(), *spec, true);
    EXPECT_FALSE(stored.empty()) << spec->table;
    EXPECT_EQ(stored, SortedLines(*store(), *spec, false)) << spec->table;
  }
  // Commits come in the order they were stored, which is not the shas'.
  std::vector<std::string> shas;
  for (const model::Row& row : AllRows(*store(), model::SpecOf<model::Commit>())) {
    shas.push_back(std::get<std::string>(row[1]));
  }
  auto walk = store()->LoadCommitWalk("git:local:repo:/srv/a\tb");
  ASSERT_TRUE(walk.ok());
  EXPECT_EQ(shas, walk->shas);
  EXPECT_EQ(shas.front(), std::string(40, 'c'));

  ScanOptions bad;
  bad.storage_order = true;
  bad.where = {{"id", std::string("x")}};
  Status s = store()->ScanRows(model::SpecOf<model::Person>(), bad,
                               [](const model::Row&) { return Status::Ok(); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
}

TEST_P(StoreCopyTest, CopyRowsWritesEveryTableAsItWasReadWithItsIdsIdempotently) {
  std::unique_ptr<Store> source = FilledSource();
  ASSERT_NE(source, nullptr);
  // Gaps in the store-assigned ids must survive the copy.
  auto* lite = dynamic_cast<sqlite::SqliteStore*>(source.get());
  ASSERT_TRUE(lite->db()->Exec("DELETE FROM audit_log WHERE id = 2").ok());
  ASSERT_TRUE(lite->db()->Exec("DELETE FROM raw_payloads WHERE id = 2").ok());
  for (int round = 0; round < 2; ++round) {
    for (const model::TableSpec* spec : model::AllSpecs()) {
      Status s = store()->CopyRows(*spec, AllRows(*source, *spec));
      ASSERT_TRUE(s.ok()) << spec->table << ": " << s.ToString();
    }
  }
  EXPECT_GT(testing::ExpectSameRows(*source, *store()), 80);
  auto from = source->LoadCommitWalk("git:local:repo:/srv/a\tb");
  auto to = store()->LoadCommitWalk("git:local:repo:/srv/a\tb");
  ASSERT_TRUE(from.ok() && to.ok());
  EXPECT_EQ(to->shas, from->shas);
  EXPECT_EQ(to->parents, from->parents);
  auto summaries = store()->RepoSummaries();
  ASSERT_TRUE(summaries.ok() && summaries->size() == 1);
  EXPECT_EQ(summaries->front().commits, 2);  // two of the four are unreachable
  EXPECT_EQ(summaries->front().unreachable_commits, 2);
}

TEST_P(StoreCopyTest, CopyRowsOfARowWithoutItsRepositoryOrCommitWritesNothing) {
  std::unique_ptr<Store> source = FilledSource();
  ASSERT_NE(source, nullptr);
  const model::TableSpec& files = model::SpecOf<model::CommitFile>();
  const model::TableSpec& commits = model::SpecOf<model::Commit>();
  Status s = store()->CopyRows(commits, AllRows(*source, commits));
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  EXPECT_NE(s.message().find("repository git:local:repo:/srv/a\tb"), std::string::npos)
      << s.ToString();
  EXPECT_NE(s.message().find("copy repos first"), std::string::npos) << s.ToString();
  s = store()->CopyRows(files, AllRows(*source, files));
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  EXPECT_NE(s.message().find("copy commits first"), std::string::npos) << s.ToString();
  for (const model::TableSpec* spec :
       {&model::SpecOf<model::Repo>(), &model::SpecOf<model::Commit>()}) {
    ASSERT_TRUE(store()->CopyRows(*spec, AllRows(*source, *spec)).ok());
  }
  std::vector<model::Row> rows = AllRows(*source, files);
  model::Row stray = rows.back();
  stray[1] = std::string(40, '9');  // a commit the destination does not hold
  rows.push_back(stray);
  s = store()->CopyRows(files, rows);
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  EXPECT_NE(s.message().find(std::string(40, '9')), std::string::npos) << s.ToString();
  auto count = store()->CountRows(files, {});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0) << "one transaction: the good rows were not kept either";
}

TEST_P(StoreCopyTest, AppendsAfterACopyTakeIdsPastTheCopiedOnes) {
  const model::TableSpec& audit = model::SpecOf<model::AuditEntry>();
  model::AuditEntry e;
  e.at = 1;
  e.actor = "cli:ann";
  e.action = "token.create";
  e.outcome = "ok";
  e.id = 5;
  std::vector<model::Row> rows = {model::ToRow(e)};
  e.id = 9;
  rows.push_back(model::ToRow(e));
  ASSERT_TRUE(store()->CopyRows(audit, rows).ok());
  model::RawPayload raw;
  raw.id = 7;
  raw.connection_id = raw.source = raw.scope = raw.entity = raw.url = raw.content_type = "x";
  raw.body = "{}";
  ASSERT_TRUE(store()->CopyRows(model::SpecOf<model::RawPayload>(), {model::ToRow(raw)}).ok());
  model::CollectionRun run;
  run.id = 3;
  run.connection_id = "git:local";
  run.scope = "r";
  run.status = "complete";
  ASSERT_TRUE(store()->CopyRows(model::SpecOf<model::CollectionRun>(), {model::ToRow(run)}).ok());
  ASSERT_TRUE(store()->AdvanceIdSequences().ok());

  auto id = store()->AppendRow(audit, model::ToRow(e));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 10);
  auto raw_id = store()->ArchiveRaw(raw);
  ASSERT_TRUE(raw_id.ok()) << raw_id.status().ToString();
  EXPECT_EQ(*raw_id, 8);
  auto run_id = store()->BeginRun(run);
  ASSERT_TRUE(run_id.ok()) << run_id.status().ToString();
  EXPECT_EQ(*run_id, 4);
  // Never backwards: copying a smaller id and advancing again keeps going up.
  e.id = 2;
  ASSERT_TRUE(store()->CopyRows(audit, {model::ToRow(e)}).ok());
  ASSERT_TRUE(store()->AdvanceIdSequences().ok());
  id = store()->AppendRow(audit, model::ToRow(e));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 11);
}

TEST_P(StoreCopyTest, DataTablesAreExactlyTheRegistrysTables) {
  // Every table the migrations create is one the registry lists, and so one
  // `sei migrate` copies: a migration adding a table the registry does not
  // know fails here (and sei migrate would refuse to run without it).
  auto tables = store()->DataTables();
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  std::set<std::string> registry;
  for (const model::TableSpec* spec : model::AllSpecs()) registry.insert(spec->table);
  EXPECT_EQ(std::set<std::string>(tables->begin(), tables->end()), registry);
  EXPECT_TRUE(std::is_sorted(tables->begin(), tables->end()));
  ASSERT_TRUE(ExecSql("CREATE TABLE handmade (id INTEGER)").ok());
  tables = store()->DataTables();
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(std::count(tables->begin(), tables->end(), "handmade"), 1);
}

SEI_INSTANTIATE_STORE_BACKENDS(StoreCopyTest);

}  // namespace
}  // namespace sei
