// Collection is resumable: a `sei collect git` killed at any moment (SIGKILL,
// no chance to clean up) leaves a consistent database, and the next run
// completes it to exactly what an uninterrupted run stores. SIGINT stops
// cleanly with exit code 130.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <thread>

#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using testing::RunCommand;
using testing::TempDir;

std::string Sei() { return testing::BinaryDir() + "/bin/sei"; }

std::string Sql(const std::string& db, const std::string& query);

// Starts `sei collect git repo` into `db`, sends `sig` after `delay` (or,
// with `wait_for_commits`, once commits are being stored), and returns the
// exit status (128 + signal when killed).
int CollectAndSignal(const std::string& db, const std::string& repo,
                     std::chrono::milliseconds delay, int sig, bool wait_for_commits = false) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(Sei().c_str(), "sei", "--db", db.c_str(), "--progress", "never", "collect", "git",
          "--jobs", "2", repo.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(delay);
  for (int i = 0; wait_for_commits && i < 3000; ++i) {
    auto r = RunCommand({"sqlite3", db, "SELECT count(*) FROM commits"});
    if (r.exit_code == 0 && r.out != "0\n") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Sql(const std::string& db, const std::string& query) {
  auto r = RunCommand({"sqlite3", db, query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// The invariants a crash must never break.
void ExpectConsistent(const std::string& db) {
  EXPECT_EQ(Sql(db, "PRAGMA integrity_check"), "ok\n");
  // Killed before the first migration committed: an empty database.
  if (Sql(db, "SELECT count(*) FROM sqlite_master WHERE name = 'commits'") == "0\n") return;
  // Parents-first: every stored commit's parents are stored.
  EXPECT_EQ(Sql(db,
                "SELECT count(*) FROM commit_parents p WHERE NOT EXISTS "
                "(SELECT 1 FROM commits c WHERE c.sha = p.parent_sha)"),
            "0\n");
  // Each commit is stored whole: its file rows match its files_changed.
  EXPECT_EQ(Sql(db,
                "SELECT count(*) FROM commits c WHERE files_changed != "
                "(SELECT count(*) FROM commit_files f WHERE f.commit_pk = c.pk)"),
            "0\n");
  EXPECT_EQ(Sql(db,
                "SELECT count(*) FROM commits c WHERE parent_count != "
                "(SELECT count(*) FROM commit_parents p WHERE p.commit_pk = c.pk)"),
            "0\n");
}

std::string Export(const std::string& db) {
  auto r = RunCommand({Sei(), "--db", db, "export", "commit-files", "--format", "tsv"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

class ResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = dir_.Sub("repo");
    ASSERT_TRUE(testing::BuildEdgeCaseRepo(repo_, true).ok());
    ASSERT_TRUE(testing::AppendLinearCommits(repo_, "main", 4000, 11).ok());
    reference_db_ = dir_.Sub("reference.db");
    auto r =
        RunCommand({Sei(), "--db", reference_db_, "--progress", "never", "collect", "git", repo_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  TempDir dir_;
  std::string repo_;
  std::string reference_db_;
};

TEST_F(ResumeTest, KilledAtAnyMomentThenResumedEqualsAnUninterruptedRun) {
  std::string db = dir_.Sub("killed.db");
  int kills = 0;
  for (int delay_ms : {15, 40, 80, 150, 250, 400, 600}) {
    int code = CollectAndSignal(db, repo_, std::chrono::milliseconds(delay_ms), SIGKILL);
    if (code == 128 + SIGKILL) ++kills;
    ExpectConsistent(db);
  }
  EXPECT_GE(kills, 2) << "the repository collected too fast to be interrupted";
  auto r = RunCommand({Sei(), "--db", db, "--progress", "never", "collect", "git", repo_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectConsistent(db);
  EXPECT_EQ(Export(db), Export(reference_db_));
  EXPECT_EQ(Sql(db, "SELECT count(*) FROM commits"),
            Sql(reference_db_, "SELECT count(*) FROM commits"));
  EXPECT_EQ(Sql(db, "SELECT count(*) FROM refs"), Sql(reference_db_, "SELECT count(*) FROM refs"));
}

TEST_F(ResumeTest, SigintStopsCleanlyWithExitCode130) {
  std::string db = dir_.Sub("interrupted.db");
  int code = CollectAndSignal(db, repo_, std::chrono::milliseconds(0), SIGINT, true);
  if (code == 0) GTEST_SKIP() << "collection finished before the signal";
  EXPECT_EQ(code, 130);
  ExpectConsistent(db);
  EXPECT_EQ(Sql(db, "SELECT status FROM collection_runs ORDER BY id DESC LIMIT 1"),
            "interrupted\n");
  auto r = RunCommand({Sei(), "--db", db, "--progress", "never", "collect", "git", repo_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Export(db), Export(reference_db_));
}

}  // namespace
}  // namespace sei
