// `sei sync` mirrors each GitHub repository (the settings' `mirror`) and
// collects its history under the GitHub repository's id and connection:
// through the real binary against the fake GitHub (DevLake's raw rows of
// panjf2000/ants) whose clone_url points at a local origin served over
// smart HTTP behind the connection's token (tests/testing/fake_git_server.h).
// The commits, branches and tags are the origin's, a re-sync fetches only
// what is new, `sei link` matches a PR's merge sha to a mirrored commit,
// `mirror: false` skips the clone, and an unreachable clone URL fails the
// repository clearly while the API data stays.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "model/delivery.h"
#include "model/derived.h"
#include "model/git.h"
#include "model/meta.h"
#include "model/review.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fake_git_server.h"
#include "testing/fake_github.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;

const std::string kKeyEnv = "SEI_SECRET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const std::string kToken = "ghp_mirrortoken456";
const std::string kRepoId = "github:ants:repo:panjf2000/ants";

class GithubMirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared = testing::SharedFixturesDir();
    if (shared.empty()) GTEST_SKIP() << "../shared/fixtures not found";
    gh_ = std::make_unique<testing::FakeGithub>(shared + "/devlake-e2e/github/raw_tables");
    ASSERT_TRUE(gh_->ok());
    origin_ = dir_.Sub("origin/panjf2000/ants.git");
    // master (the fake's default branch) with 5 commits, a feature branch
    // two commits back with one of its own, a tag.
    ASSERT_TRUE(testing::CreateLinearRepo(origin_, "master", 5, 3, true).ok());
    ASSERT_TRUE(testing::RunGit(origin_, {"branch", "feature", "master~2"}).ok());
    ASSERT_TRUE(testing::AppendLinearCommits(origin_, "feature", 1, 4).ok());
    ASSERT_TRUE(testing::RunGit(origin_, {"tag", "v1", "master~1"}).ok());
    git_ = std::make_unique<testing::FakeGitServer>(dir_.Sub("origin"));
    ASSERT_TRUE(git_->started());
    git_->RequireBasicAuth("x-access-token", kToken);
  }
  testing::CommandResult Sei(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir_.Sub("sei.db"),
                                     "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path(), {kKeyEnv, "GH_TOKEN=" + kToken});
  }
  void Connect(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"connect",     "github",         "--name",     "ants",
                                     "--repo",      "panjf2000/ants", "--base-url", gh_->base_url(),
                                     "--token-env", "GH_TOKEN"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto c = Sei(args);
    ASSERT_EQ(c.exit_code, 0) << c.err;
  }
  std::unique_ptr<sqlite::SqliteStore> Store() {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  // The origin's commits (every branch and tag).
  std::set<std::string> OriginCommits() {
    std::set<std::string> out;
    std::string all = testing::GitOutput(origin_, {"rev-list", "--branches", "--tags"});
    size_t at = 0;
    while (at < all.size()) {
      size_t nl = all.find('\n', at);
      if (nl == std::string::npos) nl = all.size();
      if (nl > at) out.insert(all.substr(at, nl - at));
      at = nl + 1;
    }
    return out;
  }
  std::vector<model::Commit> Commits() {
    auto c = Store()->List<model::Commit>();
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : std::vector<model::Commit>{};
  }
  // A merged pull request of the raw data.
  int64_t MergedPr() {
    for (const std::string& s : gh_->Items("pull_requests")) {
      json j = json::parse(s);
      if (!j["merged_at"].is_null()) return j["number"].get<int64_t>();
    }
    return 0;
  }
  // Every file under the data directory (the mirrors), read whole.
  std::string DataDirText() {
    std::string all;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.Sub(".sei"))) {
      if (e.is_regular_file()) all += testing::ReadFile(e.path().string());
    }
    return all;
  }

  testing::TempDir dir_;
  std::string origin_;
  std::unique_ptr<testing::FakeGithub> gh_;
  std::unique_ptr<testing::FakeGitServer> git_;
};

TEST_F(GithubMirrorTest, CommitsArriveUnderTheGithubRepositoryAndLinkToItsPrs) {
  const int64_t pr = MergedPr();
  ASSERT_GT(pr, 0);
  const std::string merge_sha = testing::GitOutput(origin_, {"rev-parse", "master~1"});
  ASSERT_EQ(merge_sha.size(), 40u);
  gh_->SetMergeCommitSha(pr, merge_sha);
  gh_->SetCloneUrl(git_->Url("panjf2000/ants.git"));
  Connect();

  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("github:ants: 1 repositories mirrored: 6 new commits."), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("github:ants: linked "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kToken), std::string::npos);
  EXPECT_EQ(r.err.find(kToken), std::string::npos);

  // One repository row: GitHub's fields and the mirror's.
  auto store = Store();
  const auto repos = *store->List<model::Repo>();
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0].id, kRepoId);
  EXPECT_EQ(repos[0].connection_id, "github:ants");
  EXPECT_EQ(repos[0].name, "panjf2000/ants");
  EXPECT_EQ(repos[0].location, git_->Url("panjf2000/ants.git"));
  EXPECT_EQ(repos[0].default_branch, std::optional<std::string>("master"));
  EXPECT_TRUE(repos[0].created_at.has_value());
  ASSERT_TRUE(repos[0].mirror_path.has_value());
  EXPECT_EQ(repos[0].mirror_path->rfind(dir_.Sub(".sei/mirrors/"), 0), 0u) << *repos[0].mirror_path;
  EXPECT_TRUE(repos[0].collected_at.has_value());

  // The origin's commits, branches and tags, under the GitHub repository.
  const auto commits = Commits();
  std::set<std::string> shas;
  for (const auto& c : commits) {
    EXPECT_EQ(c.repo_id, kRepoId);
    shas.insert(c.sha);
  }
  EXPECT_EQ(shas, OriginCommits());
  EXPECT_EQ(commits.size(), shas.size());
  std::set<std::string> refs;
  auto stored_refs = store->LoadRefs(kRepoId);
  ASSERT_TRUE(stored_refs.ok());
  for (const auto& ref : *stored_refs) refs.insert(ref.name);
  EXPECT_EQ(refs,
            (std::set<std::string>{"refs/heads/feature", "refs/heads/master", "refs/tags/v1"}));
  auto state = store->GetSyncState("github:ants", kRepoId, "commits");
  ASSERT_TRUE(state.ok() && state->has_value());
  EXPECT_EQ((*state)->status, "complete");
  // The sync's run covers the mirror: no run of its own, the commits counted.
  const auto runs = *store->List<model::CollectionRun>();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].connection_id, "github:ants");
  EXPECT_EQ(runs[0].status, "complete");
  EXPECT_GT(runs[0].items_added, 6);

  // The token went in the Authorization header only, and is stored nowhere.
  const std::string basic = testing::FakeGitServer::BasicAuthorization("x-access-token", kToken);
  size_t authorized = 0;
  for (const auto& q : git_->requests()) {
    EXPECT_EQ(q.target.find(kToken), std::string::npos) << q.target;
    authorized += q.Header("authorization").value_or("") == basic;
  }
  EXPECT_GE(authorized, 2u);
  EXPECT_EQ(DataDirText().find(kToken), std::string::npos);

  // The sync ran the linker: the PR's merge sha matches the mirrored commit.
  ScanOptions of_commit;
  of_commit.where = {{"commit_sha", merge_sha}};
  const auto matches = *Store()->List<model::CommitPullRequest>(of_commit);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].repo_id, kRepoId);
  EXPECT_EQ(matches[0].pr_id, "github:ants:pr:panjf2000/ants/" + std::to_string(pr));
  EXPECT_EQ(matches[0].link_method, "merge-sha");

  // Nothing new: nothing added. Two new commits in the origin: those two.
  auto again = Sei({"sync"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("1 repositories mirrored: 0 new commits (1 up to date)"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(Commits().size(), shas.size());
  ASSERT_TRUE(testing::AppendLinearCommits(origin_, "master", 2, 9).ok());
  auto more = Sei({"sync"});
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.out.find("1 repositories mirrored: 2 new commits."), std::string::npos)
      << more.out;
  std::set<std::string> after;
  for (const auto& c : Commits()) after.insert(c.sha);
  EXPECT_EQ(after, OriginCommits());
  EXPECT_EQ(Commits().size(), shas.size() + 2);
  // The syncs' repository rows kept the mirror's fields.
  const auto repo = Store()->FindRepo(kRepoId);
  ASSERT_TRUE(repo.ok() && repo->has_value());
  EXPECT_EQ((*repo)->mirror_path, repos[0].mirror_path);
  EXPECT_TRUE((*repo)->collected_at.has_value());
  EXPECT_EQ((*repo)->name, "panjf2000/ants");
}

TEST_F(GithubMirrorTest, MirrorFalseClonesNothing) {
  gh_->SetCloneUrl(git_->Url("panjf2000/ants.git"));
  Connect({"--no-mirror"});
  auto r = Sei({"sync"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(r.out.find("mirrored"), std::string::npos) << r.out;
  EXPECT_TRUE(git_->requests().empty());
  EXPECT_TRUE(Commits().empty());
  const auto repo = Store()->FindRepo(kRepoId);
  ASSERT_TRUE(repo.ok() && repo->has_value());
  EXPECT_FALSE((*repo)->mirror_path.has_value());
  EXPECT_FALSE(Store()->List<model::PullRequest>()->empty());
}

TEST_F(GithubMirrorTest, AnUnreachableCloneUrlFailsThatRepositoryAndKeepsTheApiData) {
  const std::string url = git_->Url("panjf2000/missing.git");
  gh_->SetCloneUrl(url);
  Connect();
  auto r = Sei({"sync"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("github:ants: 1 of 1 repositories could not be mirrored"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("panjf2000/ants: cannot clone " + url), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kToken), std::string::npos);
  // The API data stays; no commits, no half-made mirror.
  EXPECT_EQ(Store()->List<model::PullRequest>()->size(), gh_->Items("pull_requests").size());
  EXPECT_TRUE(Commits().empty());
  std::error_code ec;
  EXPECT_TRUE(!std::filesystem::exists(dir_.Sub(".sei/mirrors")) ||
              std::filesystem::is_empty(dir_.Sub(".sei/mirrors"), ec));
  const auto runs = *Store()->List<model::CollectionRun>();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "failed");
  ASSERT_TRUE(runs[0].error.has_value());
  EXPECT_NE(runs[0].error->find("panjf2000/ants: cannot clone"), std::string::npos)
      << *runs[0].error;
}

TEST_F(GithubMirrorTest, ARefusedTokenIsNamedAndNeverShown) {
  gh_->SetCloneUrl(git_->Url("panjf2000/ants.git"));
  git_->RequireBasicAuth("x-access-token", "a-different-token");
  Connect();
  auto r = Sei({"sync"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("refused the token"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kToken), std::string::npos);
  EXPECT_TRUE(Commits().empty());
}

}  // namespace
}  // namespace sei
