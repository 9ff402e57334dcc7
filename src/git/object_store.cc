#include "git/object_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "git/object_store_reader.h"

namespace sei::git::internal {

namespace fs = std::filesystem;

namespace {

// git ignores alternates nested deeper than this (sha1-file.c).
constexpr int kMaxAlternateDepth = 5;

// The whole of a small text file; empty when it cannot be read.
std::string ReadSmallFile(const fs::path& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  std::string s;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), f)) > 0;) s.append(buf, n);
  std::fclose(f);
  return s;
}

std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Undoes git's C-style quoting of a path ("a\tb\"c", octal escapes).
std::string UnquotePath(const std::string& quoted) {
  std::string out;
  for (size_t i = 1; i < quoted.size() && quoted[i] != '"'; ++i) {
    char c = quoted[i];
    if (c != '\\' || i + 1 >= quoted.size()) {
      out.push_back(c);
      continue;
    }
    c = quoted[++i];
    if (c >= '0' && c <= '3' && i + 2 < quoted.size()) {
      out.push_back(static_cast<char>(((c - '0') << 6) | ((quoted[i + 1] - '0') << 3) |
                                      (quoted[i + 2] - '0')));
      i += 2;
      continue;
    }
    static constexpr std::pair<char, char> kEscapes[] = {
        {'a', '\a'}, {'b', '\b'}, {'f', '\f'}, {'n', '\n'}, {'r', '\r'}, {'t', '\t'}, {'v', '\v'}};
    for (const auto& [from, to] : kEscapes) {
      if (c == from) c = to;
    }
    out.push_back(c);
  }
  return out;
}

// Resolves `git_dir` to the directory holding objects/ (following a
// ".git" file's "gitdir:" line and a linked worktree's "commondir").
Result<fs::path> FindObjectsDir(const std::string& git_dir) {
  const std::string expected =
      " (expected a git directory: the .git folder of a working tree, or a bare repository, "
      "holding HEAD and objects/)";
  std::error_code ec;
  fs::path dir(git_dir);
  if (fs::is_regular_file(dir, ec)) {  // a ".git" file: "gitdir: <path>"
    std::string line = FirstLine(ReadSmallFile(dir));
    if (line.rfind("gitdir: ", 0) != 0) {
      return InvalidArgumentError(git_dir + " is a file, not a git directory" + expected);
    }
    fs::path target(line.substr(8));
    dir = target.is_relative() ? dir.parent_path() / target : target;
  }
  if (!fs::is_directory(dir, ec)) {
    const std::string what =
        dir.string() == git_dir ? git_dir : git_dir + " points to " + dir.string() + ", which";
    return InvalidArgumentError(what + " does not exist or is not a directory" + expected);
  }
  fs::path common = dir;
  std::string commondir = FirstLine(ReadSmallFile(dir / "commondir"));
  if (!commondir.empty()) {
    fs::path c(commondir);
    common = c.is_relative() ? dir / c : c;
  }
  if (!fs::is_directory(common / "objects", ec) || !fs::exists(dir / "HEAD", ec)) {
    std::string hint;
    if (fs::exists(dir / ".git", ec)) hint = "; it looks like a working tree: pass its .git";
    return InvalidArgumentError(git_dir + " is not a git directory" + expected + hint);
  }
  return common / "objects";
}

int64_t MtimeNanos(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return 0;
  return int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
}

}  // namespace

Result<std::unique_ptr<ObjectStore>> ObjectStore::Open(const std::string& git_dir,
                                                       const ObjectDbOptions& options) {
  SEI_ASSIGN_OR_RETURN(fs::path objects, FindObjectsDir(git_dir));
  std::unique_ptr<ObjectStore> store(new ObjectStore());
  store->git_dir_ = git_dir;
  store->options_ = options;
  SEI_RETURN_IF_ERROR(store->AddObjectDir(objects.string(), 0));
  return store;
}

Status ObjectStore::AddObjectDir(const std::string& dir, int depth) {
  std::error_code ec;
  std::string canonical = fs::weakly_canonical(dir, ec).string();
  if (ec) canonical = dir;
  if (std::find(object_dirs_.begin(), object_dirs_.end(), canonical) != object_dirs_.end()) {
    return Status::Ok();  // already added (alternates may form a cycle)
  }
  object_dirs_.push_back(canonical);
  SEI_RETURN_IF_ERROR(AddPacks(canonical));
  return AddAlternates(canonical, depth);
}

Status ObjectStore::AddPacks(const std::string& objects_dir) {
  struct Candidate {
    std::string pack_path;
    int64_t mtime;
  };
  std::vector<Candidate> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(objects_dir + "/pack", ec)) {
    const std::string idx = entry.path().string();
    if (entry.path().extension() != ".idx") continue;
    std::string pack = idx.substr(0, idx.size() - 4) + ".pack";
    // An index without its pack is left over or being written: git skips it.
    if (!fs::exists(pack, ec)) continue;
    found.push_back({pack, MtimeNanos(pack)});
  }
  // git's order: newest first (recent objects are looked up most).
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return a.mtime != b.mtime ? a.mtime > b.mtime : a.pack_path < b.pack_path;
  });
  for (const Candidate& c : found) {
    auto pack = PackFile::Open(c.pack_path);
    if (!pack.ok()) {
      if (pack.status().code() == StatusCode::kNotFound) continue;  // removed meanwhile
      return pack.status();
    }
    packs_.push_back(std::move(pack).value());
  }
  return Status::Ok();
}

Status ObjectStore::AddAlternates(const std::string& objects_dir, int depth) {
  const std::string list = ReadSmallFile(objects_dir + "/info/alternates");
  size_t pos = 0;
  while (pos < list.size()) {
    size_t nl = list.find('\n', pos);
    if (nl == std::string::npos) nl = list.size();
    std::string line = list.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '"') line = UnquotePath(line);
    fs::path alt(line);
    if (alt.is_relative()) alt = fs::path(objects_dir) / alt;
    std::error_code ec;
    if (!fs::is_directory(alt, ec)) {
      missing_alternates_ += (missing_alternates_.empty() ? "" : ", ") + alt.string();
      continue;
    }
    if (depth + 1 > kMaxAlternateDepth) continue;  // git ignores these too
    SEI_RETURN_IF_ERROR(AddObjectDir(alt.lexically_normal().string(), depth + 1));
  }
  return Status::Ok();
}

std::unique_ptr<ObjectReader> ObjectStore::NewReader() const {
  return std::make_unique<ObjectStoreReader>(*this);
}

}  // namespace sei::git::internal
