// object_db_bench: reads every blob reachable in a repository, with the
// project's object reader (src/git/object_db.h) and with libgit2's
// git_odb_read (strict hash verification off, as collection would run it),
// side by side. Reports objects/s and bytes/s, and the reader's delta-base
// cache hits.
//
//   SEI_BENCH_REPO=/path/to/repo.git object_db_bench
//   object_db_bench      (generates a moderate repository in /tmp once)
//   SEI_BENCH_CACHE_MB=16 object_db_bench   (delta-base cache per reader;
//                                            default: ObjectDbOptions's)
//   SEI_BENCH_MALLOC=default object_db_bench (no malloc tuning; see main())
//
// Blobs are read in `git rev-list --objects --all` order (newest history
// first, as a walk meets them) and in the reverse order (oldest first, as
// parents-first collection meets them). Each iteration opens the repository
// afresh, so every run starts with cold caches (the page cache stays warm).
#include <benchmark/benchmark.h>
#include <git2.h>
#include <malloc.h>

#include <algorithm>
#include <barrier>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "git/object_db.h"
#include "git/object_id.h"

namespace {

namespace fs = std::filesystem;
using sei::git::ObjectDb;
using sei::git::ObjectDbOptions;
using sei::git::ObjectId;
using sei::git::ObjectReader;
using sei::git::ObjectType;

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  for (size_t n; (n = fread(buf, 1, sizeof(buf), p)) > 0;) out.append(buf, n);
  if (pclose(p) != 0) {
    std::fprintf(stderr, "object_db_bench: command failed: %s\n", cmd.c_str());
    std::exit(1);
  }
  return out;
}

// A fast-import stream: `commits` commits over `files` text files that grow
// and change a few lines at a time (so packs hold realistic delta chains).
std::string GeneratedHistory(int commits, int files) {
  uint64_t state = 1;
  auto rnd = [&state](uint32_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((state >> 33) % bound);
  };
  std::vector<std::vector<std::string>> text(static_cast<size_t>(files));
  for (int f = 0; f < files; ++f) {
    for (uint32_t i = 0, n = 20 + rnd(400); i < n; ++i) {
      text[static_cast<size_t>(f)].push_back("    value_" + std::to_string(rnd(100000)) +
                                             " = compute(" + std::to_string(i) + ");\n");
    }
  }
  std::string s;
  for (int c = 1; c <= commits; ++c) {
    const std::string msg = "change " + std::to_string(c) + "\n";
    s += "commit refs/heads/main\ncommitter Bench <b@example.com> " +
         std::to_string(1500000000 + c * 600) + " +0000\ndata " + std::to_string(msg.size()) +
         "\n" + msg;
    for (uint32_t k = 0, n = 1 + rnd(4); k < n; ++k) {
      auto& lines = text[rnd(static_cast<uint32_t>(files))];
      for (uint32_t e = 0, edits = 1 + rnd(6); e < edits; ++e) {
        const size_t at = rnd(static_cast<uint32_t>(lines.size()) + 1);
        const std::string line =
            "    edited_" + std::to_string(c) + "(" + std::to_string(e) + ");\n";
        if (rnd(3) == 0 && at < lines.size()) {
          lines[at] = line;
        } else {
          lines.insert(lines.begin() + static_cast<ptrdiff_t>(at), line);
        }
      }
      std::string content;
      for (const auto& l : lines) content += l;
      const size_t index = static_cast<size_t>(&lines - text.data());
      s += "M 100644 inline src/mod" + std::to_string(index % 17) + "/file" +
           std::to_string(index) + ".c\ndata " + std::to_string(content.size()) + "\n" + content +
           "\n";
    }
    s += "\n";
  }
  return s;
}

// The benchmark repository: $SEI_BENCH_REPO, else one generated in /tmp
// (kept between runs).
std::string RepoPath() {
  if (const char* env = std::getenv("SEI_BENCH_REPO"); env != nullptr && *env != '\0') {
    std::string path = env;
    if (fs::is_directory(path + "/.git")) path += "/.git";
    return path;
  }
  const std::string dir = "/tmp/sei-object-db-bench-v1";
  const std::string git_dir = dir + "/repo.git";
  if (fs::exists(dir + "/ready")) return git_dir;
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::fprintf(stderr, "object_db_bench: generating %s (once)\n", git_dir.c_str());
  Shell("git init -q --bare " + git_dir);
  { std::ofstream(dir + "/stream") << GeneratedHistory(6000, 400); }
  Shell("git --git-dir " + git_dir + " fast-import --quiet < " + dir + "/stream && rm " + dir +
        "/stream && git --git-dir " + git_dir + " repack -a -d -f -q --depth=50 --window=10");
  std::ofstream(dir + "/ready") << "ok\n";
  return git_dir;
}

ObjectDbOptions Options() {
  ObjectDbOptions options;
  if (const char* mb = std::getenv("SEI_BENCH_CACHE_MB"); mb != nullptr && *mb != '\0') {
    options.delta_base_cache_bytes = static_cast<size_t>(std::atof(mb) * (1 << 20));
  }
  return options;
}

struct Workload {
  std::string git_dir;
  std::vector<ObjectId> blobs;  // rev-list order
  uint64_t bytes = 0;
};

const Workload& GetWorkload() {
  static const Workload* w = [] {
    auto* load = new Workload();
    load->git_dir = RepoPath();
    const std::string listed =
        Shell("git --git-dir " + load->git_dir +
              " rev-list --objects --all | cut -c1-40 | git --git-dir " + load->git_dir +
              " cat-file --batch-check='%(objectname) %(objecttype) %(objectsize)'");
    size_t pos = 0;
    while (pos < listed.size()) {
      size_t nl = listed.find('\n', pos);
      const std::string line = listed.substr(pos, nl - pos);
      pos = nl == std::string::npos ? listed.size() : nl + 1;
      if (line.size() > 46 && line.compare(41, 5, "blob ") == 0) {
        load->blobs.push_back(*ObjectId::FromHex(line.substr(0, 40)));
        load->bytes += std::stoull(line.substr(46));
      }
    }
    std::fprintf(stderr, "object_db_bench: %s: %zu blobs, %.1f MB\n", load->git_dir.c_str(),
                 load->blobs.size(), static_cast<double>(load->bytes) / 1e6);
    return load;
  }();
  return *w;
}

std::vector<ObjectId> Ordered(const Workload& w, bool oldest_first) {
  std::vector<ObjectId> ids = w.blobs;
  if (oldest_first) std::reverse(ids.begin(), ids.end());
  return ids;
}

void Report(benchmark::State& state, const Workload& w) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * w.blobs.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * w.bytes));
}

// Arg 0: rev-list order (newest first); 1: reversed (oldest first).
void BM_Sei(benchmark::State& state) {
  const Workload& w = GetWorkload();
  const std::vector<ObjectId> ids = Ordered(w, state.range(0) == 1);
  ObjectReader::Stats stats;
  for (auto _ : state) {
    auto db = ObjectDb::Open(w.git_dir, Options());
    if (!db.ok()) {
      state.SkipWithError(db.status().ToString().c_str());
      return;
    }
    auto reader = (*db)->NewReader();
    std::string data;
    ObjectType type;
    for (const ObjectId& id : ids) {
      if (!reader->Read(id, &type, &data).ok()) {
        state.SkipWithError(("cannot read " + id.Hex()).c_str());
        return;
      }
      benchmark::DoNotOptimize(data.data());
    }
    stats = reader->stats();
  }
  Report(state, w);
  state.counters["cache_hits"] = static_cast<double>(stats.delta_cache_hits);
  state.counters["cache_misses"] = static_cast<double>(stats.delta_cache_misses);
  state.counters["inflated_MB"] = static_cast<double>(stats.bytes_inflated) / 1e6;
}

void BM_LibGit2(benchmark::State& state) {
  const Workload& w = GetWorkload();
  const std::vector<ObjectId> ids = Ordered(w, state.range(0) == 1);
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  for (auto _ : state) {
    git_repository* repo = nullptr;
    git_odb* odb = nullptr;
    if (git_repository_open_bare(&repo, w.git_dir.c_str()) != 0 ||
        git_repository_odb(&odb, repo) != 0) {
      state.SkipWithError("libgit2 cannot open the repository");
      return;
    }
    for (const ObjectId& id : ids) {
      git_oid oid;
      git_oid_fromraw(&oid, id.bytes.data());
      git_odb_object* obj = nullptr;
      if (git_odb_read(&obj, odb, &oid) != 0) {
        state.SkipWithError(("libgit2 cannot read " + id.Hex()).c_str());
        break;
      }
      benchmark::DoNotOptimize(git_odb_object_data(obj));
      git_odb_object_free(obj);
    }
    git_odb_free(odb);
    git_repository_free(repo);
  }
  Report(state, w);
  git_libgit2_shutdown();
}

// Two threads, each with its own reader, taking alternate chunks of 64
// blobs (as collection splits commits), sharing one ObjectDb. The threads
// live for the whole benchmark, as collection's workers do: a fresh thread
// per iteration would start from an empty malloc arena and measure mostly
// page faults (expensive on virtual machines).
void BM_SeiTwoThreads(benchmark::State& state) {
  const Workload& w = GetWorkload();
  const std::vector<ObjectId> ids = Ordered(w, state.range(0) == 1);
  std::barrier sync(3);
  const ObjectDb* db = nullptr;
  bool stop = false;
  auto worker = [&](size_t first) {
    while (true) {
      sync.arrive_and_wait();  // an iteration starts (or the benchmark ends)
      if (stop) return;
      auto reader = db->NewReader();
      std::string data;
      ObjectType type;
      for (size_t chunk = first * 64; chunk < ids.size(); chunk += 128) {
        for (size_t i = chunk; i < std::min(chunk + 64, ids.size()); ++i) {
          reader->Read(ids[i], &type, &data).IgnoreError();
        }
      }
      reader.reset();
      sync.arrive_and_wait();  // this thread's share is done
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  for (auto _ : state) {
    auto opened = ObjectDb::Open(w.git_dir, Options());
    if (!opened.ok()) {
      state.SkipWithError(opened.status().ToString().c_str());
      break;
    }
    db = opened->get();
    sync.arrive_and_wait();
    sync.arrive_and_wait();
  }
  stop = true;
  sync.arrive_and_wait();
  a.join();
  b.join();
  Report(state, w);
}

BENCHMARK(BM_Sei)
    ->ArgName("oldest_first")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LibGit2)
    ->ArgName("oldest_first")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_SeiTwoThreads)
    ->ArgName("oldest_first")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

// glibc returns freed memory to the kernel eagerly in threads' arenas, and
// maps big blocks afresh each time; both make every iteration pay page
// faults again (tens of microseconds each on virtual machines), which would
// measure the allocator rather than the readers. Keep freed memory, as a
// long collection run effectively does (ADR 0003 "malloc tuning").
// SEI_BENCH_MALLOC=default leaves glibc's settings alone.
int main(int argc, char** argv) {
  const char* malloc_mode = std::getenv("SEI_BENCH_MALLOC");
  if (malloc_mode == nullptr || std::string(malloc_mode) != "default") {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
