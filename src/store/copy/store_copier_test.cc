// StoreCopier on SQLite and PostgreSQL destinations (the source a filled
// SQLite store, and PostgreSQL back to SQLite): every table copied and
// verified; a destination with data, or a source table the copy does not
// know, refused before anything is written; an interrupted copy finished
// with `resume`, which refuses rows the source lacks; a changed row found
// by Verify with its table named.
#include "store/copy/store_copier.h"

#include <gtest/gtest.h>

#include "model/access.h"
#include "model/meta.h"
#include "model/org.h"
#include "model/registry.h"
#include "testing/store_backends.h"
#include "testing/store_fill.h"

namespace sei::store_copy {
namespace {

// Sets `cancel` once `after` batches were reported (a Ctrl-C mid-copy).
class CancellingProgress : public Progress {
 public:
  CancellingProgress(std::atomic<bool>* cancel, int after) : cancel_(cancel), after_(after) {}
  void Begin(std::string_view, int64_t) override {}
  void Update(int64_t) override {
    if (++updates_ >= after_) cancel_->store(true);
  }
  void End() override {}

 private:
  std::atomic<bool>* cancel_;
  int after_;
  int updates_ = 0;
};

class StoreCopierTest : public sei::testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto s = sqlite::SqliteStore::Open(dir_.Sub("source.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    source_ = std::move(s).value();
    testing::FillEveryTable(*source_);
  }

  Store& source() { return *source_; }
  Store& destination() { return *store(); }
  Status SourceSql(const std::string& sql) { return source_->db()->Exec(sql); }

  int64_t Count(Store& store, const model::TableSpec& spec) {
    auto n = store.CountRows(spec, {});
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }
  int64_t TotalRows(Store& store) {
    int64_t total = 0;
    for (const model::TableSpec* spec : CopyPlan()) total += Count(store, *spec);
    return total;
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> source_;
};

TEST_P(StoreCopierTest, CopiesEveryTableAndVerifiesIt) {
  ASSERT_TRUE(SourceSql("DELETE FROM audit_log WHERE id = 2").ok());
  StoreCopier copier(source(), destination(), {});
  auto result = copier.Copy();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->ok());
  EXPECT_TRUE(result->Mismatches().empty());
  ASSERT_EQ(result->tables.size(), model::AllSpecs().size());
  for (const TableResult& t : result->tables) {
    EXPECT_GT(t.source_rows, 0) << t.table;
    EXPECT_EQ(t.destination_rows, t.source_rows) << t.table;
    EXPECT_EQ(t.copied, t.source_rows) << t.table;
    EXPECT_EQ(t.destination_checksum, t.source_checksum) << t.table;
    EXPECT_FALSE(t.skipped);
  }
  EXPECT_EQ(result->rows_copied, TotalRows(source()));
  EXPECT_EQ(copier.rows_written(), result->rows_copied);
  testing::ExpectSameRows(source(), destination());
  // Appends go on past the copied ids (the audit log kept its gap at 2).
  model::AuditEntry e;
  e.actor = "cli:ann";
  e.action = "token.create";
  e.outcome = "ok";
  auto id = destination().AppendRow(model::SpecOf<model::AuditEntry>(), model::ToRow(e));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 4);
  // Small batches make the same copy.
  ASSERT_TRUE(ExecSql("DELETE FROM audit_log WHERE id = 4").ok());
  auto again = StoreCopier(source(), destination(), {}).Verify();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->ok()) << again->Mismatches().front();
}

TEST_P(StoreCopierTest, CopiesInSmallBatchesAndBackFromPostgres) {
  CopyOptions o;
  o.batch_rows = 2;
  auto result = StoreCopier(source(), destination(), o).Copy();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->ok());
  // And from there into a new SQLite file: the same rows again.
  auto back = sqlite::SqliteStore::Open(dir_.Sub("back.db"));
  ASSERT_TRUE(back.ok());
  auto returned = StoreCopier(destination(), **back, {}).Copy();
  ASSERT_TRUE(returned.ok()) << returned.status().ToString();
  EXPECT_TRUE(returned->ok());
  testing::ExpectSameRows(source(), **back);
}

TEST_P(StoreCopierTest, CopiesAndVerifiesWithSeveralJobs) {
  ASSERT_TRUE(SourceSql("DELETE FROM raw_payloads WHERE id = 3").ok());
  const std::string path = dir_.Sub("source.db");
  CopyOptions o;
  o.jobs = 3;
  o.batch_rows = 2;
  o.open_source = [path]() -> Result<std::unique_ptr<Store>> {
    SEI_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteStore> s, sqlite::SqliteStore::Open(path));
    return std::unique_ptr<Store>(std::move(s));
  };
  o.open_destination = [this] { return Open(); };
  auto result = StoreCopier(source(), destination(), o).Copy();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->rows_copied, TotalRows(source()));
  testing::ExpectSameRows(source(), destination());
  model::RawPayload raw;
  raw.connection_id = raw.source = raw.scope = raw.entity = raw.url = raw.content_type = "x";
  auto id = destination().ArchiveRaw(raw);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 3) << "past the largest copied id, 2";
  ASSERT_TRUE(ExecSql("UPDATE refs SET kind = 'other' WHERE name = 'refs/tags/v1.0'").ok());
  auto verified = StoreCopier(source(), destination(), o).Verify();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(
      verified->Mismatches(),
      (std::vector<std::string>{"refs (same 2 rows, checksums differ: a row's content differs)",
                                "raw_payloads (3 rows in the destination, 2 in the source)"}));
}

TEST_P(StoreCopierTest, RefusesADestinationThatHoldsDataBeforeWritingAnything) {
  model::Person p;
  p.id = "person:elsewhere";
  p.display_name = "Someone Else";
  ASSERT_TRUE(destination().Upsert(std::vector<model::Person>{p}).ok());
  StoreCopier copier(source(), destination(), {});
  auto result = copier.Copy();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  const std::string& m = result.status().message();
  EXPECT_NE(m.find("already holds data"), std::string::npos) << m;
  EXPECT_NE(m.find("people: 1 row"), std::string::npos) << m;
  EXPECT_NE(m.find(destination().Describe()), std::string::npos) << m;
  EXPECT_NE(m.find("--resume"), std::string::npos) << m;
  EXPECT_EQ(copier.rows_written(), 0);
  EXPECT_EQ(TotalRows(destination()), 1);
  // --resume does not take it either: that person is not in the source.
  CopyOptions o;
  o.resume = true;
  result = StoreCopier(source(), destination(), o).Copy();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("not a partial copy"), std::string::npos)
      << result.status().ToString();
  EXPECT_NE(result.status().message().find("people"), std::string::npos);
  EXPECT_EQ(TotalRows(destination()), 1);
}

TEST_P(StoreCopierTest, ResumeFinishesAnInterruptedCopy) {
  std::atomic<bool> cancel{false};
  CancellingProgress ctrl_c(&cancel, 12);
  CopyOptions o;
  o.batch_rows = 2;
  o.progress = &ctrl_c;
  o.cancel = &cancel;
  StoreCopier interrupted(source(), destination(), o);
  auto result = interrupted.Copy();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCancelled);
  EXPECT_NE(result.status().message().find("--resume"), std::string::npos);
  EXPECT_GT(interrupted.rows_written(), 0);
  EXPECT_LT(TotalRows(destination()), TotalRows(source()));
  // Without --resume the partial copy is data like any other.
  auto refused = StoreCopier(source(), destination(), {}).Copy();
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);

  CopyOptions resume;
  resume.resume = true;
  result = StoreCopier(source(), destination(), resume).Copy();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->ok());
  int skipped = 0;
  for (const TableResult& t : result->tables) skipped += t.skipped ? 1 : 0;
  EXPECT_GT(skipped, 0) << "the tables copied whole before the interruption";
  EXPECT_LT(result->rows_copied, TotalRows(source()));
  testing::ExpectSameRows(source(), destination());
  // A whole copy resumed again writes nothing.
  result = StoreCopier(source(), destination(), resume).Copy();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->rows_copied, 0);
}

TEST_P(StoreCopierTest, VerifyNamesTheTableThatDiffers) {
  ASSERT_TRUE(StoreCopier(source(), destination(), {}).Copy().ok());
  ASSERT_TRUE(
      ExecSql("UPDATE teams SET name = 'Renamed' WHERE id IN (SELECT min(id) FROM teams)").ok());
  ASSERT_TRUE(ExecSql("DELETE FROM commit_files WHERE idx = 1 AND commit_pk IN (SELECT "
                      "min(commit_pk) FROM commit_files)")
                  .ok());
  auto result = StoreCopier(source(), destination(), {}).Verify();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_FALSE(result->ok());
  std::vector<std::string> m = result->Mismatches();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0], "commit_files (7 rows in the destination, 8 in the source)");
  EXPECT_EQ(m[1], "teams (same 3 rows, checksums differ: a row's content differs)");
  EXPECT_EQ(result->rows_copied, 0);
}

TEST_P(StoreCopierTest, RefusesASourceTableItDoesNotKnow) {
  ASSERT_TRUE(SourceSql("CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT); "
                        "INSERT INTO future_things (what) VALUES ('kept')")
                  .ok());
  StoreCopier copier(source(), destination(), {});
  auto result = copier.Copy();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("future_things"), std::string::npos)
      << result.status().ToString();
  EXPECT_EQ(copier.rows_written(), 0);
  EXPECT_EQ(TotalRows(destination()), 0);
  EXPECT_EQ(CheckCoverage(source()).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckCoverage(destination()).ok());
}

SEI_INSTANTIATE_STORE_BACKENDS(StoreCopierTest);

}  // namespace
}  // namespace sei::store_copy
