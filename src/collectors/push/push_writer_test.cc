#include "collectors/push/push_writer.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "collectors/push/push_validator.h"
#include "fakes/fake_clock.h"
#include "metrics/core/settings.h"
#include "metrics/link/linker.h"
#include "model/derived.h"
#include "model/meta.h"
#include "model/org.h"
#include "testing/store_backends.h"
#include "testing/test_util.h"

namespace sei::collectors::push {
namespace {

constexpr int64_t kNow = 1769860800;  // 2026-01-31T12:00:00Z

class PushWriterTest : public sei::testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    writer_ = std::make_unique<PushWriter>(*store(), clock_);
  }

  PushItem Item(PushKind kind, const std::string& body, const std::string& conn = "ci") {
    auto v = validator_.Validate(kind, conn, body);
    EXPECT_TRUE(v.ok()) << v.ToStatus().ToString();
    return v.ok() ? std::move(v).value() : PushItem{};
  }
  PushItem Deployment(const std::string& id, const std::string& result = "success",
                      const std::string& commits = R"(["aaaaaaa", "bbbbbbb"])") {
    return Item(PushKind::kDeployment, R"({"id": ")" + id +
                                           R"(", "environment": "production", "repo": "api",
        "commit_sha": "bbbbbbb", "commits": )" +
                                           commits + R"(, "result": ")" + result +
                                           R"(", "started_at": "2026-01-31T11:00:00Z",
        "finished_at": "2026-01-31T11:10:00Z"})");
  }
  PushItem Incident(const std::string& id) {
    return Item(PushKind::kIncident, R"({"id": ")" + id + R"(", "title": "API down",
        "created_at": "2026-01-31T11:30:00Z", "deployment_id": "d1"})");
  }

  template <class T>
  std::vector<T> All() {
    auto r = store()->List<T>();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<T>{};
  }

  FakeClock clock_{kNow * 1000};
  PushValidator validator_{clock_};
  std::unique_ptr<PushWriter> writer_;
};

TEST_P(PushWriterTest, DeploymentIsStoredWithCommitsConnectionAndLineage) {
  ASSERT_TRUE(writer_->Apply({Deployment("d1")}).ok());
  const auto deps = All<model::Deployment>();
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].id, "push:ci:deployment:d1");
  EXPECT_EQ(deps[0].connection_id, "push:ci");
  EXPECT_EQ(deps[0].repo_id, "api");  // no stored repo: kept as given
  const auto raws = All<model::RawPayload>();
  ASSERT_EQ(raws.size(), 1u);
  EXPECT_EQ(deps[0].raw_id, raws[0].id);
  EXPECT_EQ(raws[0].source, "push");
  EXPECT_NE(raws[0].body.find("\"d1\""), std::string::npos);
  const auto commits = All<model::DeploymentCommit>();
  ASSERT_EQ(commits.size(), 2u);
  for (const auto& c : commits) {
    EXPECT_EQ(c.deployment_id, "push:ci:deployment:d1");
    EXPECT_EQ(c.link_method, "pushed");
  }
  const auto conns = All<model::Connection>();
  ASSERT_EQ(conns.size(), 1u);
  EXPECT_EQ(conns[0].id, "push:ci");
  EXPECT_EQ(conns[0].source, "push");
  EXPECT_EQ(conns[0].name, "ci");
}

TEST_P(PushWriterTest, RepoIsResolvedByIdOrName) {
  model::Repo repo;
  repo.id = "git:local:repo:/srv/api";
  repo.connection_id = "git:local";
  repo.name = "api";
  repo.location = "/srv/api";
  ASSERT_TRUE(store()->UpsertRepo(repo).ok());
  ASSERT_TRUE(writer_->Apply({Deployment("d1")}).ok());
  EXPECT_EQ(All<model::Deployment>().at(0).repo_id, repo.id);
  EXPECT_EQ(All<model::DeploymentCommit>().at(0).repo_id, repo.id);
}

TEST_P(PushWriterTest, RepushIsIdempotentAndAnUpdateReplaces) {
  ASSERT_TRUE(writer_->Apply({Deployment("d1")}).ok());
  ASSERT_TRUE(writer_->Apply({Deployment("d1")}).ok());
  EXPECT_EQ(All<model::Deployment>().size(), 1u);
  EXPECT_EQ(All<model::DeploymentCommit>().size(), 2u);
  EXPECT_EQ(All<model::Connection>().size(), 1u);
  // Updated: failed, and one commit fewer.
  ASSERT_TRUE(writer_->Apply({Deployment("d1", "failure", R"(["ccccccc"])")}).ok());
  const auto deps = All<model::Deployment>();
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].result, "failure");
  const auto commits = All<model::DeploymentCommit>();
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_EQ(commits[0].commit_sha, "ccccccc");
  // Each push is archived; the row points at the latest.
  const auto raws = All<model::RawPayload>();
  EXPECT_EQ(raws.size(), 3u);
  EXPECT_EQ(deps[0].raw_id, raws.back().id);
}

TEST_P(PushWriterTest, ConnectionsNamespaceIds) {
  ASSERT_TRUE(writer_
                  ->Apply({Deployment("d1"), Item(PushKind::kDeployment, R"({"id": "d1",
      "environment": "staging", "result": "success", "started_at": "2026-01-31T11:00:00Z"})",
                                                  "other")})
                  .ok());
  EXPECT_EQ(All<model::Deployment>().size(), 2u);
  EXPECT_EQ(All<model::Connection>().size(), 2u);
}

TEST_P(PushWriterTest, MixedBatchIsOneTransaction) {
  std::vector<PushItem> batch = {
      Deployment("d1"), Incident("i1"),
      Item(PushKind::kPullRequest, R"({"id": "p1", "repo": "api", "number": 1, "title": "t",
          "state": "open", "created_at": "2026-01-31T10:00:00Z"})"),
      Item(PushKind::kIssue, R"({"id": "T-1", "key": "T-1", "title": "t", "type": "task",
          "status": "Open", "status_category": "todo", "created_at": "2026-01-31T10:00:00Z"})")};
  ASSERT_TRUE(writer_->Apply(batch).ok());
  EXPECT_EQ(All<model::Deployment>().size(), 1u);
  EXPECT_EQ(All<model::Incident>().size(), 1u);
  EXPECT_EQ(All<model::PullRequest>().size(), 1u);
  EXPECT_EQ(All<model::Issue>().size(), 1u);
  EXPECT_EQ(All<model::RawPayload>().size(), 4u);
  EXPECT_EQ(All<model::Incident>().at(0).deployment_id, "push:ci:deployment:d1");
}

// The server validates before batching, so Apply sees valid items only; a
// store error on any item (here a trigger that aborts one insert) rolls the
// whole batch back: no row, no archive, no connection.
TEST_P(PushWriterTest, FailingItemRollsBackTheWholeBatch) {
  // A real store error on the third item: the database aborts its insert.
  const Status trigger =
      postgres() ? ExecSql(
                       "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "IF NEW.title = 'poison' THEN RAISE EXCEPTION 'poisoned'; END IF; "
                       "RETURN NEW; END $$; CREATE TRIGGER poison BEFORE INSERT ON incidents "
                       "FOR EACH ROW EXECUTE FUNCTION poison()")
                 : ExecSql(
                       "CREATE TRIGGER poison BEFORE INSERT ON incidents "
                       "WHEN NEW.title = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
  ASSERT_TRUE(trigger.ok()) << trigger.ToString();
  PushItem poisoned = Incident("i2");
  std::get<model::Incident>(poisoned.row).title = "poison";
  std::vector<PushItem> batch = {Deployment("d1"), Incident("i1"), poisoned};
  Status s = writer_->Apply(batch);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("poisoned"), std::string::npos) << s.ToString();
  EXPECT_TRUE(All<model::Deployment>().empty());
  EXPECT_TRUE(All<model::Incident>().empty());
  EXPECT_TRUE(All<model::DeploymentCommit>().empty());
  EXPECT_TRUE(All<model::RawPayload>().empty());
  EXPECT_TRUE(All<model::Connection>().empty());
  // The writer is still usable, and records the connection on the next batch.
  ASSERT_TRUE(writer_->Apply({Deployment("d1")}).ok());
  EXPECT_EQ(All<model::Connection>().size(), 1u);
}

TEST_P(PushWriterTest, DeleteRemovesTheRowAndItsDependents) {
  ASSERT_TRUE(writer_->Apply({Deployment("d1"), Deployment("d2")}).ok());
  ASSERT_TRUE(store()
                  ->Upsert(std::vector<model::DeploymentLink>{
                      {"push:ci:deployment:d1", std::nullopt, 2, 0, false, "explicit"}})
                  .ok());
  ASSERT_TRUE(writer_->Delete(PushKind::kDeployment, "push:ci", "d1").ok());
  const auto deps = All<model::Deployment>();
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].id, "push:ci:deployment:d2");
  for (const auto& c : All<model::DeploymentCommit>()) {
    EXPECT_EQ(c.deployment_id, "push:ci:deployment:d2");
  }
  EXPECT_EQ(All<model::DeploymentCommit>().size(), 2u);
  EXPECT_TRUE(All<model::DeploymentLink>().empty());
  Status again = writer_->Delete(PushKind::kDeployment, "push:ci", "d1");
  EXPECT_EQ(again.code(), StatusCode::kNotFound) << again.ToString();
  ASSERT_TRUE(writer_->Apply({Incident("i1")}).ok());
  ASSERT_TRUE(writer_->Delete(PushKind::kIncident, "push:ci", "i1").ok());
  EXPECT_TRUE(All<model::Incident>().empty());
}

TEST_P(PushWriterTest, ResolveIncident) {
  ASSERT_TRUE(writer_->Apply({Incident("i1")}).ok());
  ASSERT_TRUE(writer_->ResolveIncident("push:ci", "i1", kNow).ok());
  const auto incs = All<model::Incident>();
  ASSERT_EQ(incs.size(), 1u);
  EXPECT_EQ(incs[0].status, "resolved");
  EXPECT_EQ(incs[0].resolved_at, kNow);
  EXPECT_EQ(writer_->ResolveIncident("push:ci", "nope", kNow).code(), StatusCode::kNotFound);
  EXPECT_EQ(writer_->ResolveIncident("push:other", "i1", kNow).code(), StatusCode::kNotFound);
  // Created 11:30Z; resolving at 11:00Z would be a negative time to restore.
  EXPECT_EQ(writer_->ResolveIncident("push:ci", "i1", kNow - 3600).code(),
            StatusCode::kInvalidArgument);
}

// Pushed commits survive the linker and are what the deployment shipped.
TEST_P(PushWriterTest, LinkerHonoursPushedCommits) {
  ASSERT_TRUE(writer_->Apply({Deployment("d1")}).ok());
  metrics::MetricsSettings settings;
  auto run = metrics::link::Linker(*store(), settings).Run();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const auto commits = All<model::DeploymentCommit>();
  ASSERT_EQ(commits.size(), 2u);
  for (const auto& c : commits) EXPECT_EQ(c.link_method, "pushed");
  const auto links = All<model::DeploymentLink>();
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].link_method, "explicit");
  EXPECT_EQ(links[0].commits_shipped, 2);
}

SEI_INSTANTIATE_STORE_BACKENDS(PushWriterTest);

}  // namespace
}  // namespace sei::collectors::push
