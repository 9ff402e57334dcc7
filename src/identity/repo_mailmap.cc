#include "identity/repo_mailmap.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "git/object_db.h"
#include "git/objects.h"

namespace sei::identity {

namespace {

namespace fs = std::filesystem;

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

std::string_view TrimLine(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.remove_suffix(1);
  }
  return s;
}

// The sha `refname` points at through loose refs and packed-refs, following
// symbolic refs; "" when the ref does not exist (an unborn branch).
Result<std::string> ResolveRef(const std::string& git_dir, std::string refname) {
  for (int depth = 0; depth < 5; ++depth) {
    std::string text;
    if (ReadWholeFile(git_dir + "/" + refname, &text)) {
      std::string_view v = TrimLine(text);
      if (v.rfind("ref: ", 0) == 0) {
        refname = std::string(v.substr(5));
        continue;
      }
      return std::string(v);
    }
    std::string packed;
    if (!ReadWholeFile(git_dir + "/packed-refs", &packed)) return std::string();
    std::istringstream lines(packed);
    std::string line;
    while (std::getline(lines, line)) {
      std::string_view l = TrimLine(line);
      if (l.size() > 41 && l[40] == ' ' && l.substr(41) == refname) {
        return std::string(l.substr(0, 40));
      }
    }
    return std::string();
  }
  return DataLossError("HEAD of " + git_dir + " is a chain of more than 5 symbolic refs");
}

Result<std::string> ReadObject(git::ObjectReader& reader, const git::ObjectId& id,
                               git::ObjectType want, const std::string& git_dir) {
  git::ObjectType type = git::ObjectType::kNone;
  std::string data;
  SEI_RETURN_IF_ERROR(reader.Read(id, &type, &data));
  if (type != want) {
    return DataLossError("object " + id.Hex() + " in " + git_dir + " is a " +
                         std::string(git::ObjectTypeName(type)) + ", expected a " +
                         std::string(git::ObjectTypeName(want)));
  }
  return data;
}

// HEAD:.mailmap of a bare repository.
Result<Mailmap> ReadHeadMailmap(const std::string& git_dir) {
  SEI_ASSIGN_OR_RETURN(std::string head, ResolveRef(git_dir, "HEAD"));
  if (head.empty()) return Mailmap();  // unborn HEAD: no history, no mailmap
  std::optional<git::ObjectId> commit_id = git::ObjectId::FromHex(head);
  if (!commit_id) {
    return DataLossError("HEAD of " + git_dir + " points at '" + head + "', not an object id");
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<git::ObjectDb> db, git::ObjectDb::Open(git_dir));
  std::unique_ptr<git::ObjectReader> reader = db->NewReader();
  SEI_ASSIGN_OR_RETURN(std::string raw,
                       ReadObject(*reader, *commit_id, git::ObjectType::kCommit, git_dir));
  SEI_ASSIGN_OR_RETURN(git::Commit commit, git::ParseCommit(raw));
  SEI_ASSIGN_OR_RETURN(std::string tree,
                       ReadObject(*reader, commit.tree, git::ObjectType::kTree, git_dir));
  git::TreeIterator it(tree);
  git::TreeEntry entry;
  while (it.Next(&entry)) {
    if (entry.name != ".mailmap") continue;
    if ((entry.mode & 0170000) == 0040000 || entry.mode == 0160000) break;  // not a blob
    SEI_ASSIGN_OR_RETURN(std::string blob,
                         ReadObject(*reader, entry.id, git::ObjectType::kBlob, git_dir));
    return Mailmap::Parse(blob);
  }
  SEI_RETURN_IF_ERROR(it.status());
  return Mailmap();
}

}  // namespace

Result<Mailmap> ReadRepoMailmap(const std::string& location) {
  std::error_code ec;
  if (location.empty() || location.find("://") != std::string::npos) return Mailmap();
  const fs::path root(location);
  if (fs::exists(root / ".git", ec)) {
    const std::string file = (root / ".mailmap").string();
    struct stat st;
    if (lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return Mailmap();
    std::string text;
    if (!ReadWholeFile(file, &text)) {
      return UnavailableError("cannot read " + file + ": check its permissions");
    }
    return Mailmap::Parse(text);
  }
  if (fs::is_regular_file(root / "HEAD", ec) && fs::is_directory(root / "objects", ec)) {
    Result<Mailmap> m = ReadHeadMailmap(location);
    if (!m.ok()) return m.status().WithContext("reading HEAD:.mailmap of " + location);
    return m;
  }
  return Mailmap();  // gone, or not a repository: nothing to honour
}

}  // namespace sei::identity
