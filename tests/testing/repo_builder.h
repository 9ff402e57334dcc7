// Repository builders for git collection tests: a deterministic repository
// holding every case that breaks naive history collectors, plus helpers that
// grow or rewrite a branch the way pushes and force-pushes do, so that
// incremental collection can be tested.
//
// Everything is written with `git fast-import` (and a few plumbing commands:
// mktree, commit-tree, pack-refs) with fixed identities and dates, so the same
// call produces the same object ids on every machine and every git version
// (repo_builder_test pins the ids). Git runs with no system or global
// configuration, so a developer's ~/.gitconfig cannot change the result.
//
// Thread safety: functions are thread-safe as long as no two calls work on the
// same directory at the same time.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace sei::testing {

// Runs `git -C dir args...` with a hermetic environment (no system or global
// config, GIT_DIR and friends unset, C locale) plus `env` entries
// ("NAME=value"), feeding `input` on stdin. Returns stdout, or an error
// holding the command and its stderr when git exits non-zero.
Result<std::string> RunGit(const std::string& dir, const std::vector<std::string>& args,
                           const std::string& input = "", const std::vector<std::string>& env = {});

// stdout of RunGit with one trailing newline removed; "" when git fails.
// Convenient in test assertions.
std::string GitOutput(const std::string& dir, const std::vector<std::string>& args);

// Creates a repository at `dir` (created when missing, must be empty) whose
// branches and tags reach, among others:
//  - normal edits, empty commits, an empty message, a message with no final
//    newline, a Latin-1 message with an `encoding ISO-8859-1` header;
//  - merges (two-parent, "evil" with an extra change, unrelated-history,
//    main merged into a topic), an octopus merge with 4 parents, a
//    fast-forward, an orphan root with an empty tree;
//  - binary files (NUL at byte 0, at byte 7999 = binary, at byte 8000 = text,
//    UTF-16), binary <-> text changes, a 2 MiB binary and a 4 MiB text file,
//    both edited;
//  - renames (pure, with edits, case-only), a file replaced by a directory of
//    the same name and back, a whole directory deleted;
//  - paths with spaces, tabs, quotes, backslashes, newlines, CR, Latin-1
//    bytes, NFC and NFD accents, CJK and emoji;
//  - authors in UTF-8 (accents, CJK, emoji), in Latin-1, "Philip H.", an
//    empty email; committer != author;
//  - CRLF, LF <-> CRLF conversions, CR-only and mixed line endings, missing
//    final newlines added, removed and toggled, an empty file;
//  - gitlinks (mode 160000) added, changed and removed; file <-> gitlink and
//    file <-> symlink type changes; 100644 <-> 100755 alone and with edits;
//    a tree with the historical mode 100664 (kept by later commits, then
//    normalised);
//  - thousands of identical `}` lines heavily edited; a 5000-line file with
//    3000 scattered changes;
//  - time zones +1400 -1200 +0545 -0330 +1245 -0930 -0000 ..., the epoch, a
//    pre-1970 (negative) author date (git fsck reports badDateOverflow), the
//    2038 boundary, the year 2100, a child older than its parent;
//  - a lightweight tag, annotated tags on commits, a tree and a blob, a tag on
//    a tag, a commit reachable only through a tag, a divergent release
//    branch, a topic deleted after its merge, an abandoned (unreachable)
//    topic, a commit reachable only from refs/remotes/, packed refs with a
//    newer loose ref for the same name.
// Each case's commit subject starts with its case name ("octopus: ...").
// With `bare` false the repository has a work tree with main checked out.
// Takes about a second.
Status BuildEdgeCaseRepo(const std::string& dir, bool bare = false);

// Adds `count` commits on top of `branch` (which must exist), each editing,
// adding or deleting a few files under `incremental/`. The same (branch tip,
// count, seed) always yields the same commits. A checked-out branch's work
// tree is updated.
Status AppendLinearCommits(const std::string& dir, const std::string& branch, int count, int seed);

// Creates a repository at `dir` (created when missing, must be empty; bare
// or with a work tree) whose `branch` holds `count` linear commits made as
// AppendLinearCommits makes them; HEAD names `branch`.
Status CreateLinearRepo(const std::string& dir, const std::string& branch, int count, int seed,
                        bool bare);

// Simulates a force-push: moves `branch` back `drop_last` first-parent
// commits, then adds `add_new` commits different from the dropped ones. The
// dropped commits become unreachable unless another ref holds them.
Status RewriteBranch(const std::string& dir, const std::string& branch, int drop_last, int add_new,
                     int seed);

// (subject, commit id) for each commit `git log <revs>` lists (default: those
// reachable from branches and tags); the edge-case repository's subjects are
// unique. Empty on error.
std::vector<std::pair<std::string, std::string>> SubjectsToCommits(
    const std::string& dir, const std::vector<std::string>& revs = {"--branches", "--tags"});

// The commit id whose subject starts with `prefix` among those `git log <revs>`
// lists, or "" when none or several match.
std::string CommitBySubject(const std::string& dir, const std::string& prefix,
                            const std::vector<std::string>& revs = {"--branches", "--tags"});

}  // namespace sei::testing
