// pg_test_cluster: the ctest fixture that gives a whole test run one
// PostgreSQL cluster (tests/testing/pg_cluster.h).
//
//   pg_test_cluster start STATE_DIR   starts a cluster, records it in STATE_DIR
//   pg_test_cluster start-durable STATE_DIR   the same with fsync on (bench/pg.sh)
//   pg_test_cluster start-durable STATE_DIR KEEP_DIR   the cluster lives in
//                                     KEEP_DIR, and stop keeps its data for
//                                     the next start (bench/pg.sh's scale store)
//   pg_test_cluster stop STATE_DIR    stops and deletes the recorded cluster
//
// Without PostgreSQL, `start` fails under CI=true and otherwise succeeds
// recording nothing (the tests then skip, saying why).
#include <filesystem>
#include <iostream>
#include <string>

#include "testing/pg_cluster.h"
#include "testing/test_util.h"

namespace {

using sei::testing::PgCluster;
using sei::testing::ReadFile;
using sei::testing::WriteFile;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

int Stop(const std::string& state) {
  const std::string dir = Trim(ReadFile(state + "/dir"));
  std::filesystem::remove(state + "/dir");
  std::filesystem::remove(state + "/port");
  if (dir.empty()) return 0;
  std::string why;
  if (!PgCluster::StopDir(dir, &why)) std::cerr << "pg_test_cluster: " << why << "\n";
  return 0;
}

int Start(const std::string& state, bool durable, const std::string& keep_dir) {
  Stop(state);  // a cluster a killed run left behind
  std::string why;
  std::unique_ptr<PgCluster> cluster = PgCluster::Start(&why, durable, keep_dir);
  if (cluster == nullptr) {
    std::cerr << "pg_test_cluster: " << why << "\n";
    return sei::testing::PgRequired() ? 1 : 0;
  }
  cluster->Release();
  WriteFile(cluster->dir() + "/owner.pid", "detached");
  if (!WriteFile(state + "/port", std::to_string(cluster->port())) ||
      !WriteFile(state + "/dir", cluster->dir())) {
    std::cerr << "pg_test_cluster: cannot write to " << state << "\n";
    PgCluster::StopDir(cluster->dir(), &why);
    return 1;
  }
  std::cout << "PostgreSQL test cluster at " << cluster->AdminUrl() << " (" << cluster->dir()
            << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc == 3 || argc == 4 ? argv[1] : "";
  if (command == "stop" && argc == 3) return Stop(argv[2]);
  if (command == "start" || command == "start-durable") {
    return Start(argv[2], command == "start-durable", argc == 4 ? argv[3] : "");
  }
  std::cerr << "usage: pg_test_cluster start|start-durable|stop STATE_DIR [KEEP_DIR]\n";
  return 2;
}
