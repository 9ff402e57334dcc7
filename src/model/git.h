// Domain entities of source code history: repositories, commits, their
// parents, per-file line changes, and refs (branches and tags).
//
// Plain values, no I/O. Instants are Unix seconds (UTC); git offsets are
// minutes east of UTC as written by the committer. Ids are namespaced per
// source and connection (see ids.h). Commits, parents, files and refs are
// written by the git collector's bulk path and read through SQL views that
// carry the repository id and commit sha on every row.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct Repo {
  std::string id;                          // "git:local:repo:/abs/path", "github:1:repo:1296269"
  std::string connection_id;               // "git:local", "github:1"
  std::string name;                        // short display name ("main", "octocat/Hello-World")
  std::string location;                    // path or URL collected from
  std::optional<std::string> mirror_path;  // bare mirror kept in the data dir (URLs)
  std::optional<std::string> default_branch;
  std::optional<int64_t> created_at;
  std::optional<int64_t> collected_at;  // end of the last complete collection

  static constexpr const char* kTable = "repos";
  static constexpr const char* kView = "repos";
  static constexpr const char* kEntity = "repos";
  static constexpr const char* kDescription = "source code repositories";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Repo::id);
    v("connection_id", &Repo::connection_id);
    v("name", &Repo::name);
    v("location", &Repo::location);
    v("mirror_path", &Repo::mirror_path);
    v("default_branch", &Repo::default_branch);
    v("created_at", &Repo::created_at);
    v("collected_at", &Repo::collected_at);
  }
};

struct Commit {
  std::string repo_id;
  std::string sha;
  std::string tree_sha;
  std::string author_name;
  std::string author_email;
  int64_t author_time = 0;
  int64_t author_tz = 0;  // minutes east of UTC
  std::string committer_name;
  std::string committer_email;
  int64_t committer_time = 0;
  int64_t committer_tz = 0;
  std::string message;
  int64_t parent_count = 0;
  bool is_merge = false;
  int64_t files_changed = 0;
  int64_t additions = 0;  // text lines added, all files (binary files excluded)
  int64_t deletions = 0;
  bool reachable = true;  // false once no branch or tag reaches it (force-push)
  std::optional<int64_t> unreachable_since;
  std::string author_account_id;
  std::string committer_account_id;

  static constexpr const char* kTable = "commits";
  static constexpr const char* kView = "commits_v";
  static constexpr const char* kEntity = "commits";
  static constexpr const char* kDescription = "git commits reachable (or once reachable)";
  static constexpr bool kWritable = false;
  static std::vector<std::string> Key() { return {"repo_id", "sha"}; }
  template <class V>
  static void Describe(V& v) {
    v("repo_id", &Commit::repo_id);
    v("sha", &Commit::sha);
    v("tree_sha", &Commit::tree_sha);
    v("author_name", &Commit::author_name);
    v("author_email", &Commit::author_email);
    v("author_time", &Commit::author_time);
    v("author_tz", &Commit::author_tz);
    v("committer_name", &Commit::committer_name);
    v("committer_email", &Commit::committer_email);
    v("committer_time", &Commit::committer_time);
    v("committer_tz", &Commit::committer_tz);
    v("message", &Commit::message);
    v("parent_count", &Commit::parent_count);
    v("is_merge", &Commit::is_merge);
    v("files_changed", &Commit::files_changed);
    v("additions", &Commit::additions);
    v("deletions", &Commit::deletions);
    v("reachable", &Commit::reachable);
    v("unreachable_since", &Commit::unreachable_since);
    v("author_account_id", &Commit::author_account_id);
    v("committer_account_id", &Commit::committer_account_id);
  }
};

struct CommitParent {
  std::string repo_id;
  std::string sha;
  int64_t ordinal = 0;  // 0 = first parent
  std::string parent_sha;

  static constexpr const char* kTable = "commit_parents";
  static constexpr const char* kView = "commit_parents_v";
  static constexpr const char* kEntity = "commit-parents";
  static constexpr const char* kDescription = "commit graph edges, in parent order";
  static constexpr bool kWritable = false;
  static std::vector<std::string> Key() { return {"repo_id", "sha", "ordinal"}; }
  template <class V>
  static void Describe(V& v) {
    v("repo_id", &CommitParent::repo_id);
    v("sha", &CommitParent::sha);
    v("ordinal", &CommitParent::ordinal);
    v("parent_sha", &CommitParent::parent_sha);
  }
};

// How a file changed in a commit against its first parent.
enum class FileChange : char {
  kAdded = 'A',
  kModified = 'M',
  kDeleted = 'D',
  kTypeChanged = 'T',  // file <-> symlink <-> submodule
  kRenamed = 'R',      // only with rename detection on
};

struct CommitFile {
  std::string repo_id;
  std::string sha;
  int64_t idx = 0;                        // position in the commit's diff (git's order)
  std::string path;                       // UTF-8 (Latin-1 decoded when not valid UTF-8)
  std::optional<std::string> path_bytes;  // exact bytes, only when not valid UTF-8
  std::optional<std::string> old_path;    // renames only
  std::string change;                     // "A", "M", "D", "T", "R"
  std::optional<int64_t> added;           // NULL for binary files
  std::optional<int64_t> deleted;
  bool is_binary = false;
  int64_t old_mode = 0;  // 0 when added
  int64_t new_mode = 0;  // 0 when deleted

  static constexpr const char* kTable = "commit_files";
  static constexpr const char* kView = "commit_files_v";
  static constexpr const char* kEntity = "commit-files";
  static constexpr const char* kDescription =
      "per commit and file: lines added and deleted against the first parent";
  static constexpr bool kWritable = false;
  static std::vector<std::string> Key() { return {"repo_id", "sha", "idx"}; }
  template <class V>
  static void Describe(V& v) {
    v("repo_id", &CommitFile::repo_id);
    v("sha", &CommitFile::sha);
    v("idx", &CommitFile::idx);
    v("path", &CommitFile::path);
    v("path_bytes", &CommitFile::path_bytes);
    v("old_path", &CommitFile::old_path);
    v("change", &CommitFile::change);
    v("added", &CommitFile::added);
    v("deleted", &CommitFile::deleted);
    v("is_binary", &CommitFile::is_binary);
    v("old_mode", &CommitFile::old_mode);
    v("new_mode", &CommitFile::new_mode);
  }
};

struct Ref {
  std::string repo_id;
  std::string name;                       // full name: refs/heads/main, refs/tags/v1.0
  std::string kind;                       // "branch", "tag", "other"
  std::string target_sha;                 // what the ref points at directly
  std::string target_type;                // commit, tag, tree, blob
  std::optional<std::string> commit_sha;  // peeled commit; NULL for a tag on a tree/blob
  std::optional<std::string> tag_message;
  std::optional<std::string> tagger_name;
  std::optional<std::string> tagger_email;
  std::optional<int64_t> tagged_at;
  int64_t updated_at = 0;  // when the collector last saw it change

  static constexpr const char* kTable = "refs";
  static constexpr const char* kView = "refs_v";
  static constexpr const char* kEntity = "refs";
  static constexpr const char* kDescription = "branches and tags as last collected";
  static constexpr bool kWritable = false;
  static std::vector<std::string> Key() { return {"repo_id", "name"}; }
  template <class V>
  static void Describe(V& v) {
    v("repo_id", &Ref::repo_id);
    v("name", &Ref::name);
    v("kind", &Ref::kind);
    v("target_sha", &Ref::target_sha);
    v("target_type", &Ref::target_type);
    v("commit_sha", &Ref::commit_sha);
    v("tag_message", &Ref::tag_message);
    v("tagger_name", &Ref::tagger_name);
    v("tagger_email", &Ref::tagger_email);
    v("tagged_at", &Ref::tagged_at);
    v("updated_at", &Ref::updated_at);
  }
};

}  // namespace sei::model
