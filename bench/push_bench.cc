// Push API throughput below HTTP: PushValidator::Validate plus
// PushWriter::Apply of deployments with 5 commits each, in batches of 1, 16,
// 64 and 256 items (one transaction per batch: the server's group commit),
// into a SQLite file store in WAL mode with synchronous=NORMAL (the store's
// settings). Reports items/s; the issue's target is 5,000 durable pushes/s
// end to end, so this is the ceiling the HTTP layer works under.
//   build/bin/push_bench [--benchmark_filter=...] [--benchmark_min_time=0.1]
//   SEI_BENCH_DB=postgres://... build/bin/push_bench   into that database
//     instead (any --db value; rows accumulate there)
//   SEI_BENCH_DURABLE=1 build/bin/push_bench   durable commits, as the
//     server's push writer makes them (synchronous = FULL on SQLite,
//     synchronous_commit = on on PostgreSQL)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/store_factory.h"
#include "collectors/push/push_validator.h"
#include "collectors/push/push_writer.h"
#include "common/clock.h"

namespace {

using sei::collectors::push::PushItem;
using sei::collectors::push::PushKind;
using sei::collectors::push::PushValidator;
using sei::collectors::push::PushWriter;

// A deployment body with 5 distinct 40-hex commits; `n` makes it unique.
std::string Body(int64_t n) {
  char sha[41];
  std::string commits;
  for (int c = 0; c < 5; ++c) {
    std::snprintf(sha, sizeof(sha), "%016llx%08x%016llx", static_cast<unsigned long long>(n), c,
                  static_cast<unsigned long long>(n * 7 + c));
    commits += std::string(c ? ", " : "") + "\"" + sha + "\"";
  }
  return R"({"id": "ext-)" + std::to_string(n) +
         R"(", "environment": "production", "service": "api", "repo": "api",
    "commit_sha": ")" +
         std::string(sha) + R"(", "commits": [)" + commits +
         R"(], "result": "success", "started_at": "2026-01-31T11:00:00Z",
    "finished_at": "2026-01-31T11:05:00Z", "url": "https://ci.example.com/runs/1"})";
}

void BM_PushDeployments(benchmark::State& state) {
  const int64_t batch_size = state.range(0);
  const char* url = std::getenv("SEI_BENCH_DB");
  const char* durable = std::getenv("SEI_BENCH_DURABLE");
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("sei_push_bench_" + std::to_string(batch_size)))
          .string();
  if (url == nullptr) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  auto store = sei::app::OpenStore(url != nullptr ? std::string(url) : dir + "/push.db",
                                   /*read_only=*/false,
                                   /*durable=*/durable != nullptr && std::string(durable) == "1");
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  const sei::Clock& clock = sei::SystemClock::Get();
  PushValidator validator(clock);
  PushWriter writer(**store, clock);
  // Ids unique across runs into the same database (fewer than a million
  // items a second).
  int64_t next = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  for (auto _ : state) {
    std::vector<PushItem> batch;
    batch.reserve(static_cast<size_t>(batch_size));
    for (int64_t i = 0; i < batch_size; ++i) {
      auto v = validator.Validate(PushKind::kDeployment, "bench", Body(next++));
      if (!v.ok()) {
        state.SkipWithError(v.ToStatus().ToString().c_str());
        return;
      }
      batch.push_back(std::move(v).value());
    }
    sei::Status s = writer.Apply(batch);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch_size);
  store->reset();
  if (url == nullptr) std::filesystem::remove_all(dir);
}
BENCHMARK(BM_PushDeployments)->Arg(1)->Arg(16)->Arg(64)->Arg(256)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
