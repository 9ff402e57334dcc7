// GitHub conversion throughput (issue 7): the real payloads of
// ../shared/fixtures/payloads — the 49-PR list page, two review pages (28
// reviews) and the 20-run workflow runs page — converted (src/collectors/
// github) and stored with WriteBatch into a SQLite file store (WAL,
// synchronous=NORMAL: the store's settings), one transaction per round of the
// three pages. Every round uses a new connection id, so every row is new (an
// insert, accounts included), as a first sync of many repositories would be.
// Reports objects/s, objects being PRs + reviews + runs (accounts, the rows
// they embed, come on top). Target: 20,000 objects/s on the 2-core machine.
//
// BM_ReconvertFromArchive: `sei reconvert`'s path (github_reconvert.h) over
// an archive of 25 rounds of the same four pages (100 pages, as a sync
// archives them: each with its conversion record), read back in pages of
// 64 and upserted page by page, one transaction each, over the rows a
// first pass made (a reconversion rewrites rows that exist).
//
// BM_ParsePullsPage compares the two JSON parsers on the PR page (parse only):
// the measurement behind choosing simdjson for conversion.
//   build/bin/github_convert_bench [--benchmark_filter=...] [--benchmark_min_time=2]
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "collectors/github/github_batch_writer.h"
#include "collectors/github/github_convert.h"
#include "collectors/github/github_reconvert.h"
#include "collectors/github/raw_context.h"
#include "store/sqlite/sqlite_store.h"

namespace {

namespace gh = sei::collectors::github;

std::string Fixture(const std::string& rel) {
  const std::filesystem::path root = std::filesystem::path(SEI_SOURCE_DIR);
  for (const std::filesystem::path& base : {root.parent_path(), root.parent_path().parent_path()}) {
    std::ifstream in(base / "shared" / "fixtures" / "payloads" / rel, std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  return "";
}

struct Pages {
  std::string pulls = Fixture("github_rest/pulls_list__devlake_panjf2000_ants.json");
  std::string reviews41 = Fixture("github_rest/pull_reviews_pr41__devlake_panjf2000_ants.json");
  std::string reviews53 = Fixture("github_rest/pull_reviews_pr53__devlake_panjf2000_ants.json");
  std::string runs =
      Fixture("github_actions/workflow_runs_list__devlake_panjf2000_ants.real_only.json");
  bool ok() const { return !pulls.empty() && !reviews41.empty() && !runs.empty(); }
};

const Pages& AllPages() {
  static const Pages pages;
  return pages;
}

// One round: the four pages converted into one batch.
sei::Result<gh::ConvertedBatch> ConvertRound(const Pages& p, const gh::ConvertContext& ctx) {
  gh::ConvertedBatch batch;
  const std::pair<gh::RestKind, const std::string*> parts[] = {
      {gh::RestKind::kPulls, &p.pulls},
      {gh::RestKind::kReviews, &p.reviews41},
      {gh::RestKind::kReviews, &p.reviews53},
      {gh::RestKind::kWorkflowRuns, &p.runs}};
  for (const auto& [kind, body] : parts) {
    SEI_ASSIGN_OR_RETURN(gh::ConvertedBatch b, gh::ConvertRest(kind, *body, ctx));
    batch.Append(std::move(b));
  }
  return batch;
}

int64_t Objects(const gh::ConvertedBatch& b) {
  return static_cast<int64_t>(b.prs.size() + b.reviews.size() + b.pipelines.size());
}

void BM_ConvertOnly(benchmark::State& state) {
  const Pages& pages = AllPages();
  if (!pages.ok()) return state.SkipWithError("../shared/fixtures/payloads is absent");
  gh::ConvertContext ctx;
  ctx.connection_id = "github:bench";
  int64_t objects = 0;
  for (auto _ : state) {
    auto b = ConvertRound(pages, ctx);
    if (!b.ok()) return state.SkipWithError(b.status().ToString().c_str());
    objects += Objects(*b);
    benchmark::DoNotOptimize(b->prs.data());
  }
  state.counters["objects/s"] =
      benchmark::Counter(static_cast<double>(objects), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ConvertOnly)->UseRealTime();

void BM_ConvertAndStore(benchmark::State& state) {
  const Pages& pages = AllPages();
  if (!pages.ok()) return state.SkipWithError("../shared/fixtures/payloads is absent");
  const std::string dir =
      (std::filesystem::temp_directory_path() / "sei_github_convert_bench").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = sei::sqlite::SqliteStore::Open(dir + "/gh.db");
  if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
  gh::ConvertContext ctx;
  int64_t round = 0, objects = 0, rows = 0;
  for (auto _ : state) {
    ctx.connection_id = "github:bench" + std::to_string(round++);
    auto b = ConvertRound(pages, ctx);
    if (!b.ok()) return state.SkipWithError(b.status().ToString().c_str());
    sei::Status s = gh::WriteBatch(**store, *b);
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
    objects += Objects(*b);
    rows += static_cast<int64_t>(b->RowCount());
  }
  state.counters["objects/s"] =
      benchmark::Counter(static_cast<double>(objects), benchmark::Counter::kIsRate);
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ConvertAndStore)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ReconvertFromArchive(benchmark::State& state) {
  const Pages& pages = AllPages();
  if (!pages.ok()) return state.SkipWithError("../shared/fixtures/payloads is absent");
  const std::string dir =
      (std::filesystem::temp_directory_path() / "sei_github_reconvert_bench").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = sei::sqlite::SqliteStore::Open(dir + "/gh.db");
  if (!store.ok()) return state.SkipWithError(store.status().ToString().c_str());
  constexpr int kRounds = 25;
  const std::pair<gh::RestKind, const std::string*> parts[] = {
      {gh::RestKind::kPulls, &pages.pulls},
      {gh::RestKind::kReviews, &pages.reviews41},
      {gh::RestKind::kReviews, &pages.reviews53},
      {gh::RestKind::kWorkflowRuns, &pages.runs}};
  int64_t archived = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (const auto& [kind, body] : parts) {
      sei::model::RawPayload raw;
      raw.connection_id = "github:bench";
      raw.source = "github";
      raw.scope = "panjf2000/ants";
      raw.entity = "pulls";
      raw.url = "https://api.github.com/repos/panjf2000/ants/pulls?page=" + std::to_string(round);
      raw.fetched_at = 1;
      raw.content_type = "application/json";
      raw.body = *body;
      gh::RawContext context;
      context.kind = std::string(gh::RestKindKey(kind));
      raw.context = context.Json();
      raw.converted_at = 1;
      auto id = (*store)->ArchiveRaw(raw);
      if (!id.ok()) return state.SkipWithError(id.status().ToString().c_str());
      ++archived;
    }
  }
  gh::ConvertContext ctx;
  ctx.connection_id = "github:bench";
  auto one = ConvertRound(pages, ctx);
  if (!one.ok()) return state.SkipWithError(one.status().ToString().c_str());
  const int64_t per_pass = kRounds * Objects(*one);
  gh::ReconvertOptions options;
  options.connections = {{"github:bench", {}}};
  int64_t objects = 0, rows = 0, done = 0;
  auto run = [&]() -> sei::Status {
    gh::GithubReconvert reconvert(**store, options);
    SEI_ASSIGN_OR_RETURN(gh::ReconvertReport r, reconvert.Run());
    if (r.pages != archived) return sei::InternalError("not every page was reconverted");
    rows += r.rows;
    done += r.pages;
    return sei::Status::Ok();
  };
  if (sei::Status s = run(); !s.ok()) return state.SkipWithError(s.ToString().c_str());
  rows = done = 0;  // the first pass inserted; the measured ones rewrite
  for (auto _ : state) {
    if (sei::Status s = run(); !s.ok()) return state.SkipWithError(s.ToString().c_str());
    objects += per_pass;
  }
  state.counters["pages/s"] =
      benchmark::Counter(static_cast<double>(done), benchmark::Counter::kIsRate);
  state.counters["objects/s"] =
      benchmark::Counter(static_cast<double>(objects), benchmark::Counter::kIsRate);
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReconvertFromArchive)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ParsePullsPage(benchmark::State& state) {
  const Pages& pages = AllPages();
  if (!pages.ok()) return state.SkipWithError("../shared/fixtures/payloads is absent");
  const bool simd = state.range(0) == 1;
  simdjson::dom::parser parser;
  for (auto _ : state) {
    if (simd) {
      simdjson::dom::element e;
      if (parser.parse(pages.pulls).get(e) != simdjson::SUCCESS) return state.SkipWithError("bad");
      benchmark::DoNotOptimize(e);
    } else {
      nlohmann::json j = nlohmann::json::parse(pages.pulls);
      benchmark::DoNotOptimize(j.size());
    }
  }
  state.SetLabel(simd ? "simdjson dom" : "nlohmann::json");
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(pages.pulls.size()));
  state.counters["prs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 49), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParsePullsPage)->Arg(0)->Arg(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
