// MirrorGithubRepos on local origins (file:// clone URLs): each repository
// collected under its GitHub id, one failing reported by name without
// losing the ones after it, cancelling stops before the next.
#include "app/github_mirror.h"

#include <git2.h>
#include <gtest/gtest.h>

#include <atomic>

#include "model/git.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei::app {
namespace {

class LibGit2 : public ::testing::Environment {
 public:
  void SetUp() override { git_libgit2_init(); }
  void TearDown() override { git_libgit2_shutdown(); }
};
const auto* const kLibGit2 = ::testing::AddGlobalTestEnvironment(new LibGit2);

class GithubMirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    g_.data_dir = dir_.Sub("data");
    g_.config.jobs = 1;
  }
  // A GitHub repository row of github:acme whose clone URL is `location`.
  void AddRepo(const std::string& full_name, const std::string& location) {
    model::Repo r;
    r.id = "github:acme:repo:" + full_name;
    r.connection_id = "github:acme";
    r.name = full_name;
    r.location = location;
    r.default_branch = "main";
    ASSERT_TRUE(store_->UpsertRepo(r).ok());
  }
  // An origin with `commits` commits on main; its file:// URL.
  std::string Origin(const std::string& name, int commits) {
    const std::string path = dir_.Sub("origins/" + name + ".git");
    EXPECT_TRUE(testing::CreateLinearRepo(path, "main", commits, commits, true).ok());
    return "file://" + path;
  }
  int64_t CommitsOf(const std::string& repo_id) {
    ScanOptions o;
    o.where = {{"repo_id", repo_id}};
    auto n = store_->List<model::Commit>(o);
    return n.ok() ? static_cast<int64_t>(n->size()) : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  Globals g_;
};

TEST_F(GithubMirrorTest, OneFailingRepositoryIsReportedAndTheOthersAreCollected) {
  AddRepo("acme/api", Origin("api", 3));
  AddRepo("acme/gone", "file://" + dir_.Sub("origins/gone.git"));
  AddRepo("acme/web", Origin("web", 2));
  auto r = MirrorGithubRepos(g_, *store_, "github:acme",
                             {"acme/api", "acme/gone", "acme/web", "acme/unsynced"}, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->repos.size(), 4u);
  EXPECT_EQ(r->repos[0].commits_added, 3);
  EXPECT_TRUE(r->repos[0].error.empty()) << r->repos[0].error;
  EXPECT_NE(r->repos[1].error.find("cannot clone"), std::string::npos) << r->repos[1].error;
  EXPECT_EQ(r->repos[2].commits_added, 2);  // after the failure
  EXPECT_NE(r->repos[3].error.find("no clone URL"), std::string::npos) << r->repos[3].error;
  EXPECT_EQ(r->CommitsAdded(), 5);
  EXPECT_EQ(r->Failed(), 2);
  EXPECT_EQ(r->OneLine(), "2 repositories mirrored: 5 new commits (2 failed)");
  EXPECT_NE(r->Failures().find("acme/gone: cannot clone file://"), std::string::npos)
      << r->Failures();
  EXPECT_NE(r->Failures().find("; acme/unsynced: "), std::string::npos) << r->Failures();
  EXPECT_EQ(CommitsOf("github:acme:repo:acme/api"), 3);
  EXPECT_EQ(CommitsOf("github:acme:repo:acme/web"), 2);
  EXPECT_EQ(store_->List<model::CollectionRun>()->size(), 0u);  // the sync's run covers them

  auto again = MirrorGithubRepos(g_, *store_, "github:acme", {"acme/api", "acme/web"}, {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->CommitsAdded(), 0);
  EXPECT_EQ(again->OneLine(), "2 repositories mirrored: 0 new commits (2 up to date)");
}

TEST_F(GithubMirrorTest, CancellingStopsBeforeTheNextRepository) {
  AddRepo("acme/api", Origin("api", 2));
  std::atomic<bool> cancel{true};
  GithubMirrorOptions o;
  o.cancel = &cancel;
  auto r = MirrorGithubRepos(g_, *store_, "github:acme", {"acme/api"}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_NE(r.status().message().find("acme/api"), std::string::npos) << r.status().message();
  EXPECT_EQ(CommitsOf("github:acme:repo:acme/api"), 0);
}

}  // namespace
}  // namespace sei::app
