// `sei link` as a user meets it: on a collected repository with deployments
// and an incident, the summary in words and in JSON, an idempotent re-run,
// and one-line errors for a missing database and a bad flag.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/delivery.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;

CommandResult RunSei(const TempDir& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir.Sub("sei.db"),
                                   "--progress", "never"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, dir.path());
}

// Collects the edge-case repository and adds two production deployments of
// its newest commit's first parent and of the newest commit, and an incident.
void Prepare(const TempDir& dir) {
  const std::string repo = dir.Sub("repo");
  ASSERT_TRUE(testing::BuildEdgeCaseRepo(repo).ok());
  auto collected = RunSei(dir, {"collect", "git", repo});
  ASSERT_EQ(collected.exit_code, 0) << collected.err;
  auto store = sqlite::SqliteStore::Open(dir.Sub("sei.db"));
  ASSERT_TRUE(store.ok());
  auto repos = (*store)->List<model::Repo>();
  ASSERT_TRUE(repos.ok() && repos->size() == 1);
  const std::string repo_id = (*repos)[0].id;
  auto head = RunCommand({"git", "-C", repo, "rev-parse", "HEAD", "HEAD~1"});
  ASSERT_EQ(head.exit_code, 0);
  const std::string tip = head.out.substr(0, 40), before = head.out.substr(41, 40);
  std::vector<model::Deployment> deps(2);
  for (int i = 0; i < 2; ++i) {
    deps[i].id = "push:1:deployment:" + std::to_string(i + 1);
    deps[i].connection_id = "push:1";
    deps[i].repo_id = repo_id;
    deps[i].service = "api";
    deps[i].environment = "production";
    deps[i].environment_type = "production";
    deps[i].commit_sha = i == 0 ? before : tip;
    deps[i].result = "success";
    deps[i].finished_at = 2000000000 + i * 3600;
  }
  ASSERT_TRUE((*store)->Upsert(deps).ok());
  model::Incident inc;
  inc.id = "pd:1:incident:9";
  inc.connection_id = "pd:1";
  inc.service = "api";
  inc.title = "errors";
  inc.status = "resolved";
  inc.created_at = 2000000000 + 2 * 3600;
  ASSERT_TRUE((*store)->Upsert(std::vector<model::Incident>{inc}).ok());
}

TEST(LinkCliTest, SummarisesWhatItLinked) {
  TempDir dir;
  Prepare(dir);
  auto text = RunSei(dir, {"link"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("2 of 2 successful deployments are linked"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Incidents: 1 of 1 linked"), std::string::npos) << text.out;

  auto json = RunSei(dir, {"link", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["deployments"]["total"], 2);
  EXPECT_EQ(j["deployments"]["by_method"]["graph"], 1);
  EXPECT_EQ(j["deployments"]["by_method"]["first-bounded"], 1);
  EXPECT_EQ(j["incidents"]["linked_by_method"]["service-window"], 1);
  EXPECT_EQ(j["incidents"]["unlinked"], 0);
  // The re-run found the same: the second deployment shipped what HEAD adds.
  auto again = RunSei(dir, {"link", "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(again.out)["commits"], j["commits"]);
  auto rows = RunSei(dir, {"export", "deployment-links", "--format", "jsonl"});
  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_NE(rows.out.find("\"prev_deployment_id\":\"push:1:deployment:1\""), std::string::npos)
      << rows.out;
}

TEST(LinkCliTest, OneLineErrors) {
  TempDir dir;
  auto missing = RunSei(dir, {"link"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no database at"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
  Prepare(dir);
  auto bad = RunSei(dir, {"link", "--history-start", "yesterday-ish"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--history-start"), std::string::npos) << bad.err;
  auto usage = RunSei(dir, {"link", "--mode", "fourkeys"});
  EXPECT_EQ(usage.exit_code, 2) << usage.err;
}

}  // namespace
}  // namespace sei
