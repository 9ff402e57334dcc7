#include "testing/pg_cluster.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "testing/test_util.h"

namespace sei::testing {

namespace fs = std::filesystem;

namespace {

constexpr char kOwnerFile[] = "owner.pid";  // the owning process, or "detached"
constexpr char kKeptFile[] = "kept";        // present in a kept cluster's directory

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// initdb, pg_ctl and postgres: Debian's versioned directory, else pg_config's.
std::string FindBinDir() {
  for (const char* dir : {"/usr/lib/postgresql/15/bin", "/usr/local/pgsql/bin"}) {
    if (fs::exists(fs::path(dir) / "initdb") && fs::exists(fs::path(dir) / "pg_ctl")) return dir;
  }
  CommandResult r = RunCommand({"pg_config", "--bindir"});
  std::string dir = Trim(r.out);
  if (r.exit_code == 0 && fs::exists(fs::path(dir) / "initdb")) return dir;
  return "";
}

// A command as the postgres user when we are root (PostgreSQL refuses root).
std::vector<std::string> AsServerUser(std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  std::vector<std::string> out = {"runuser", "-u", "postgres", "--"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool Stop(const std::string& bin, const std::string& dir, std::string* why) {
  // A kept cluster shuts down cleanly (no recovery at its next start) and
  // keeps its data.
  const bool kept = fs::exists(fs::path(dir) / kKeptFile);
  CommandResult r = RunCommand(AsServerUser(
      {bin + "/pg_ctl", "-D", dir + "/data", "-m", kept ? "fast" : "immediate", "-w", "stop"}));
  if (kept) {
    // Not running is not a failure here: there is nothing to stop.
    if (r.exit_code != 0 && !fs::exists(fs::path(dir) / "data" / "postmaster.pid")) return true;
  } else {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  if (r.exit_code != 0 && why != nullptr) *why = "pg_ctl stop: " + r.err + r.out;
  return r.exit_code == 0;
}

// Clusters whose owning test process died without stopping them (a crash,
// a kill): stopped and deleted, so that they do not pile up.
void RemoveStaleClusters(const std::string& bin, const std::string& base) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("sei-pg-", 0) != 0) continue;
    const std::string owner = Trim(ReadFile(entry.path().string() + "/" + kOwnerFile));
    if (owner.empty() || owner == "detached") continue;
    const pid_t pid = static_cast<pid_t>(std::atol(owner.c_str()));
    if (pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)) continue;  // still running
    Stop(bin, entry.path().string(), nullptr);
  }
}

bool Answers(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  const bool ok = PQstatus(c) == CONNECTION_OK;
  PQfinish(c);
  return ok;
}

std::string TempBase() {
  const char* base = std::getenv("TMPDIR");
  return base != nullptr && *base ? base : "/tmp";
}

}  // namespace

bool PgRequired() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && (std::string(ci) == "true" || std::string(ci) == "1");
}

std::string PgFixtureStateDir() { return BinaryDir() + "/pg-test-cluster"; }

std::unique_ptr<PgCluster> PgCluster::Start(std::string* why, bool durable,
                                            const std::string& keep_dir) {
  const std::string bin = FindBinDir();
  if (bin.empty()) {
    *why =
        "PostgreSQL 15 server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/15/bin "
        "or pg_config --bindir; install them: apt-get install postgresql (make test does)";
    return nullptr;
  }
  const std::string base = TempBase();
  RemoveStaleClusters(bin, base);
  std::string dir;
  const bool kept = !keep_dir.empty();
  if (kept) {
    std::error_code ec;
    dir = fs::absolute(keep_dir, ec).lexically_normal().string();
    fs::create_directories(dir, ec);
    if (ec) {
      *why = "cannot create " + dir + ": " + ec.message();
      return nullptr;
    }
    WriteFile(dir + "/" + kKeptFile, "");
    Stop(bin, dir, nullptr);  // a server a killed run left running
  } else {
    std::string tmpl = base + "/sei-pg-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) {
      *why = "cannot create a temporary directory under " + base;
      return nullptr;
    }
    dir = tmpl;
  }
  // A failed start deletes a temporary cluster, never a kept one's data.
  auto discard = [&] {
    if (!kept) fs::remove_all(dir);
  };
  WriteFile(dir + "/" + kOwnerFile, std::to_string(getpid()));
  if (geteuid() == 0) {
    CommandResult chown = RunCommand({"chown", "-R", "postgres:postgres", dir});
    if (chown.exit_code != 0) {
      *why = "cannot hand " + dir + " to the postgres user: " + chown.err;
      discard();
      return nullptr;
    }
  }
  if (!kept || !fs::exists(fs::path(dir) / "data" / "PG_VERSION")) {
    CommandResult init =
        RunCommand(AsServerUser({bin + "/initdb", "-D", dir + "/data", "-U", "postgres", "-A",
                                 "trust", "-E", "UTF8", "--no-locale", "--no-sync"}));
    if (init.exit_code != 0) {
      *why = "initdb failed: " + init.err + init.out;
      discard();
      return nullptr;
    }
  }
  // Trust on the loopback, except for one user that must give a password
  // (kPasswordUser: tests of a wrong password).
  WriteFile(dir + "/data/pg_hba.conf",
            std::string("local all all trust\nhost all ") + kPasswordUser +
                " 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n");
  if (geteuid() == 0) RunCommand({"chown", "postgres:postgres", dir + "/data/pg_hba.conf"});
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = FreeLoopbackPort();
    std::string opts = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port) + " -k " + dir +
                       " -c max_connections=200";
    if (!durable) opts += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off";
    CommandResult start =
        RunCommand(AsServerUser({bin + "/pg_ctl", "-D", dir + "/data", "-l", dir + "/server.log",
                                 "-w", "-t", "60", "-o", opts, "start"}));
    if (start.exit_code == 0) {
      return std::unique_ptr<PgCluster>(new PgCluster(dir, port, true));
    }
    *why = "pg_ctl start failed: " + start.err + start.out + ReadFile(dir + "/server.log");
  }
  Stop(bin, dir, nullptr);
  return nullptr;
}

PgCluster* PgCluster::Shared(std::string* why) {
  static std::mutex mu;
  static std::unique_ptr<PgCluster> shared;
  static std::string failure;
  std::lock_guard<std::mutex> lock(mu);
  if (shared == nullptr && failure.empty()) {
    // The ctest fixture's cluster, when there is one and it answers.
    const std::string state = PgFixtureStateDir();
    const std::string dir = Trim(ReadFile(state + "/dir"));
    const std::string port = Trim(ReadFile(state + "/port"));
    if (!dir.empty() && !port.empty()) {
      std::unique_ptr<PgCluster> adopted(new PgCluster(dir, std::atoi(port.c_str()), false));
      if (Answers(adopted->AdminUrl())) shared = std::move(adopted);
    }
    if (shared == nullptr) shared = Start(&failure);
    if (shared == nullptr && failure.empty()) failure = "PostgreSQL did not start";
  }
  if (shared == nullptr) *why = failure;
  return shared.get();
}

PgCluster::~PgCluster() {
  if (!owned_) return;
  Stop(FindBinDir(), dir_, nullptr);
}

bool PgCluster::StopDir(const std::string& dir, std::string* why) {
  return Stop(FindBinDir(), dir, why);
}

std::string PgCluster::AdminUrl() const { return Url("postgres"); }

std::string PgCluster::Url(const std::string& database) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgCluster::CreateDatabase(std::string* why) {
  std::string name;
  {
    std::lock_guard<std::mutex> lock(mu_);
    name = "sei_test_" + std::to_string(getpid()) + "_" + std::to_string(++next_db_);
  }
  PGconn* c = PQconnectdb(AdminUrl().c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    *why = "cannot connect to the test cluster: " + std::string(PQerrorMessage(c));
    PQfinish(c);
    return "";
  }
  // The name is ours (digits and underscores): an identifier, not a value.
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) *why = "CREATE DATABASE failed: " + std::string(PQresultErrorMessage(r));
  PQclear(r);
  PQfinish(c);
  return ok ? Url(name) : "";
}

void PgCluster::DropDatabase(const std::string& url) {
  const std::string name = url.substr(url.rfind('/') + 1);
  if (name.rfind("sei_test_", 0) != 0) return;
  PGconn* c = PQconnectdb(AdminUrl().c_str());
  if (PQstatus(c) == CONNECTION_OK) {
    PQclear(PQexec(c, ("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").c_str()));
  }
  PQfinish(c);
}

}  // namespace sei::testing
