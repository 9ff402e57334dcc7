// The git collector on a real repository into SQLite and into PostgreSQL:
// every table holds the same rows, cell for cell (the Store contract on both
// backends is src/store/store_test.cc; the collector's own cases run on both
// in git_collector_test.cc).
#include <git2.h>
#include <gtest/gtest.h>

#include <set>

#include "collectors/git/git_collector.h"
#include "model/registry.h"
#include "testing/repo_builder.h"
#include "testing/store_backends.h"

namespace sei::collectors {
namespace {

Result<GitCollectResult> CollectInto(Store* store, const sei::testing::TempDir& dir,
                                     const std::string& location) {
  GitCollectOptions o;
  o.data_dir = dir.Sub("data");
  o.jobs = 2;
  GitCollector collector(store, o);
  return collector.Collect(location);
}

// The edge-case repository (every case that breaks naive collectors), and
// then a force-push on top of it, collected into SQLite and into PostgreSQL:
// the same rows in every table but the instants the clock gives.
class GitCollectorParityTest : public sei::testing::StoreParityTest {};

TEST_F(GitCollectorParityTest, BothBackendsStoreTheSameRows) {
  const std::string repo = dir().Sub("edge");
  ASSERT_TRUE(sei::testing::BuildEdgeCaseRepo(repo).ok());
  for (Store* store : both()) {
    auto r = CollectInto(store, dir(), repo);
    ASSERT_TRUE(r.ok()) << store->Describe() << ": " << r.status().ToString();
    EXPECT_GT(r->commits_added, 10);
  }
  // A force-push: main loses its last two commits and gains another.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"checkout", "-q", "-B", "main", "HEAD~2"},
                                             {"commit", "-q", "--allow-empty", "-m", "forced"}}) {
    auto git =
        sei::testing::RunGit(repo, args, "",
                             {"GIT_AUTHOR_NAME=Ann", "GIT_AUTHOR_EMAIL=ann@example.com",
                              "GIT_COMMITTER_NAME=Ann", "GIT_COMMITTER_EMAIL=ann@example.com"});
    ASSERT_TRUE(git.ok()) << git.status().ToString();
  }
  for (Store* store : both()) {
    auto r = CollectInto(store, dir(), repo);
    ASSERT_TRUE(r.ok()) << store->Describe() << ": " << r.status().ToString();
  }
  const std::set<std::string> clock = {"repos.collected_at",         "sync_state.updated_at",
                                       "collection_runs.started_at", "collection_runs.finished_at",
                                       "commits.unreachable_since",  "refs.updated_at"};
  EXPECT_GT(sei::testing::ExpectSameRows(*sqlite(), *postgres(), clock), 100);
  auto unreachable =
      postgres()->CountRows(model::SpecOf<model::Commit>(), {.where = {{"reachable", int64_t{0}}}});
  ASSERT_TRUE(unreachable.ok());
  EXPECT_EQ(*unreachable, *sqlite()->CountRows(model::SpecOf<model::Commit>(),
                                               {.where = {{"reachable", int64_t{0}}}}));
}

}  // namespace
}  // namespace sei::collectors
