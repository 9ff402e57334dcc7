// link_bench: `sei link`'s work (metrics::link::Linker::Run) on a synthetic
// organisation the size of the `--scale` demo: 300 repositories, 1,000,000
// commits, ~200,000 pull requests (merge, squash and rebase merges, with
// their commits), ~50,000 deployments to staging and production (a few
// failed, some rollbacks) and 1,000 incidents. Target: well under a minute.
//
//   link_bench                          the full organisation (built once into
//                                       /tmp/sei-link-bench-1.db, then reused)
//   SEI_LINK_BENCH_SCALE=0.01 link_bench   a hundredth of it (a quick check)
//   SEI_LINK_BENCH_DB=/path/x.db link_bench   where the organisation is kept
//
// Each iteration re-links everything (the second and later runs replace the
// first run's rows, as a real re-run does). Building the organisation is not
// timed.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "metrics/link/linker.h"
#include "model/delivery.h"
#include "model/review.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using sei::CommitRecord;
using sei::sqlite::SqliteStore;
namespace model = sei::model;

constexpr int64_t kStart = 1704067200;  // 2024-01-01

double Scale() {
  const char* s = std::getenv("SEI_LINK_BENCH_SCALE");
  return s != nullptr ? std::atof(s) : 1.0;
}

std::string Sha(uint64_t n) {
  char buf[41];
  std::snprintf(buf, sizeof buf, "%016llx%016llx%08llx", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(n * 0x9E3779B97F4A7C15ull),
                static_cast<unsigned long long>(n & 0xffffffffu));
  return buf;
}

// One repository's history, PRs and deployments.
class RepoBuilder {
 public:
  RepoBuilder(int repo, int commits, std::mt19937_64* rng)
      : repo_id_("bench:repo:" + std::to_string(repo)), target_(commits), rng_(*rng) {}

  void Build() {
    t_ = kStart;
    Commit({}, t_, true);
    while (static_cast<int>(commits_.size()) < target_) {
      if (rng_() % 10 < 3) {
        Commit({tip_}, Tick(), true);
      } else {
        PullRequest();
      }
      MaybeDeploy();
    }
  }

  const std::string& repo_id() const { return repo_id_; }
  std::vector<CommitRecord> commits_;
  std::vector<model::PullRequest> prs_;
  std::vector<model::PrCommit> pr_commits_;
  std::vector<model::Deployment> deployments_;

 private:
  int64_t Tick() { return t_ += 600 + static_cast<int64_t>(rng_() % 3600); }

  std::string Commit(std::vector<std::string> parents, int64_t author_time, bool on_main) {
    CommitRecord r;
    r.commit.repo_id = repo_id_;
    r.commit.sha = Sha(++serial_ * 1000003ull + static_cast<uint64_t>(repo_id_.size()) +
                       std::hash<std::string>{}(repo_id_));
    r.commit.tree_sha = r.commit.sha;
    r.commit.author_name = "Dev " + std::to_string(rng_() % 40);
    r.commit.author_email = r.commit.author_name + "@example.com";
    r.commit.author_time = author_time;
    r.commit.committer_time = t_;
    r.commit.author_account_id = "git:local:account:" + r.commit.author_email;
    r.commit.committer_account_id = r.commit.author_account_id;
    r.parents = std::move(parents);
    r.commit.parent_count = static_cast<int64_t>(r.parents.size());
    r.commit.is_merge = r.parents.size() > 1;
    commits_.push_back(r);
    if (on_main) tip_ = r.commit.sha;
    return r.commit.sha;
  }

  void PullRequest() {
    const int k = 2 + static_cast<int>(rng_() % 5);
    model::PullRequest pr;
    pr.id = repo_id_ + ":pr:" + std::to_string(prs_.size() + 1);
    pr.connection_id = "bench";
    pr.repo_id = repo_id_;
    pr.number = static_cast<int64_t>(prs_.size() + 1);
    pr.title = "change";
    pr.state = "merged";
    pr.author_account_id = "bench:account:" + std::to_string(rng_() % 40);
    pr.created_at = t_;
    const int kind = static_cast<int>(rng_() % 3);  // merge, squash, rebase
    const std::string base = tip_;
    std::vector<std::pair<std::string, int64_t>> branch;
    std::string parent = base;
    for (int i = 0; i < k; ++i) {
      const int64_t at = Tick();
      const std::string sha =
          kind == 2 ? Sha(0xB000000000ull + ++serial_) : Commit({parent}, at, false);
      branch.push_back({sha, at});
      parent = sha;
      pr_commits_.push_back({pr.id, sha, i, at});
    }
    pr.head_sha = branch.back().first;
    Tick();
    if (kind == 0) {
      pr.merge_sha = Commit({tip_, branch.back().first}, t_, true);
    } else if (kind == 1) {
      pr.merge_sha = Commit({tip_}, t_, true);
    } else {
      for (const auto& [sha, at] : branch) Commit({tip_}, at, true);
      pr.merge_sha = tip_;
    }
    pr.merged_at = t_;
    prs_.push_back(std::move(pr));
  }

  void MaybeDeploy() {
    const int main_commits = ++since_staging_;
    if (main_commits < 8) return;
    since_staging_ = 0;
    Deploy("staging", tip_);
    if (++staging_count_ % 2 == 0) {
      const bool rollback = rng_() % 20 == 0 && !last_prod_.empty();
      Deploy("production", rollback ? last_prod_ : tip_);
      if (!rollback) last_prod_ = tip_;
    }
  }

  void Deploy(const std::string& env, const std::string& sha) {
    model::Deployment d;
    d.id = repo_id_ + ":deploy:" + std::to_string(deployments_.size() + 1);
    d.connection_id = "bench";
    d.repo_id = repo_id_;
    d.service = repo_id_;
    d.environment = env;
    d.environment_type = env;
    d.commit_sha = sha;
    d.result = rng_() % 12 == 0 ? "failure" : "success";
    d.started_at = Tick();
    d.finished_at = *d.started_at + 300;
    deployments_.push_back(std::move(d));
  }

  std::string repo_id_;
  int target_;
  std::mt19937_64& rng_;
  int64_t t_ = kStart;
  uint64_t serial_ = 0;
  std::string tip_, last_prod_;
  int since_staging_ = 0, staging_count_ = 0;
};

std::string BuildOrganisation() {
  const double scale = Scale();
  const char* env_db = std::getenv("SEI_LINK_BENCH_DB");
  const std::string path =
      env_db != nullptr ? env_db : "/tmp/sei-link-bench-" + std::to_string(scale) + ".db";
  if (std::filesystem::exists(path)) return path;
  const std::string tmp = path + ".building";
  std::filesystem::remove(tmp);
  auto store = SqliteStore::Open(tmp);
  if (!store.ok()) {
    std::fprintf(stderr, "link_bench: %s\n", store.status().ToString().c_str());
    std::exit(1);
  }
  std::mt19937_64 rng(42);
  const int repos = std::max(1, static_cast<int>(300 * scale));
  const int per_repo = static_cast<int>(1000000 * scale / repos);
  std::vector<model::Incident> incidents;
  for (int r = 0; r < repos; ++r) {
    RepoBuilder b(r, per_repo, &rng);
    b.Build();
    model::Repo repo{b.repo_id(), "bench", "org/repo" + std::to_string(r), b.repo_id(), {}, {},
                     {},          {}};
    auto ok = [](const sei::Status& s) {
      if (!s.ok()) {
        std::fprintf(stderr, "link_bench: %s\n", s.ToString().c_str());
        std::exit(1);
      }
    };
    ok((*store)->UpsertRepo(repo));
    ok((*store)->WriteCommits(b.repo_id(), b.commits_));
    ok((*store)->Upsert(b.prs_));
    ok((*store)->Upsert(b.pr_commits_));
    ok((*store)->Upsert(b.deployments_));
    for (int i = 0; i < std::max(1, static_cast<int>(1000 / std::max(1, repos))); ++i) {
      const auto& d = b.deployments_[rng() % b.deployments_.size()];
      incidents.push_back({b.repo_id() + ":incident:" + std::to_string(i),
                           "bench",
                           d.service,
                           "production",
                           "down",
                           {},
                           "resolved",
                           *d.finished_at + 3600,
                           {},
                           {},
                           {},
                           {},
                           {}});
    }
  }
  if (!(*store)->Upsert(incidents).ok()) std::exit(1);
  store->reset();
  std::filesystem::rename(tmp, path);
  return path;
}

void BM_LinkOrganisation(benchmark::State& state) {
  const std::string path = BuildOrganisation();
  auto store = SqliteStore::Open(path);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  sei::metrics::MetricsSettings settings;
  sei::metrics::link::LinkSummary summary;
  for (auto _ : state) {
    sei::metrics::link::Linker linker(**store, settings);
    auto r = linker.Run();
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    summary = *r;
  }
  state.counters["deployments"] = static_cast<double>(summary.deployments);
  state.counters["commits_shipped"] = static_cast<double>(summary.commits_shipped);
  state.counters["changes"] = static_cast<double>(summary.pr_changes + summary.direct_changes);
  state.counters["prs"] = static_cast<double>(summary.prs);
  state.counters["load_s"] = summary.load_seconds;
  state.counters["link_s"] = summary.link_seconds;
  state.counters["write_s"] = summary.write_seconds;
}
BENCHMARK(BM_LinkOrganisation)->Unit(benchmark::kSecond)->Iterations(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
