// git itself as the oracle for history collection tests: what
// `git log --branches --tags --numstat --no-renames --diff-merges=first-parent`
// reports for a repository, commit by commit, with the exact bytes of paths,
// identities and messages; the refs; and the set of reachable commits.
//
// Paths come from `-z` output, so they are the raw bytes of the tree entry,
// never C-quoted. Identities and messages come from the raw commit objects
// (`git cat-file --batch`), so neither .mailmap nor i18n.logOutputEncoding
// can change them. Git runs with a hermetic environment (see RunGit in
// repo_builder.h), so no user configuration (diff.renames, diff.algorithm,
// replace refs ...) changes the counts.
//
// Thread safety: pure functions of the repository's state; calls on the
// same repository may run concurrently as long as nothing writes to it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sei::testing {

// One line of --numstat: "added\tdeleted\tpath", or "-\t-\tpath" for a binary
// file. With rename detection, renamed files carry the old path too.
struct NumstatRow {
  std::string path;      // the new path (the old one for a deletion)
  std::string old_path;  // rename detection only: the source path; else ""
  int64_t added = 0;     // 0 when binary
  int64_t deleted = 0;   // 0 when binary
  bool binary = false;   // git printed "-\t-"

  bool operator==(const NumstatRow&) const = default;
};

// An author or committer line, "name <email> time offset", split the way git
// splits it (name: bytes before the first '<', trailing spaces removed).
struct GitIdent {
  std::string name;
  std::string email;
  int64_t time = 0;        // seconds since the epoch as written; may be negative
  int offset_minutes = 0;  // "+0545" -> 345, "-0330" -> -210
  std::string offset;      // as written: "+0545", "-0000"
  std::string raw;         // the whole line after "author " / "committer "
};

struct GitCommit {
  std::string sha;
  std::string tree;
  std::vector<std::string> parents;  // in order; first parent first
  GitIdent author;
  GitIdent committer;
  std::string encoding;           // the "encoding" header; "" when absent
  std::string message;            // raw bytes after the blank line ending the header
  std::vector<NumstatRow> files;  // in git's output order
};

struct GitRef {
  std::string name;         // "refs/heads/main"
  std::string object;       // %(objectname): what the ref points at
  std::string type;         // %(objecttype): commit, tag, tree or blob
  std::string peeled;       // %(*objectname): one level of tag peeled; "" for non-tags
  std::string target;       // fully peeled (ref^{}); == object for non-tags
  std::string target_type;  // type of `target`
  std::string symref;       // %(symref): where a symbolic ref points; else ""
};

struct GitHistory {
  std::vector<std::string> order;            // commit ids in `git log` order
  std::map<std::string, GitCommit> commits;  // by id
  std::vector<GitRef> refs;                  // `git for-each-ref` order
  std::set<std::string> reachable;           // `git rev-list --branches --tags`
};

// Sums over a history, for comparing totals with a collector's.
struct NumstatTotals {
  int64_t commits = 0;
  int64_t rows = 0;
  int64_t binary_rows = 0;
  int64_t added = 0;
  int64_t deleted = 0;

  bool operator==(const NumstatTotals&) const = default;
};

// One commit's part of `git log -z --numstat --format=tformat:@%H %P`.
struct LogEntry {
  std::string sha;
  std::vector<std::string> parents;
  std::vector<NumstatRow> files;
};

// Everything above for the repository at `repo_dir` (a work tree or a git
// directory), commits reachable from branches and tags.
Result<GitHistory> ReadGitHistory(const std::string& repo_dir);

// Only the numstat rows, by commit id. `detect_renames` uses -M (git's
// default similarity, 50%) instead of --no-renames; renamed files then give
// one row with old_path set. `revs` replaces "--branches --tags".
Result<std::map<std::string, std::vector<NumstatRow>>> ReadNumstat(
    const std::string& repo_dir, bool detect_renames,
    const std::vector<std::string>& revs = {"--branches", "--tags"});

// The refs, with tags peeled one level and fully.
Result<std::vector<GitRef>> ReadRefs(const std::string& repo_dir);

// Parses the output of `git log -z --numstat --format=tformat:@%H %P`
// (with or without -M). Exposed for tests of the parser itself.
Result<std::vector<LogEntry>> ParseNumstatLog(std::string_view output);

// Parses a raw commit object (the bytes `git cat-file commit` prints).
Result<GitCommit> ParseCommitObject(std::string_view sha, std::string_view raw);

// Splits an ident line the way git does (see GitIdent).
Result<GitIdent> ParseIdent(std::string_view line);

NumstatTotals Totals(const GitHistory& history);

}  // namespace sei::testing
