// EdgeCaseHistory: the script behind BuildEdgeCaseRepo (repo_builder.h). It
// writes, as `git fast-import` streams, a history holding every case that
// breaks naive git history collectors; see BuildEdgeCaseRepo for the list.
//
// The repository is built in three steps because fast-import cannot write a
// tree with the historical file mode 100664: FirstPass() (a stream), then
// WriteLegacyModeCommit() (mktree + commit-tree on top of main), then
// SecondPass() (a stream continuing from that commit, using the first pass's
// marks through --export-marks/--import-marks).
//
// Thread safety: an EdgeCaseHistory is owned by one thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "testing/fast_import_stream.h"

namespace sei::testing {

class EdgeCaseHistory {
 public:
  // The stream for everything before the 100664 commit.
  std::string FirstPass();
  // Adds, on top of main, a commit whose root tree lists legacy-mode-a.txt
  // (same blob) and legacy-mode-b.txt (new content) with mode 100664, and
  // moves main to it. Returns its id.
  Result<std::string> WriteLegacyModeCommit(const std::string& dir);
  // The stream that continues main from `legacy_commit` and writes the tags.
  Result<std::string> SecondPass(const std::string& dir, const std::string& legacy_commit);

 private:
  static constexpr int64_t kNow = INT64_MIN;

  // What Begin() writes; setters chain: Spec("msg\n").On("topic").By(2).
  struct Spec {
    explicit Spec(std::string m) : message(std::move(m)) {}
    Spec& On(std::string b) { return Set(&branch, std::move(b)); }
    Spec& By(int person) { return Set(&author, person); }
    Spec& CommittedBy(int person) { return Set(&committer, person); }
    Spec& From(std::string parent) { return Set(&from, std::move(parent)); }
    Spec& Merging(std::vector<std::string> m) { return Set(&merges, std::move(m)); }
    Spec& Encoding(std::string e) { return Set(&encoding, std::move(e)); }
    Spec& At(int64_t t) { return Set(&author_time, t); }
    Spec& CommittedAt(int64_t t) { return Set(&committer_time, t); }
    Spec& Zone(std::string z) { return Set(&tz, std::move(z)); }

    std::string message;
    std::string branch = "main";
    int author = 0;                   // index into the people table
    int committer = -1;               // -1: the author
    std::string from;                 // "": the branch tip (a root for a new branch)
    std::vector<std::string> merges;  // branch names or marks
    std::string encoding;             // "": no encoding header
    int64_t author_time = kNow;       // kNow: the running clock
    int64_t committer_time = kNow;    // kNow: the author time
    std::string tz;                   // "": the next zone in the rotation

   private:
    template <typename T, typename V>
    Spec& Set(T* field, V&& value) {
      *field = std::forward<V>(value);
      return *this;
    }
  };

  // Starts a commit; file commands follow on s_. Returns its mark.
  std::string Begin(const Spec& spec);
  // Deletes refs/heads/`branch`.
  void DeleteBranch(const std::string& branch);

  void Basics();
  void Binaries();
  void Renames();
  void Paths();
  void Identities();
  void LineEndings();
  void MissingNewlines();
  void Submodules();
  void LinksAndModes();
  void LargeFiles();
  void DirectorySwaps();
  void HeavyDiffs();
  void Dates();
  void TopicMerges();
  void OctopusAndOrphans();
  void ReleaseAndDeletedBranches();
  void BackMergeAndFastForward();
  void Tags(const std::string& dir);

  FastImportStream s_;
  std::map<std::string, std::string> tips_;   // branch -> mark or id
  std::map<std::string, std::string> saved_;  // named marks for later steps
  int64_t clock_ = 1262336400;                // 2010-01-01 09:00 UTC
  int commits_ = 0;
};

}  // namespace sei::testing
