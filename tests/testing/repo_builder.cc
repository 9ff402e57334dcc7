#include "testing/repo_builder.h"

#include <filesystem>
#include <string_view>

#include "testing/edge_case_history.h"
#include "testing/fast_import_stream.h"
#include "testing/test_util.h"

namespace sei::testing {

namespace fs = std::filesystem;

namespace {

// Variables that would point git at another repository or change what it
// reads; `env -u` removes them before git starts.
constexpr const char* kUnsetVars[] = {
    "GIT_DIR",         "GIT_WORK_TREE",        "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",  "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",   "GIT_CONFIG",           "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT"};

std::vector<std::string> HermeticEnv() {
  return {"GIT_CONFIG_NOSYSTEM=1",
          "GIT_CONFIG_GLOBAL=/dev/null",
          "GIT_NO_REPLACE_OBJECTS=1",
          "GIT_TERMINAL_PROMPT=0",
          "LC_ALL=C",
          "LANG=C",
          "TZ=UTC",
          "GIT_AUTHOR_NAME=SEI Test",
          "GIT_AUTHOR_EMAIL=test@example.com",
          "GIT_COMMITTER_NAME=SEI Test",
          "GIT_COMMITTER_EMAIL=test@example.com",
          "GIT_AUTHOR_DATE=1700000000 +0000",
          "GIT_COMMITTER_DATE=1700000000 +0000"};
}

std::string FirstLines(const std::string& s, size_t max_chars) {
  std::string t = s.substr(0, max_chars);
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

Status CheckEmptyDir(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return FailedPreconditionError("cannot build a repository in " + dir +
                                   ": the directory is not empty");
  }
  fs::create_directories(dir, ec);
  if (ec) return PermissionDeniedError("cannot create " + dir + ": " + ec.message());
  return Status::Ok();
}

// The git directory of the repository at `dir` (bare or not).
Result<std::string> GitDir(const std::string& dir) {
  SEI_ASSIGN_OR_RETURN(std::string out, RunGit(dir, {"rev-parse", "--absolute-git-dir"}));
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Status FastImport(const std::string& dir, const std::string& stream,
                  const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"fast-import", "--quiet", "--done"};
  args.insert(args.end(), flags.begin(), flags.end());
  return RunGit(dir, args, stream + "done\n").status();
}

// Updates the work tree when `branch` is checked out in a non-bare repository.
Status SyncWorkTree(const std::string& dir, const std::string& branch) {
  if (GitOutput(dir, {"rev-parse", "--is-bare-repository"}) != "false") return Status::Ok();
  if (GitOutput(dir, {"symbolic-ref", "-q", "HEAD"}) != "refs/heads/" + branch) {
    return Status::Ok();
  }
  return RunGit(dir, {"reset", "-q", "--hard"}).status();
}

// Version `version` of the file `index` of an incremental series: the same
// base lines with about a fifth replaced, so consecutive versions differ by
// small, scattered edits.
std::string IncrementalContent(int seed, int index, int version) {
  Rng base(static_cast<uint64_t>(seed) * 1000003u + static_cast<uint64_t>(index));
  Rng edits(base.Next() ^ (static_cast<uint64_t>(version) * 0x9e3779b97f4a7c15ull));
  int lines = 20 + static_cast<int>(base.Uniform(40));
  std::string out;
  for (int i = 0; i < lines; ++i) {
    uint64_t word = base.Next();
    if (edits.Uniform(5) == 0) word = edits.Next();
    out +=
        "  value_" + std::to_string(word % 997) + " = step(" + std::to_string(word % 89) + ");\n";
  }
  return out;
}

// Appends `count` commits to `branch` starting at commit `from` (a sha).
Status WriteSeries(const std::string& dir, const std::string& branch, const std::string& from,
                   int count, int seed, const std::string& label, bool force) {
  std::string ct = GitOutput(dir, {"log", "-1", "--format=%ct", from});
  int64_t time = ct.empty() || ct[0] == '-' ? 1700000000 : std::stoll(ct);
  FastImportStream s;
  const Person who{"Incremental Bot", "bot@example.com"};
  for (int i = 0; i < count; ++i) {
    time += 600 + (seed * 37 + i * 13) % 500;
    std::string msg = label + ": seed " + std::to_string(seed) + " commit " +
                      std::to_string(i + 1) + " of " + std::to_string(count) + "\n";
    s.Commit("refs/heads/" + branch, s.NextMark(), Ident(who, time, "+0200"),
             Ident(who, time, "+0200"), msg, i == 0 ? from : "", {});
    int index = (i + seed) % 4;
    std::string path =
        "incremental/" + std::to_string(seed) + "/file-" + std::to_string(index) + ".txt";
    if (i % 7 == 6) {
      s.Delete(path);
    } else {
      s.Modify("100644", path, IncrementalContent(seed, index, i));
    }
  }
  std::vector<std::string> flags;
  if (force) flags.push_back("--force");
  SEI_RETURN_IF_ERROR(FastImport(dir, s.Take(), flags));
  return SyncWorkTree(dir, branch);
}

}  // namespace

Result<std::string> RunGit(const std::string& dir, const std::vector<std::string>& args,
                           const std::string& input, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {"env"};
  for (const char* var : kUnsetVars) {
    argv.push_back("-u");
    argv.push_back(var);
  }
  argv.insert(argv.end(), {"git", "-c", "core.attributesFile=/dev/null", "-C", dir});
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> full_env = HermeticEnv();
  full_env.insert(full_env.end(), env.begin(), env.end());
  CommandResult r = RunCommand(argv, "", full_env, input);
  if (r.exit_code != 0) {
    std::string what = "git";
    for (const std::string& a : args) what.append(" ").append(a, 0, 60);
    return Status(StatusCode::kInternal, what + " in " + dir + " exited with " +
                                             std::to_string(r.exit_code) + ": " +
                                             FirstLines(r.err, 400));
  }
  return std::move(r.out);
}

std::string GitOutput(const std::string& dir, const std::vector<std::string>& args) {
  Result<std::string> out = RunGit(dir, args);
  if (!out.ok()) return "";
  std::string s = std::move(out).value();
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

Status BuildEdgeCaseRepo(const std::string& dir, bool bare) {
  SEI_RETURN_IF_ERROR(CheckEmptyDir(dir));
  std::vector<std::string> init = {"init", "-q", "-b", "main"};
  if (bare) init.push_back("--bare");
  init.push_back(dir);
  SEI_RETURN_IF_ERROR(RunGit(".", init).status());
  SEI_ASSIGN_OR_RETURN(std::string git_dir, GitDir(dir));
  const std::string marks = git_dir + "/sei-edge-case.marks";
  EdgeCaseHistory history;
  SEI_RETURN_IF_ERROR(FastImport(dir, history.FirstPass(), {"--export-marks=" + marks}));
  // Packed refs now; the second pass writes newer loose refs over some.
  SEI_RETURN_IF_ERROR(RunGit(dir, {"pack-refs", "--all", "--prune"}).status());
  SEI_ASSIGN_OR_RETURN(std::string legacy, history.WriteLegacyModeCommit(dir));
  SEI_ASSIGN_OR_RETURN(std::string second, history.SecondPass(dir, legacy));
  SEI_RETURN_IF_ERROR(FastImport(dir, second, {"--import-marks=" + marks}));
  std::error_code ec;
  fs::remove(marks, ec);
  SEI_RETURN_IF_ERROR(
      RunGit(dir, {"symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main"})
          .status());
  if (!bare) SEI_RETURN_IF_ERROR(RunGit(dir, {"reset", "-q", "--hard"}).status());
  return Status::Ok();
}

Status AppendLinearCommits(const std::string& dir, const std::string& branch, int count, int seed) {
  std::string tip = GitOutput(dir, {"rev-parse", "--verify", "-q", "refs/heads/" + branch});
  if (tip.empty()) return NotFoundError("no branch " + branch + " in " + dir);
  return WriteSeries(dir, branch, tip, count, seed, "incremental", /*force=*/false);
}

Status CreateLinearRepo(const std::string& dir, const std::string& branch, int count, int seed,
                        bool bare) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::vector<std::string> init = {"init", "-q", "-b", branch};
  if (bare) init.push_back("--bare");
  init.push_back(".");
  SEI_RETURN_IF_ERROR(RunGit(dir, init).status());
  if (count <= 0) return Status::Ok();
  return WriteSeries(dir, branch, "", count, seed, "linear", /*force=*/false);
}

Status RewriteBranch(const std::string& dir, const std::string& branch, int drop_last, int add_new,
                     int seed) {
  std::string base = GitOutput(dir, {"rev-parse", "--verify", "-q",
                                     "refs/heads/" + branch + "~" + std::to_string(drop_last)});
  if (base.empty()) {
    return NotFoundError("branch " + branch + " in " + dir + " has no commit " +
                         std::to_string(drop_last) + " first-parent steps back");
  }
  if (add_new == 0) {
    SEI_RETURN_IF_ERROR(RunGit(dir, {"update-ref", "refs/heads/" + branch, base}).status());
    return SyncWorkTree(dir, branch);
  }
  return WriteSeries(dir, branch, base, add_new, seed, "rewrite", /*force=*/true);
}

std::vector<std::pair<std::string, std::string>> SubjectsToCommits(
    const std::string& dir, const std::vector<std::string>& revs) {
  std::vector<std::string> args = {"log", "--format=%H %s"};
  args.insert(args.end(), revs.begin(), revs.end());
  Result<std::string> out = RunGit(dir, args);
  std::vector<std::pair<std::string, std::string>> result;
  if (!out.ok()) return result;
  size_t pos = 0;
  const std::string& text = *out;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      result.emplace_back(std::string(line.substr(space + 1)), std::string(line.substr(0, space)));
    }
    pos = end + 1;
  }
  return result;
}

std::string CommitBySubject(const std::string& dir, const std::string& prefix,
                            const std::vector<std::string>& revs) {
  std::string found;
  for (const auto& [subject, sha] : SubjectsToCommits(dir, revs)) {
    if (subject.compare(0, prefix.size(), prefix) != 0) continue;
    if (!found.empty()) return "";
    found = sha;
  }
  return found;
}

}  // namespace sei::testing
