// Micro-benchmarks of numstat line counting (git::LineDiffer::Count and
// git::CountLines) on realistic pairs of source files: a 500-line file with
// a few hunks, a 5,000-line file with a one-line change and with edits
// scattered all over, a rewrite that drives git's diff to its cost cut-off,
// and a small-alphabet file full of repeated lines. Throughput counts the
// bytes of both sides.
//   build/bin/line_diff_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "git/line_diff.h"

namespace {

using Lines = std::vector<std::string>;

// Source-like lines: indentation, braces, blank lines, comments, statements
// drawn from a vocabulary so some repeat.
Lines SourceLines(int count, uint32_t seed) {
  std::mt19937 rng(seed);
  Lines lines;
  for (int i = 0; i < count; ++i) {
    const std::string indent(2 * (rng() % 4), ' ');
    switch (rng() % 10) {
      case 0:
        lines.push_back(indent + "}");
        break;
      case 1:
        lines.push_back("");
        break;
      case 2:
        lines.push_back(indent + "// " + std::to_string(rng() % 3000) + " explains the next step");
        break;
      default:
        lines.push_back(indent + "value_" + std::to_string(rng() % 2000) + " = Compute(input_" +
                        std::to_string(rng() % 50) + ", " + std::to_string(i) + ");");
    }
  }
  return lines;
}

std::string Join(const Lines& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

// `lines` with `hunks` edits at random places: each replaces, inserts or
// deletes one to three lines.
Lines Edit(Lines lines, int hunks, uint32_t seed) {
  std::mt19937 rng(seed);
  for (int h = 0; h < hunks; ++h) {
    const size_t at = rng() % lines.size();
    const int len = 1 + static_cast<int>(rng() % 3);
    const int kind = static_cast<int>(rng() % 3);
    for (int k = 0; k < len && at + k < lines.size(); ++k) {
      std::string fresh = std::to_string(h);
      fresh.insert(0, "  edited_");
      fresh += "();";
      if (kind == 0) lines[at + k] = fresh;
      if (kind == 1) lines.insert(lines.begin() + static_cast<ptrdiff_t>(at), fresh);
      if (kind == 2) lines.erase(lines.begin() + static_cast<ptrdiff_t>(at));
    }
  }
  return lines;
}

// `lines` with a fraction `percent` of them replaced by new ones.
Lines Rewrite(Lines lines, int percent, uint32_t seed) {
  std::mt19937 rng(seed);
  const Lines fresh = SourceLines(static_cast<int>(lines.size()), seed + 1);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (static_cast<int>(rng() % 100) < percent) lines[i] = fresh[i];
  }
  return lines;
}

void RunCount(benchmark::State& state, const std::string& a, const std::string& b) {
  sei::git::LineDiffer differ;
  sei::git::LineCounts counts;
  for (auto _ : state) {
    counts = differ.Count(a, b);
    benchmark::DoNotOptimize(counts);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(a.size() + b.size()));
  state.counters["added"] = static_cast<double>(counts.added);
  state.counters["deleted"] = static_cast<double>(counts.deleted);
}

void BM_Source500FewHunks(benchmark::State& state) {
  const Lines base = SourceLines(500, 1);
  RunCount(state, Join(base), Join(Edit(base, 3, 2)));
}
BENCHMARK(BM_Source500FewHunks);

void BM_Source5000OneLine(benchmark::State& state) {
  const Lines base = SourceLines(5000, 3);
  RunCount(state, Join(base), Join(Edit(base, 1, 4)));
}
BENCHMARK(BM_Source5000OneLine);

void BM_Source5000Scattered(benchmark::State& state) {
  const Lines base = SourceLines(5000, 5);
  RunCount(state, Join(base), Join(Edit(base, 200, 6)));
}
BENCHMARK(BM_Source5000Scattered);

void BM_Source3000Rewrite(benchmark::State& state) {
  const Lines base = SourceLines(3000, 7);
  RunCount(state, Join(base), Join(Rewrite(base, 60, 8)));
}
BENCHMARK(BM_Source3000Rewrite);

void BM_RepeatedLines2000(benchmark::State& state) {
  std::mt19937 rng(9);
  Lines base;
  for (int i = 0; i < 2000; ++i) base.push_back("item " + std::to_string(rng() % 8));
  RunCount(state, Join(base), Join(Edit(base, 40, 10)));
}
BENCHMARK(BM_RepeatedLines2000);

void BM_CountLines(benchmark::State& state) {
  const std::string text = Join(SourceLines(5000, 11));
  for (auto _ : state) benchmark::DoNotOptimize(sei::git::CountLines(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_CountLines);

void BM_IsBinary(benchmark::State& state) {
  const std::string text = Join(SourceLines(500, 12));
  for (auto _ : state) benchmark::DoNotOptimize(sei::git::IsBinary(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 8000);
}
BENCHMARK(BM_IsBinary);

}  // namespace

BENCHMARK_MAIN();
