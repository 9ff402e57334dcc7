// The metrics engine on a large organisation (the `sei demo --scale` store):
// the full DORA + PR flow summary with weekly series, for the whole
// organisation and for one team, over one year, on a warm Dataset (loaded
// once, as `sei serve` keeps it). The load itself is timed once and reported
// as counters, with the Dataset's size and the process's peak RSS.
//
//   SEI_BENCH_DB=bench/out/demo-scale.db build/bin/metrics_bench
//   SEI_BENCH_DB=postgres://postgres@127.0.0.1:PORT/sei_scale build/bin/metrics_bench
//   (SEI_BENCH_DB is any --db value, opened read-only through the store
//    factory: a SQLite file or a PostgreSQL URL, bench/pg.sh;
//    SEI_BENCH_UNTIL=2026-11-30 sets the end of the year measured;
//    SEI_BENCH_TEAM picks the team, default: the first one)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/store_factory.h"
#include "common/time.h"
#include "metrics/core/dataset_diff.h"
#include "metrics/core/dataset_loader.h"
#include "metrics/engine/engine.h"

namespace {

using sei::metrics::Dataset;

struct Loaded {
  std::unique_ptr<Dataset> ds;
  double load_seconds = 0;
  std::string error;
};

const Loaded& Warm() {
  static const Loaded loaded = [] {
    Loaded l;
    const char* db = std::getenv("SEI_BENCH_DB");
    if (db == nullptr) {
      l.error = "set SEI_BENCH_DB to a store made by `sei demo --scale` (bench/run.sh does)";
      return l;
    }
    auto store = sei::app::OpenStore(db, /*read_only=*/true);
    if (!store.ok()) {
      l.error = store.status().ToString();
      return l;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto ds = sei::metrics::LoadDataset(**store, sei::metrics::MetricsSettings{});
    l.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!ds.ok()) {
      l.error = ds.status().ToString();
      return l;
    }
    l.ds = std::move(*ds);
    return l;
  }();
  return loaded;
}

sei::metrics::Query YearQuery(const sei::metrics::Scope& scope) {
  const char* until = std::getenv("SEI_BENCH_UNTIL");
  sei::metrics::Query q;
  q.scope = scope;
  q.range.until = sei::ParseTimestamp(until ? until : "2026-11-30").value().unix_seconds;
  q.range.since = q.range.until - 365 * 86400;
  q.granularity = sei::metrics::Granularity::kWeek;
  q.series = true;
  return q;
}

void RunSummary(benchmark::State& state, const sei::metrics::Scope& scope) {
  const Loaded& l = Warm();
  if (!l.ds) {
    state.SkipWithError(l.error.c_str());
    return;
  }
  const sei::metrics::Query q = YearQuery(scope);
  int64_t metrics = 0;
  for (auto _ : state) {
    auto dora = sei::metrics::Compute(*l.ds, "dora", q);
    auto pr = sei::metrics::Compute(*l.ds, "pr", q);
    if (!dora.ok() || !pr.ok()) {
      state.SkipWithError((dora.ok() ? pr.status() : dora.status()).ToString().c_str());
      return;
    }
    metrics = static_cast<int64_t>(dora->metrics.size() + pr->metrics.size());
    benchmark::DoNotOptimize(dora);
    benchmark::DoNotOptimize(pr);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["metrics"] = static_cast<double>(metrics);
  state.counters["load_s"] = l.load_seconds;
  state.counters["peak_rss_mib"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
  state.counters["prs"] = static_cast<double>(l.ds->prs.size());
  state.counters["deployments"] = static_cast<double>(l.ds->deployments.size());
  state.counters["changes"] = static_cast<double>(l.ds->changes.size());
}

void BM_OrgYearDoraAndPr(benchmark::State& state) { RunSummary(state, {}); }

void BM_TeamYearDoraAndPr(benchmark::State& state) {
  const Loaded& l = Warm();
  if (!l.ds || l.ds->teams.empty()) {
    state.SkipWithError(l.ds ? "the store has no teams" : l.error.c_str());
    return;
  }
  const char* team = std::getenv("SEI_BENCH_TEAM");
  RunSummary(state, {sei::metrics::ScopeKind::kTeam, team ? team : l.ds->teams.front().id});
}

// One family at a time, for the organisation: where the time goes.
void BM_OrgYearFamily(benchmark::State& state, const char* family) {
  const Loaded& l = Warm();
  if (!l.ds) {
    state.SkipWithError(l.error.c_str());
    return;
  }
  const sei::metrics::Query q = YearQuery({});
  for (auto _ : state) {
    auto r = sei::metrics::Compute(*l.ds, family, q);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

// What live updates add to every reload of `sei serve`: comparing the new
// load with the previous one (DiffScopes), here after one changed PR (a
// push), to be read beside load_s (the reload itself).
void BM_DiffScopesAfterOnePush(benchmark::State& state) {
  const Loaded& l = Warm();
  if (!l.ds || l.ds->prs.empty()) {
    state.SkipWithError(l.ds ? "the store has no PRs" : l.error.c_str());
    return;
  }
  static const Dataset after = [&l] {
    Dataset d = *l.ds;
    d.prs[d.prs.size() / 2].state = "merged";
    d.prs[d.prs.size() / 2].merged_at = d.prs[d.prs.size() / 2].created_at + 3600;
    return d;
  }();
  sei::metrics::ScopeChanges changes;
  for (auto _ : state) {
    changes = sei::metrics::DiffScopes(*l.ds, after);
    benchmark::DoNotOptimize(changes);
  }
  state.counters["scopes"] = static_cast<double>(changes.scopes.size());
  state.counters["rows_changed"] = static_cast<double>(changes.rows_changed);
  state.counters["load_s"] = l.load_seconds;
}

BENCHMARK(BM_OrgYearDoraAndPr)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DiffScopesAfterOnePush)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_OrgYearFamily, dora, "dora")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_OrgYearFamily, pr, "pr")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_OrgYearFamily, flow, "flow")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_OrgYearFamily, bottlenecks, "bottlenecks")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TeamYearDoraAndPr)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
