// `sei connect github` + `sei sync` through the real binary against a fake
// GitHub (tests/testing/fake_github.h) replaying DevLake's raw rows of
// panjf2000/ants with real Link paging: the synced rows equal the raw data,
// a re-run is idempotent and incremental, and faults (502 bursts, a
// malformed page, a rate limit) end in the right rows or a clear error
// from which the next run completes.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "common/time.h"
#include "model/access.h"
#include "model/delivery.h"
#include "model/derived.h"
#include "model/meta.h"
#include "model/org.h"
#include "model/review.h"
#include "model/work.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fake_git_server.h"
#include "testing/fake_github.h"
#include "testing/repo_builder.h"
#include "testing/sei_server.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;

const std::string kKeyEnv = "SEI_SECRET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class GithubSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared = testing::SharedFixturesDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/fixtures not found";
    gh_ = std::make_unique<testing::FakeGithub>(shared + "/devlake-e2e/github/raw_tables");
    ASSERT_TRUE(gh_->ok());
    // The repository's clone URL: a local origin over smart HTTP, so every
    // sync also mirrors it without the network (github_mirror_test.cc
    // checks what the mirror stores).
    ASSERT_TRUE(
        testing::CreateLinearRepo(dir_.Sub("origin/panjf2000/ants.git"), "master", 3, 1, true)
            .ok());
    git_ = std::make_unique<testing::FakeGitServer>(dir_.Sub("origin"));
    gh_->SetCloneUrl(git_->Url("panjf2000/ants.git"));
    auto c = Sei({"connect", "github", "--name", "ants", "--repo", "panjf2000/ants", "--base-url",
                  gh_->base_url(), "--token-env", "GH_TOKEN"});
    ASSERT_EQ(c.exit_code, 0) << c.err;
  }
  testing::CommandResult Sei(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir_.Sub("sei.db"),
                                     "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path(), {kKeyEnv, "GH_TOKEN=ghp_faketoken123"});
  }
  std::unique_ptr<sqlite::SqliteStore> Store() {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  // The raw items of `table`, parsed.
  std::vector<json> Raw(const std::string& table) {
    std::vector<json> out;
    for (const auto& s : gh_->Items(table)) out.push_back(json::parse(s));
    return out;
  }
  size_t Requests(const std::string& part, size_t from = 0) {
    size_t n = 0;
    const auto all = gh_->requests();
    for (size_t i = from; i < all.size(); ++i) n += all[i].target.find(part) != std::string::npos;
    return n;
  }
  // The stored rows match DevLake's raw rows of connection 1.
  void ExpectRowsEqualRawData() {
    auto store = Store();
    const auto prs = *store->List<model::PullRequest>();
    const auto raw_prs = Raw("pull_requests");
    ASSERT_EQ(prs.size(), raw_prs.size());
    std::set<int64_t> merged;
    for (const auto& p : raw_prs) {
      if (!p["merged_at"].is_null()) merged.insert(p["number"].get<int64_t>());
    }
    for (const auto& p : prs) {
      EXPECT_EQ(p.state == "merged", merged.count(p.number) > 0) << p.id;
      if (p.state == "merged") {
        EXPECT_TRUE(p.merge_sha.has_value()) << p.id;
      }
    }
    EXPECT_EQ(store->List<model::PrReview>()->size(), Raw("pull_request_reviews").size());
    std::set<std::pair<int64_t, std::string>> commits;
    for (size_t i = 0; i < gh_->Items("pull_request_commits").size(); ++i) {
      const int64_t number =
          json::parse(gh_->Inputs("pull_request_commits")[i])["Number"].get<int64_t>();
      const std::string sha =
          json::parse(gh_->Items("pull_request_commits")[i])["sha"].get<std::string>();
      commits.insert(std::make_pair(number, sha));
    }
    EXPECT_EQ(store->List<model::PrCommit>()->size(), commits.size());
    EXPECT_EQ(store->List<model::CiPipeline>()->size(), Raw("runs").size());  // with the made ones
    EXPECT_EQ(store->List<model::CiJob>()->size(), Raw("jobs").size());
    // Comments: every review comment; conversation comments of PRs (those
    // on issues are not PR comments). Issues: those that are not PRs.
    std::set<int64_t> pr_numbers;
    for (const auto& p : prs) pr_numbers.insert(p.number);
    size_t on_prs = 0;
    for (const auto& c : Raw("comments")) {
      const std::string url = c["issue_url"].get<std::string>();
      on_prs += pr_numbers.count(std::stoll(url.substr(url.rfind('/') + 1)));
    }
    size_t review = 0, issue = 0;
    const auto comments = *store->List<model::PrComment>();
    for (const auto& c : comments) {
      review += c.kind == "review";
      issue += c.kind == "issue";
    }
    EXPECT_EQ(review, Raw("pull_request_review_comments").size());
    EXPECT_EQ(issue, on_prs);
    EXPECT_GT(on_prs, 0u);
    size_t issues = 0;
    for (const auto& i : Raw("issues")) issues += !i.contains("pull_request");
    EXPECT_EQ(store->List<model::Issue>()->size(), issues);
    EXPECT_GT(issues, 0u);
    ExpectReleasesAndDeployments(*store);
  }

  // Releases as served, field by field; deployments with their latest
  // status (the first has more statuses than a page).
  void ExpectReleasesAndDeployments(sei::Store& store) {
    const auto releases = *store.List<model::Release>();
    const auto served = gh_->Releases();
    ASSERT_EQ(releases.size(), served.size());
    EXPECT_GT(served.size(), 20u);  // more than a page
    std::map<std::string, model::Release> by_id;
    for (const auto& r : releases) by_id[r.id] = r;
    size_t drafts = 0, unnamed = 0;
    for (const std::string& text : served) {
      const json want = json::parse(text);
      const std::string id = "github:ants:release:" + std::to_string(want["id"].get<int64_t>());
      ASSERT_EQ(by_id.count(id), 1u) << id;
      const model::Release& r = by_id[id];
      EXPECT_EQ(r.repo_id, "github:ants:repo:panjf2000/ants");
      EXPECT_EQ(r.tag_name, want["tag_name"]);
      EXPECT_EQ(r.target, want["target_commitish"]);
      EXPECT_EQ(r.draft, want["draft"].get<bool>());
      EXPECT_EQ(r.prerelease, want["prerelease"].get<bool>());
      EXPECT_EQ(r.created_at, Seconds(want["created_at"]));
      EXPECT_EQ(r.published_at.has_value(), !want["published_at"].is_null()) << id;
      if (r.published_at) {
        EXPECT_EQ(*r.published_at, Seconds(want["published_at"]));
      }
      const std::string name = want["name"].is_string() ? want["name"].get<std::string>() : "";
      EXPECT_EQ(r.name.value_or(""), name) << id;
      EXPECT_EQ(r.author_account_id,
                "github:ants:account:" + std::to_string(want["author"]["id"].get<int64_t>()));
      EXPECT_EQ(r.url, want["html_url"]);
      drafts += r.draft;
      unnamed += !r.name.has_value();
    }
    size_t served_drafts = 0;
    for (const std::string& text : served) served_drafts += json::parse(text)["draft"].get<bool>();
    EXPECT_EQ(drafts, served_drafts);
    EXPECT_GT(unnamed, 1u);
    // GitHub's deployments (the linker makes more from the CI runs).
    std::vector<model::Deployment> deployments;
    const auto all_deployments = *store.List<model::Deployment>();
    for (const auto& d : all_deployments) {
      if (d.id.rfind("github:ants:deployment:", 0) == 0) deployments.push_back(d);
    }
    ASSERT_EQ(deployments.size(), gh_->Deployments().size());
    for (const std::string& text : gh_->Deployments()) {
      const json d = json::parse(text);
      const int64_t id = d["id"].get<int64_t>();
      json latest;
      for (const std::string& st : gh_->DeploymentStatuses(id)) {
        const json s = json::parse(st);
        if (latest.is_null() || Seconds(s["created_at"]) > Seconds(latest["created_at"])) {
          latest = s;
        }
      }
      bool found = false;
      for (const auto& dep : deployments) {
        if (dep.id != "github:ants:deployment:" + std::to_string(id)) continue;
        found = true;
        EXPECT_EQ(dep.result, latest["state"].get<std::string>()) << dep.id;
        EXPECT_EQ(dep.finished_at, Seconds(latest["created_at"])) << dep.id;
        EXPECT_EQ(dep.commit_sha, d["sha"]);
      }
      EXPECT_TRUE(found) << id;
    }
  }

  // Every row a GitHub sync writes, as text, table by table (sorted).
  std::map<std::string, std::vector<std::string>> Snapshot() {
    auto store = Store();
    std::map<std::string, std::vector<std::string>> out;
    for (const model::TableSpec* spec :
         {&model::SpecOf<model::Repo>(), &model::SpecOf<model::Account>(),
          &model::SpecOf<model::PullRequest>(), &model::SpecOf<model::PrCommit>(),
          &model::SpecOf<model::PrReview>(), &model::SpecOf<model::PrComment>(),
          &model::SpecOf<model::Board>(), &model::SpecOf<model::Issue>(),
          &model::SpecOf<model::CiPipeline>(), &model::SpecOf<model::CiJob>(),
          &model::SpecOf<model::Deployment>(), &model::SpecOf<model::Release>()}) {
      std::vector<std::string>& rows = out[spec->table];
      EXPECT_TRUE(store
                      ->ScanRows(*spec, {},
                                 [&](const model::Row& row) {
                                   std::string line;
                                   for (const auto& v : row) {
                                     line += model::ValueToString(v) + "\x1f";
                                   }
                                   rows.push_back(std::move(line));
                                   return Status::Ok();
                                 })
                      .ok());
      std::sort(rows.begin(), rows.end());
    }
    return out;
  }
  // The rows only one of `want` and `got` has (the first few), "" when equal.
  static std::string Differences(const std::vector<std::string>& want,
                                 const std::vector<std::string>& got) {
    std::vector<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                        std::back_inserter(missing));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(),
                        std::back_inserter(extra));
    std::string out;
    for (size_t i = 0; i < missing.size() && i < 3; ++i) out += "missing: " + missing[i] + "\n";
    for (size_t i = 0; i < extra.size() && i < 3; ++i) out += "extra:   " + extra[i] + "\n";
    if (!out.empty()) {
      out +=
          std::to_string(missing.size()) + " missing, " + std::to_string(extra.size()) + " extra";
    }
    return out;
  }
  void Exec(const std::string& sql) {
    auto store = Store();
    Status s = store->db()->Exec(sql);
    ASSERT_TRUE(s.ok()) << sql << ": " << s.ToString();
  }

  std::string AdminToken() {
    auto t = Sei({"token", "create", "--role", "admin", "--name", "scheduler-test"});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    std::string tok = t.out;
    while (!tok.empty() && (tok.back() == '\n' || tok.back() == '\r')) tok.pop_back();
    return tok;
  }
  std::unique_ptr<testing::SeiServer> Serve() {
    auto server = std::make_unique<testing::SeiServer>(
        dir_.Sub("sei.db"), std::vector<std::string>{}, std::vector<std::string>{kKeyEnv});
    EXPECT_TRUE(server->started()) << server->startup_output();
    server->set_token(AdminToken());
    return server;
  }
  // GET the connection until `done` holds for its schedule (30 s at most).
  json WaitForSchedule(testing::SeiServer& server, const std::function<bool(const json&)>& done) {
    json schedule;
    for (int i = 0; i < 300; ++i) {
      auto r = server.Get("/api/v1/connections/github:ants");
      EXPECT_EQ(r.status, 200) << r.body;
      schedule = json::parse(r.body, nullptr, false)["schedule"];
      if (done(schedule)) return schedule;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "schedule never reached the state: " << schedule.dump();
    return schedule;
  }
  static testing::HttpReply Send(testing::SeiServer& server, const std::string& method,
                                 const std::string& target, const std::string& body) {
    return server.Send(method, target, body, {{"Content-Type", "application/json"}});
  }
  static bool LastRunIs(const json& s, const std::string& status, int64_t after_id = 0) {
    return s.is_object() && s["last_run"].is_object() && s["last_run"]["status"] == status &&
           s["last_run"]["id"].get<int64_t>() > after_id;
  }
  static int64_t Seconds(const json& t) {
    auto v = ParseTimestamp(t.get<std::string>());
    EXPECT_TRUE(v.ok()) << t;
    return v.ok() ? v->unix_seconds : 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::FakeGithub> gh_;
  std::unique_ptr<testing::FakeGitServer> git_;
};

TEST_F(GithubSyncTest, SyncsTheRawDataWithPagingAndAgainIncrementally) {
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("github:ants: 1 repositories"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("github:ants: 1 repositories mirrored: 3 new commits."), std::string::npos)
      << r.out;
  ExpectRowsEqualRawData();
  // 49 PRs at 20 a page: three pages followed through the Link headers.
  EXPECT_EQ(Requests("/pulls?"), 3u);
  EXPECT_GE(Requests("page=3"), 1u);
  for (const auto& q : gh_->requests()) {
    EXPECT_EQ(q.Header("authorization"), "Bearer ghp_faketoken123") << q.target;
  }
  EXPECT_EQ(r.out.find("ghp_faketoken123"), std::string::npos);
  EXPECT_EQ(r.err.find("ghp_faketoken123"), std::string::npos);
  // Every page was archived before it was converted, and marked converted
  // with what converting it again needs.
  const auto archived = *Store()->List<model::RawPayload>();
  EXPECT_GE(archived.size(), gh_->requests().size());
  for (const auto& raw : archived) {
    EXPECT_TRUE(raw.converted_at.has_value()) << raw.id << " " << raw.url;
    EXPECT_TRUE(raw.context.has_value()) << raw.id << " " << raw.url;
  }
  // 27 releases at 20 a page; the first deployment's 25 statuses too.
  EXPECT_EQ(Requests("/releases?"), 2u);
  EXPECT_EQ(Requests("/deployments/7700000/statuses?"), 2u);

  // Again: the same rows, and nothing older than the last sync is asked for.
  const size_t before = gh_->requests().size();
  auto again = Sei({"sync", "github:ants"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ExpectRowsEqualRawData();
  EXPECT_EQ(Requests("/reviews", before), 0u);    // no PR changed since
  EXPECT_EQ(Requests("/pulls?", before), 1u);     // the first page showed nothing newer
  EXPECT_EQ(Requests("/releases?", before), 2u);  // no `since`: every sync lists them all
  EXPECT_GE(Requests("since=", before), 1u);
  // Conditional: the unchanged first page of pulls was a 304 (runs were
  // listed in full the first time: their incremental URL is new).
  EXPECT_EQ(gh_->not_modified(), 1);
  EXPECT_NE(again.out.find("(1 unchanged)"), std::string::npos) << again.out;
  auto third = Sei({"sync"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(gh_->not_modified(), 3);  // pulls and runs
  EXPECT_NE(third.out.find("(2 unchanged)"), std::string::npos) << third.out;
  ExpectRowsEqualRawData();
  auto runs = *Store()->List<model::CollectionRun>();
  ASSERT_GE(runs.size(), 2u);
  EXPECT_EQ(runs.back().status, "complete");
}

TEST_F(GithubSyncTest, AReleaseDeletedOnGithubIsDeletedByTheNextSync) {
  ASSERT_EQ(Sei({"sync"}).exit_code, 0);
  const int64_t gone = json::parse(gh_->Releases()[3])["id"].get<int64_t>();
  gh_->RemoveRelease(gone);
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRowsEqualRawData();  // the releases as served now, without it
  EXPECT_FALSE(*FindOne<model::Release>(
      *Store(), "id", model::Value{"github:ants:release:" + std::to_string(gone)}));
}

// `sei reconvert` makes the synced rows again from the archive alone: after
// rows are deleted or altered, the same rows come back (every table, every
// column, lineage included), with no request to GitHub; deletes a sync
// made (a release gone) are made again; --entity converts only its pages.
TEST_F(GithubSyncTest, ReconvertMakesTheSyncedRowsAgainWithoutTheNetwork) {
  // Only what the API pages hold: no mirror (commits and git accounts come
  // from git) and no linker (deployments made from CI runs are derived).
  auto c = Sei({"connect", "github", "--name", "ants", "--repo", "panjf2000/ants", "--base-url",
                gh_->base_url(), "--token-env", "GH_TOKEN", "--no-mirror"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  ASSERT_EQ(Sei({"sync", "--no-link"}).exit_code, 0);
  ASSERT_EQ(Sei({"sync", "--no-link"}).exit_code, 0);  // incremental pages, 304s
  gh_->RemoveRelease(json::parse(gh_->Releases()[0])["id"].get<int64_t>());  // the draft
  ASSERT_EQ(Sei({"sync", "--no-link"}).exit_code, 0);  // a delete recorded with its page
  ExpectRowsEqualRawData();
  const auto synced = Snapshot();
  const size_t requests = gh_->requests().size();

  for (const char* table : {"pull_requests", "pr_commits", "pr_comments", "releases", "deployments",
                            "ci_jobs", "accounts"}) {
    Exec(std::string("DELETE FROM ") + table);
  }
  Exec("UPDATE issues SET title = 'altered', status = 'open'");
  Exec("UPDATE pr_reviews SET state = 'pending'");
  Exec("UPDATE raw_payloads SET converted_at = NULL");
  ASSERT_FALSE(Snapshot() == synced);

  auto r = Sei({"reconvert", "--no-link"});  // as the syncs: no linker
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("pages reconverted"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Linked "), std::string::npos) << r.out;
  EXPECT_EQ(gh_->requests().size(), requests) << "no request to GitHub";
  const auto again = Snapshot();
  for (const auto& [table, rows] : synced) {
    EXPECT_EQ(Differences(rows, again.at(table)), "") << table;
  }
  const auto reconverted = *Store()->List<model::RawPayload>();
  for (const auto& raw : reconverted) {
    EXPECT_TRUE(raw.converted_at.has_value()) << raw.id << " " << raw.url;
  }
  // Idempotent.
  ASSERT_EQ(Sei({"reconvert", "github:ants", "--no-link"}).exit_code, 0);
  EXPECT_TRUE(Snapshot() == synced);

  // --queue: a job for the workers, which `sei worker --drain` runs; a
  // second one while it is queued is refused; the schedule still follows
  // the last sync.
  Exec("DELETE FROM pull_requests");
  auto queued = Sei({"reconvert", "github:ants", "--entity", "pulls", "--no-link", "--queue"});
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  EXPECT_NE(queued.out.find("reconversion queued"), std::string::npos) << queued.out;
  EXPECT_TRUE(Store()->List<model::PullRequest>()->empty()) << "not converted here";
  auto twice = Sei({"reconvert", "github:ants", "--queue"});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_NE(twice.err.find("is running"), std::string::npos) << twice.err;
  auto drained = Sei({"worker", "--drain"});
  ASSERT_EQ(drained.exit_code, 0) << drained.err;
  EXPECT_NE(drained.err.find("1 job(s) run"), std::string::npos) << drained.err;
  EXPECT_TRUE(Snapshot() == synced);
  EXPECT_EQ(gh_->requests().size(), requests);
  ScanOptions reconverts;
  reconverts.where = {{"scope", model::Value{std::string("reconvert")}}};
  const auto runs = *Store()->List<model::CollectionRun>(reconverts);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "complete") << runs[0].error.value_or("");
  EXPECT_GT(runs[0].items_added, 0);
  const auto jobs = *Store()->List<model::Job>();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, "reconvert");
  EXPECT_EQ(jobs[0].state, "done");
  auto status = Sei({"status", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(status.out.find("\"reconvert\""), std::string::npos) << status.out;

  // --entity: only those pages.
  Exec("DELETE FROM releases");
  Exec("DELETE FROM pull_requests");
  auto only = Sei({"reconvert", "github:ants", "--entity", "releases", "--no-link"});
  ASSERT_EQ(only.exit_code, 0) << only.err;
  EXPECT_EQ(Differences(synced.at("releases"), Snapshot().at("releases")), "");
  EXPECT_TRUE(Store()->List<model::PullRequest>()->empty());
  auto scoped = Sei({"reconvert", "--scope", "panjf2000/ants", "--entity", "pulls", "--no-link"});
  ASSERT_EQ(scoped.exit_code, 0) << scoped.err;
  EXPECT_TRUE(Snapshot() == synced);
  EXPECT_EQ(gh_->requests().size(), requests);
  // Without --no-link the linker runs after, as after a sync that wrote rows.
  auto linked = Sei({"reconvert", "github:ants", "--entity", "deployments"});
  ASSERT_EQ(linked.exit_code, 0) << linked.err;
  EXPECT_NE(linked.out.find("Linked "), std::string::npos) << linked.out;
  ASSERT_FALSE(Store()->List<model::DeploymentLink>()->empty()) << "the linker's rows";

  // A bar on a terminal (or when asked), none in CI (stderr is no terminal here).
  auto run = [&](const std::string& progress) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir_.Sub("sei.db")};
    if (!progress.empty()) argv.insert(argv.end(), {"--progress", progress});
    argv.push_back("reconvert");
    return testing::RunCommand(argv, dir_.path(), {kKeyEnv});
  };
  auto shown = run("always");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.err.find("archived pages"), std::string::npos) << shown.err;
  auto quiet = run("");
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("archived pages"), std::string::npos) << quiet.err;
  // Pages archived by an older sei (no conversion record) are skipped, and said so.
  Exec("UPDATE raw_payloads SET context = NULL WHERE entity = 'releases'");
  auto older = Sei({"reconvert"});
  ASSERT_EQ(older.exit_code, 0) << older.err;
  EXPECT_NE(older.out.find("pages skipped: never converted"), std::string::npos) << older.out;

  // Clear errors.
  auto unknown = Sei({"reconvert", "github:nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no connection 'github:nope'"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("sei connections list"), std::string::npos) << unknown.err;
  auto bad = Sei({"reconvert", "--entity", "tags"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("unknown --entity 'tags'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("releases"), std::string::npos) << bad.err;
  auto help = Sei({"reconvert", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos) << help.out;
}

TEST_F(GithubSyncTest, ReleasesAreListedThroughTheApi) {
  ASSERT_EQ(Sei({"sync"}).exit_code, 0);
  auto server = Serve();
  const auto served = gh_->Releases();
  auto all = server->Get("/api/v1/releases?limit=500&sort=-at");
  ASSERT_EQ(all.status, 200) << all.body;
  const json page = json::parse(all.body);
  ASSERT_EQ(page["total"], served.size());
  ASSERT_EQ(page["items"].size(), served.size());
  int64_t last = INT64_MAX;
  for (const json& item : page["items"]) {
    const int64_t at =
        Seconds(item["published_at"].is_null() ? item["created_at"] : item["published_at"]);
    EXPECT_LE(at, last) << item.dump();
    last = at;
  }
  const json want = json::parse(served.back());  // the oldest
  const json& got = page["items"].back();
  EXPECT_EQ(got["id"], "github:ants:release:" + std::to_string(want["id"].get<int64_t>()));
  EXPECT_EQ(got["tag_name"], want["tag_name"]);
  EXPECT_EQ(got["target"], want["target_commitish"]);
  EXPECT_EQ(Seconds(got["published_at"]), Seconds(want["published_at"]));
  EXPECT_EQ(got["repo"]["id"], "github:ants:repo:panjf2000/ants") << got.dump();
  size_t drafts = 0, since_2021 = 0;
  for (const std::string& text : served) {
    const json r = json::parse(text);
    drafts += r["draft"].get<bool>();
    since_2021 += Seconds(r["published_at"].is_null() ? r["created_at"] : r["published_at"]) >=
                  Seconds(json("2021-01-01T00:00:00Z"));
  }
  auto count = [&](const std::string& query) {
    auto r = server->Get("/api/v1/releases?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return json::parse(r.body, nullptr, false)["total"];
  };
  EXPECT_EQ(count("draft=true"), drafts);
  EXPECT_EQ(count("draft=false"), served.size() - drafts);
  EXPECT_EQ(count("since=2021-01-01"), since_2021);
  EXPECT_EQ(count("repo=github:ants:repo:panjf2000/ants"), served.size());
  EXPECT_EQ(server->Get("/api/v1/releases?draft=maybe").status, 400);
  EXPECT_EQ(server->Stop(SIGTERM), 0);
}

TEST_F(GithubSyncTest, FaultsEndInAClearErrorAndTheNextRunCompletes) {
  testing::FakeResponse bad = testing::FakeResponse::Json(502, R"({"message":"Server Error"})");
  gh_->AddFault({"/pulls?", 2, bad});  // retried
  gh_->AddFault({"/issues?", 1, testing::FakeResponse::Json(200, "[{\"number\": 1,")});
  auto r = Sei({"sync"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("issues"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1"), std::string::npos) << r.err;  // names the URL
  // What was synced before the bad page stays, whole.
  EXPECT_EQ(Store()->List<model::PullRequest>()->size(), Raw("pull_requests").size());
  auto runs = *Store()->List<model::CollectionRun>();
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs.back().status, "failed");
  EXPECT_TRUE(runs.back().error.has_value());

  const size_t before = gh_->requests().size();
  auto again = Sei({"sync"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ExpectRowsEqualRawData();
  EXPECT_EQ(Requests("/reviews", before), 0u);  // the PRs were not fetched again
}

TEST_F(GithubSyncTest, ARateLimitIsWaitedOut) {
  const int64_t reset = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() +
                        2;
  testing::FakeResponse limited =
      testing::FakeResponse::Json(403, R"({"message":"API rate limit exceeded"})");
  limited.WithHeader("X-RateLimit-Remaining", "0");
  limited.WithHeader("X-RateLimit-Reset", std::to_string(reset));
  gh_->AddFault({"/actions/runs?", 1, limited});
  const auto t0 = std::chrono::steady_clock::now();
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  ExpectRowsEqualRawData();
}

TEST_F(GithubSyncTest, DeploymentsWithTheirStatusesAndAStoppedListingResumes) {
  const std::vector<std::string> served = gh_->Deployments();
  ASSERT_EQ(served.size(), 3u);
  // Page 2 of the deployments (one to a page) is malformed once.
  gh_->AddFault(
      {"/deployments?per_page=100&page=2", 1, testing::FakeResponse::Json(200, "[{\"id\": 1,")});
  auto r = Sei({"sync"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("deployments"), std::string::npos) << r.err;
  EXPECT_EQ(Store()->List<model::Deployment>()->size(), 1u);  // page 1's, committed (not linked)
  const size_t before = gh_->requests().size();
  auto again = Sei({"sync"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  // Resumed at page 2: page 1 was not asked again.
  EXPECT_EQ(Requests("/deployments?per_page=100&page=2", before), 1u);
  size_t first_pages = 0;
  const auto all = gh_->requests();
  for (size_t i = before; i < all.size(); ++i) {
    const std::string end = "/deployments?per_page=100";
    first_pages += all[i].target.size() >= end.size() &&
                   all[i].target.compare(all[i].target.size() - end.size(), end.size(), end) == 0;
  }
  EXPECT_EQ(first_pages, 0u);
  std::vector<model::Deployment> deployments;  // GitHub's (the linker makes more from CI runs)
  const auto stored = *Store()->List<model::Deployment>();
  for (const auto& d : stored) {
    if (d.id.rfind("github:ants:deployment:", 0) == 0) deployments.push_back(d);
  }
  ASSERT_EQ(deployments.size(), served.size());
  std::set<std::string> shas, want;
  for (const auto& d : deployments) {
    ASSERT_TRUE(d.repo_id.has_value()) << d.id;
    // The repository asked about, even where the deployment names a former one.
    EXPECT_EQ(*d.repo_id, "github:ants:repo:panjf2000/ants");
    EXPECT_EQ(d.environment, "production");
    shas.insert(d.commit_sha.value_or(""));
  }
  for (const auto& d : served) want.insert(json::parse(d)["sha"].get<std::string>());
  EXPECT_EQ(shas, want);
}

TEST_F(GithubSyncTest, ASecondaryRateLimitIsWaitedOut) {
  testing::FakeResponse limited = testing::FakeResponse::Json(
      403, R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes."})");
  limited.WithHeader("Retry-After", "1");
  gh_->AddFault({"/pulls?", 1, limited});
  const auto t0 = std::chrono::steady_clock::now();
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  ExpectRowsEqualRawData();
}

TEST_F(GithubSyncTest, ATruncatedBodyIsRetriedThenFailsClearlyAndTheNextRunCompletes) {
  // A page cut short (Content-Length says more) is a network error: sent
  // again; cut every time, the sync fails naming it, with what came before
  // stored.
  testing::FakeResponse cut = testing::FakeResponse::Json(200, "[" + std::string(4000, ' ') + "]");
  cut.truncate_at = 100;
  gh_->AddFault({"/issues?", 2, cut});
  auto r = Sei({"sync", "--retries", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("/issues?"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
  EXPECT_EQ(Requests("/issues?"), 2u);  // sent, then once again
  EXPECT_EQ(Store()->List<model::PullRequest>()->size(), Raw("pull_requests").size());
  EXPECT_EQ(Store()->List<model::CollectionRun>()->back().status, "failed");
  const size_t before = gh_->requests().size();
  auto again = Sei({"sync"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ExpectRowsEqualRawData();
  EXPECT_EQ(Requests("/reviews", before), 0u);
}

TEST_F(GithubSyncTest, ASlowResponsePastTheTimeoutIsRetried) {
  testing::FakeResponse slow = testing::FakeResponse::Json(200, "[]");
  slow.delay = std::chrono::milliseconds(3000);
  gh_->AddFault({"/actions/runs?", 1, slow});
  auto r = Sei({"sync", "--timeout", "0.5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  size_t first_pages = 0;
  for (const auto& q : gh_->requests()) {
    const std::string end = "/actions/runs?per_page=100";
    first_pages += q.target.size() >= end.size() &&
                   q.target.compare(q.target.size() - end.size(), end.size(), end) == 0;
  }
  EXPECT_EQ(first_pages, 2u) << "timed out, then sent again";
  ExpectRowsEqualRawData();  // the slow answer's empty page was never taken
}

TEST_F(GithubSyncTest, ServeSyncsOnTheIntervalAndWhenTriggered) {
  auto server = Serve();
  // Never synced: due at once.
  json s = WaitForSchedule(*server, [](const json& j) { return LastRunIs(j, "complete"); });
  ExpectRowsEqualRawData();
  EXPECT_EQ(s["interval_seconds"], 3600);
  EXPECT_FALSE(s["running"].get<bool>());
  EXPECT_TRUE(s["last_run"]["error"].is_null());
  EXPECT_GT(s["last_run"]["items_added"].get<int64_t>(), 49);
  // The next one is an interval after this one began; nothing runs before.
  EXPECT_EQ(Seconds(s["next_run_at"]), Seconds(s["last_run"]["started_at"]) + 3600);
  const int64_t first = s["last_run"]["id"].get<int64_t>();
  const size_t before = gh_->requests().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(6000));  // past a scheduler pass
  EXPECT_EQ(gh_->requests().size(), before);

  // Triggered: an incremental sync now, through the same runner.
  auto bad = Send(*server, "POST", "/api/v1/connections/github:ants/collect",
                  R"({"repos": ["panjf2000/ants"]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("config"), std::string::npos) << bad.body;
  auto t = Send(*server, "POST", "/api/v1/connections/github:ants/collect", "{}");
  ASSERT_EQ(t.status, 202) << t.body;
  const int64_t run = json::parse(t.body)["run_id"].get<int64_t>();
  EXPECT_GT(run, first);
  s = WaitForSchedule(*server, [&](const json& j) { return LastRunIs(j, "complete", first); });
  EXPECT_EQ(s["last_run"]["id"], run);
  EXPECT_EQ(s["last_run"]["scope"], "repos");
  EXPECT_EQ(Requests("/reviews", before), 0u);  // incremental: no PR changed
  EXPECT_EQ(Requests("/pulls?", before), 1u);
  auto status = server->Get("/api/v1/collection-runs/" + std::to_string(run));
  EXPECT_EQ(json::parse(status.body)["status"], "complete") << status.body;

  // full: everything listed again.
  const size_t before_full = gh_->requests().size();
  t = Send(*server, "POST", "/api/v1/connections/github:ants/collect", R"({"full": true})");
  ASSERT_EQ(t.status, 202) << t.body;
  s = WaitForSchedule(*server, [&](const json& j) { return LastRunIs(j, "complete", run); });
  EXPECT_EQ(Requests("/pulls?", before_full), 3u);
  ExpectRowsEqualRawData();
  EXPECT_EQ(server->Stop(SIGTERM), 0);

  // `sei status` says the same, from the store.
  auto st = Sei({"status"});
  ASSERT_EQ(st.exit_code, 0) << st.err;
  EXPECT_NE(st.out.find("github:ants"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("every 1h"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find(" complete, "), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("next run:  " + s["next_run_at"].get<std::string>()), std::string::npos)
      << st.out;
  auto js = Sei({"status", "--format", "json"});
  ASSERT_EQ(js.exit_code, 0) << js.err;
  json connections = json::parse(js.out)["connections"];
  ASSERT_EQ(connections.size(), 1u);
  EXPECT_EQ(connections[0]["next_run_at"], s["next_run_at"]);
  EXPECT_EQ(connections[0]["last_run"]["id"], s["last_run"]["id"]);
}

TEST_F(GithubSyncTest, AFailedScheduledSyncShowsItsErrorAndIsRetriedSoon) {
  gh_->AddFault({"/issues?", 1, testing::FakeResponse::Json(200, "[{\"number\": 1,")});
  auto server = Serve();
  json s = WaitForSchedule(*server, [](const json& j) { return LastRunIs(j, "failed"); });
  const std::string error = s["last_run"]["error"].get<std::string>();
  EXPECT_NE(error.find("issues"), std::string::npos) << error;
  EXPECT_EQ(error.find("ghp_faketoken123"), std::string::npos) << error;
  // Retried after min(interval, 5 minutes), not a whole interval later.
  EXPECT_EQ(Seconds(s["next_run_at"]), Seconds(s["last_run"]["finished_at"]) + 300);
  EXPECT_EQ(server->Stop(SIGTERM), 0);
  auto st = Sei({"status"});
  EXPECT_NE(st.out.find(" failed, "), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("error:     " + error), std::string::npos) << st.out;
  // The next sync (here by hand) completes from where the failed one stopped.
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectRowsEqualRawData();
}

TEST_F(GithubSyncTest, AConnectionDeclaredInTheConfigFileSyncsWithItsTokenFromTheEnvironment) {
  ASSERT_TRUE(testing::WriteFile(dir_.Sub("sei.yaml"),
                                 "sources:\n"
                                 "  github:\n"
                                 "    - name: fromfile\n"
                                 "      repos: [panjf2000/ants]\n"
                                 "      base_url: " +
                                     gh_->base_url() +
                                     "\n"
                                     "      token_env: FILE_TOKEN\n"
                                     "      interval_seconds: 600\n"));
  auto run = [&](std::vector<std::string> args, std::vector<std::string> env) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei",
                                     "--config",
                                     dir_.Sub("sei.yaml"),
                                     "--db",
                                     dir_.Sub("sei.db"),
                                     "--progress",
                                     "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    env.push_back(kKeyEnv);
    return testing::RunCommand(argv, dir_.path(), env);
  };
  auto missing = run({"sync", "github:fromfile"}, {});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("FILE_TOKEN"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("sei.yaml:3"), std::string::npos) << missing.err;
  const size_t before = gh_->requests().size();
  auto r = run({"sync", "github:fromfile"}, {"FILE_TOKEN=ghp_fromfile"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto all = gh_->requests();
  ASSERT_GT(all.size(), before);
  for (size_t i = before; i < all.size(); ++i) {
    EXPECT_EQ(all[i].Header("authorization"), "Bearer ghp_fromfile") << all[i].target;
  }
  auto store = Store();
  ScanOptions where;
  where.where = {{"connection_id", std::string("github:fromfile")}};
  EXPECT_EQ(store->List<model::PullRequest>(where)->size(), Raw("pull_requests").size());
  // The file's settings are the connection's: the schedule says so.
  auto st = run({"status", "--format", "json"}, {});
  ASSERT_EQ(st.exit_code, 0) << st.err;
  bool found = false;
  const json listed = json::parse(st.out);
  for (const json& c : listed["connections"]) {
    if (c["id"] != "github:fromfile") continue;
    found = true;
    EXPECT_EQ(c["interval_seconds"], 600);
    EXPECT_EQ(c["last_run"]["status"], "complete");
  }
  EXPECT_TRUE(found) << st.out;
  // Applied once: an unchanged file is not a change (one audit entry).
  ScanOptions target;
  target.where = {{"target", std::string("connection:github:fromfile")}};
  auto entries = *Store()->List<model::AuditEntry>(target);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, "config:" + dir_.Sub("sei.yaml"));
  EXPECT_EQ(entries[0].action, "connection.create");
}

TEST_F(GithubSyncTest, ConfigIsReadAndCheckedThroughTheApi) {
  auto server = Serve();
  auto bad = Send(*server, "PATCH", "/api/v1/connections/github:ants",
                  R"({"config": {"repos": ["not-a-repo"], "interval_seconds": 5}})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("repos[0]"), std::string::npos) << bad.body;
  auto off = Send(*server, "PATCH", "/api/v1/connections/github:ants",
                  R"({"config": {"repos": ["panjf2000/ants"], "interval_seconds": 0}})");
  ASSERT_EQ(off.status, 200) << off.body;
  json c = json::parse(off.body);
  EXPECT_EQ(c["config"]["interval_seconds"], 0);
  EXPECT_EQ(c["config"]["repos"], json::array({"panjf2000/ants"}));
  EXPECT_TRUE(c["schedule"]["next_run_at"].is_null()) << c.dump();
  EXPECT_NE(c["schedule"]["unscheduled"].get<std::string>().find("only when asked"),
            std::string::npos);
  auto other = Send(*server, "POST", "/api/v1/connections",
                    R"({"source": "gitlab", "name": "x", "config": {"org": "a"}})");
  EXPECT_EQ(other.status, 400) << other.body;
  EXPECT_EQ(server->Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace sei
