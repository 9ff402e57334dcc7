// Micro-benchmark of numstat line counting (git::LineDiffer::Count) on
// realistic pairs: a source file with a few edits, a large file with
// scattered edits, and a rewrite that trips git's cost heuristics.
//   build/bin/line_diff_bench
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "git/line_diff.h"

namespace {

std::string Source(int lines, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s;
  for (int i = 0; i < lines; ++i) {
    int kind = static_cast<int>(rng() % 10);
    if (kind == 0) {
      s += "}\n";
    } else if (kind == 1) {
      s += "\n";
    } else {
      s += std::string(static_cast<size_t>(2 * (rng() % 4)), ' ') + "value_" +
           std::to_string(rng() % 5000) + " = compute(" + std::to_string(i) + ");\n";
    }
  }
  return s;
}

std::string Edit(const std::string& s, int edits, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out = s;
  for (int e = 0; e < edits; ++e) {
    size_t at = out.find('\n', rng() % out.size());
    if (at == std::string::npos) continue;
    out.insert(at + 1, "inserted_line_" + std::to_string(e) + "();\n");
  }
  return out;
}

void Run(benchmark::State& state, const std::string& a, const std::string& b) {
  sei::git::LineDiffer differ;
  for (auto _ : state) benchmark::DoNotOptimize(differ.Count(a, b));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (a.size() + b.size())));
}

void BM_SmallEdit500Lines(benchmark::State& state) {
  std::string a = Source(500, 1);
  Run(state, a, Edit(a, 3, 2));
}
BENCHMARK(BM_SmallEdit500Lines);

void BM_ScatteredEdits5000Lines(benchmark::State& state) {
  std::string a = Source(5000, 3);
  Run(state, a, Edit(a, 200, 4));
}
BENCHMARK(BM_ScatteredEdits5000Lines);

void BM_Rewrite3000Lines(benchmark::State& state) { Run(state, Source(3000, 5), Source(3000, 6)); }
BENCHMARK(BM_Rewrite3000Lines);

void BM_CountLines(benchmark::State& state) {
  std::string a = Source(5000, 7);
  for (auto _ : state) benchmark::DoNotOptimize(sei::git::CountLines(a));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * a.size()));
}
BENCHMARK(BM_CountLines);

}  // namespace

BENCHMARK_MAIN();
