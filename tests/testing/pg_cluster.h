// PgCluster: a throwaway PostgreSQL 15 cluster for tests. Start() runs
// initdb into a fresh temporary directory (as the `postgres` user when the
// tests run as root: PostgreSQL refuses root), starts the server on a free
// loopback port with its socket inside that directory and durability off
// (fsync, full_page_writes: a test cluster never survives a crash), and the
// destructor stops it and deletes the directory.
//
// One cluster serves a whole test run: under ctest, the `pg_cluster_start`
// fixture (tests/tools/pg_test_cluster.cc) starts one before the tests that
// need it and `pg_cluster_stop` removes it after; a test binary run on its
// own starts its own on first use (Shared()) and stops it at exit. Each test
// takes a fresh database of its own (CreateDatabase).
//
// When PostgreSQL is not installed, tests fail with a clear message under
// CI=true (make test installs it) and are skipped otherwise: use
// SEI_PG_CLUSTER_OR_SKIP.
//
// Thread safety: Shared() and CreateDatabase() may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>

namespace sei::testing {

class PgCluster {
 public:
  // The one user that signs in with a password (scram-sha-256); every other
  // user is trusted on the loopback. Tests create it with the password they
  // want.
  static constexpr const char* kPasswordUser = "sei_password_user";

  // Starts a new cluster; nullptr with the reason in *why on failure.
  // `durable`: fsync and full_page_writes stay on, as on a real server (for
  // benchmarks, bench/pg.sh); tests turn them off.
  // `keep_dir`: the cluster lives in that directory instead of a temporary
  // one and outlives its stop (StopDir stops the server and keeps the data),
  // so that the next Start with the same directory finds its databases
  // again (bench/pg.sh keeps the scale demo organisation this way).
  static std::unique_ptr<PgCluster> Start(std::string* why, bool durable = false,
                                          const std::string& keep_dir = "");
  // The cluster of this test run (see above); nullptr with *why when none
  // can be had.
  static PgCluster* Shared(std::string* why);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // postgres://postgres@127.0.0.1:PORT/postgres, the maintenance database.
  std::string AdminUrl() const;
  // postgres://postgres@127.0.0.1:PORT/NAME
  std::string Url(const std::string& database) const;
  int port() const { return port_; }
  // The temporary directory holding data/, the log and the socket.
  const std::string& dir() const { return dir_; }

  // Creates an empty database with a name unique to this process and
  // returns its URL; "" with *why on failure.
  std::string CreateDatabase(std::string* why);
  // Drops a database CreateDatabase made (closing its connections).
  void DropDatabase(const std::string& url);

  // Leaves the server running when this object goes (the ctest fixture).
  void Release() { owned_ = false; }
  // Stops and deletes the cluster in `dir` (the fixture's cleanup); a kept
  // cluster (Start's keep_dir) is stopped and left in place.
  static bool StopDir(const std::string& dir, std::string* why);

 private:
  PgCluster(std::string dir, int port, bool owned)
      : dir_(std::move(dir)), port_(port), owned_(owned) {}
  std::string dir_;
  int port_ = 0;
  bool owned_ = true;
  std::mutex mu_;
  int next_db_ = 0;  // guarded by mu_
};

// True when a missing PostgreSQL must fail the tests (CI=true or 1).
bool PgRequired();

// Where the ctest fixture records its cluster: BinaryDir()/pg-test-cluster.
std::string PgFixtureStateDir();

}  // namespace sei::testing

// In a test (or SetUp): `var` becomes the shared cluster, or the test is
// skipped (failed under CI) saying why.
#define SEI_PG_CLUSTER_OR_SKIP(var)                                               \
  std::string var##_why;                                                          \
  ::sei::testing::PgCluster* var = ::sei::testing::PgCluster::Shared(&var##_why); \
  if (var == nullptr) {                                                           \
    if (::sei::testing::PgRequired()) {                                           \
      FAIL() << var##_why;                                                        \
    } else {                                                                      \
      GTEST_SKIP() << var##_why;                                                  \
    }                                                                             \
  }
