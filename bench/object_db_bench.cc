// Micro-benchmark of object reading: every blob, tree and commit of a
// repository read through the native reader and through libgit2, side by
// side in one run.
//   SEI_BENCH_REPO=/path/to/repo.git build/bin/object_db_bench
// Without SEI_BENCH_REPO it reads this source tree's own repository.
#include <benchmark/benchmark.h>
#include <git2.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "git/libgit2_object_db.h"
#include "git/native_object_db.h"

namespace {

std::string RepoDir() {
  const char* env = std::getenv("SEI_BENCH_REPO");
  if (env != nullptr) return env;
  return std::string(SEI_SOURCE_DIR) + "/.git";
}

// Object ids in pack order (git cat-file --batch-all-objects --unordered).
const std::vector<sei::git::ObjectId>& Ids() {
  static const std::vector<sei::git::ObjectId> ids = [] {
    std::vector<sei::git::ObjectId> out;
    std::string cmd = "git --git-dir '" + RepoDir() +
                      "' cat-file --batch-all-objects --batch-check='%(objectname)' --unordered";
    FILE* p = popen(cmd.c_str(), "r");
    char line[128];
    while (p != nullptr && std::fgets(line, sizeof(line), p) != nullptr) {
      if (auto id = sei::git::ObjectId::FromHex(std::string(line, 40))) out.push_back(*id);
    }
    if (p != nullptr) pclose(p);
    return out;
  }();
  return ids;
}

void ReadAll(benchmark::State& state, sei::git::ObjectDb* db) {
  std::string data;
  sei::git::ObjectType type;
  int64_t bytes = 0;
  for (auto _ : state) {
    auto reader = db->NewReader();
    for (const auto& id : Ids()) {
      if (reader->Read(id, &type, &data).ok()) bytes += static_cast<int64_t>(data.size());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Ids().size()));
  state.SetBytesProcessed(bytes);
}

void BM_ReadAllNative(benchmark::State& state) {
  auto db = sei::git::NativeObjectDb::Open(RepoDir(), {});
  if (!db.ok()) return state.SkipWithError(db.status().message().c_str());
  ReadAll(state, db->get());
}
BENCHMARK(BM_ReadAllNative)->Unit(benchmark::kMillisecond);

void BM_ReadAllLibGit2(benchmark::State& state) {
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  auto db = sei::git::OpenLibGit2ObjectDb(RepoDir());
  if (!db.ok()) return state.SkipWithError(db.status().message().c_str());
  ReadAll(state, db->get());
}
BENCHMARK(BM_ReadAllLibGit2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
