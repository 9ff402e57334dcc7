// Test helpers for the object database tests (header-only, so the library's
// *.cc glob does not pick them up): a generated repository whose history has
// real deltas and every kind of object git writes, and git's own view of
// every object (`git cat-file --batch-all-objects --batch`) to compare with.
//
// Thread safety: functions are thread-safe; a generated repository belongs
// to one test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

#include "git/object_db.h"
#include "git/object_id.h"
#include "testing/test_util.h"

namespace sei::git::testutil {

struct GitObject {
  std::string type;  // "commit", "tree", "blob", "tag"
  std::string data;
};

// Every object of the repository (and its alternates), as git reads it, by
// hex id.
inline std::map<std::string, GitObject> AllObjects(const std::string& git_dir) {
  auto r = sei::testing::RunCommand(
      {"git", "--git-dir", git_dir, "cat-file", "--batch-all-objects", "--batch"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, GitObject> out;
  size_t pos = 0;
  while (pos < r.out.size()) {
    size_t nl = r.out.find('\n', pos);
    if (nl == std::string::npos) break;
    std::string header = r.out.substr(pos, nl - pos);
    size_t s1 = header.find(' '), s2 = header.find(' ', s1 + 1);
    size_t size = std::stoull(header.substr(s2 + 1));
    out[header.substr(0, s1)] = {header.substr(s1 + 1, s2 - s1 - 1), r.out.substr(nl + 1, size)};
    pos = nl + 1 + size + 1;
  }
  return out;
}

// A deterministic pseudo-random sequence (tests must not depend on seeds
// that change between runs).
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}
  uint32_t Next(uint32_t bound) {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((state_ >> 33) % bound);
  }

 private:
  uint64_t state_;
};

inline void AddFile(std::string* stream, const std::string& mode, const std::string& path,
                    const std::string& content) {
  *stream += "M " + mode + " inline " + path + "\ndata " + std::to_string(content.size()) + "\n" +
             content + "\n";
}

// Edits `text` (lines) a little: inserts, deletes or changes a few lines.
inline void Evolve(std::string* text, Lcg* rng, int step) {
  std::string out;
  size_t pos = 0;
  int line = 0;
  while (pos < text->size()) {
    size_t nl = text->find('\n', pos);
    if (nl == std::string::npos) nl = text->size() - 1;
    std::string l = text->substr(pos, nl + 1 - pos);
    pos = nl + 1;
    uint32_t r = rng->Next(100);
    if (r < 3) continue;                                                 // delete
    if (r < 5) l = "changed at step " + std::to_string(step) + " " + l;  // change
    out += l;
    if (r >= 97)
      out += "inserted line " + std::to_string(line) + " of step " + std::to_string(step) + "\n";
    ++line;
  }
  out += "appended at step " + std::to_string(step) + "\n";
  *text = out;
}

// The fast-import stream of a history of `commits` commits on main plus a
// side branch merged back (one octopus merge), with evolving text files (so
// packs hold long delta chains), a binary file, an executable, a symlink, a
// submodule entry, renames and deletions, a commit declaring ISO-8859-1,
// authors with odd zones and names ending in ".", and annotated tags.
inline std::string HistoryStream(int commits) {
  Lcg rng(42);
  std::string s;
  std::string big, small[8], binary(3000, '\0');
  for (int i = 0; i < 400; ++i) big += "line " + std::to_string(i) + " of the big file\n";
  for (int f = 0; f < 8; ++f) small[f] = "file " + std::to_string(f) + "\n";
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(rng.Next(256));
  const char* zones[] = {"+0000", "+1400", "-1200", "+0545", "-0330", "+0100"};
  for (int c = 1; c <= commits; ++c) {
    const std::string when = std::to_string(1600000000 + c * 3600);
    const std::string zone = zones[c % 6];
    const bool latin1 = c == 7;
    s += "commit refs/heads/" + std::string(c % 50 == 25 ? "side" : "main") +
         "\nmark :" + std::to_string(c) + "\n";
    s += std::string("author ") + (latin1 ? "Jos\xe9 M." : (c % 3 ? "Ann Author" : "Philip H.")) +
         " <a" + std::to_string(c % 4) + "@example.com> " + when + " " + zone + "\n";
    s += "committer C. Committer <c@example.com> " + when + " " + zone + "\n";
    if (latin1) s += "encoding ISO-8859-1\n";
    const std::string msg =
        "commit " + std::to_string(c) + "\n\nbody of " + std::to_string(c) + "\n";
    s += "data " + std::to_string(msg.size()) + "\n" + msg;
    if (c % 50 == 26) s += "merge :" + std::to_string(c - 1) + "\n";  // merge side back
    if (c == commits / 2) {  // an octopus merge: three parents
      s += "merge :25\nmerge :" + std::to_string(c - 3) + "\n";
    }
    Evolve(&big, &rng, c);
    AddFile(&s, "100644", "src/big.txt", big);
    int f = static_cast<int>(rng.Next(8));
    Evolve(&small[f], &rng, c);
    AddFile(&s, "100644", "src/small" + std::to_string(f) + ".txt", small[f]);
    if (c % 5 == 0) {
      binary[rng.Next(static_cast<uint32_t>(binary.size()))] ^= 0x5a;
      AddFile(&s, "100644", "bin/data.bin", binary);
    }
    if (c % 40 == 1)
      AddFile(&s, "100755", "tools/run.sh", "#!/bin/sh\necho " + std::to_string(c) + "\n");
    if (c % 60 == 2) AddFile(&s, "120000", "link", "src/big.txt");
    if (c == 3) s += "M 160000 0123456789abcdef0123456789abcdef01234567 vendor/sub\n";
    if (c % 70 == 69) AddFile(&s, "100644", "src/small1.txt", small[1]);
    if (c % 70 == 69) s += "R src/small1.txt src/renamed" + std::to_string(c) + ".txt\n";
    if (c % 90 == 89) s += "D bin/data.bin\n";
    s += "\n";
  }
  for (int t : {10, commits / 2, commits}) {
    const std::string msg = "release " + std::to_string(t) + "\n";
    s += "tag v" + std::to_string(t) + "\nfrom :" + std::to_string(t) +
         "\ntagger Tag Ger <t@example.com> 1700000000 +0200\ndata " + std::to_string(msg.size()) +
         "\n" + msg + "\n";
  }
  return s;
}

// Creates a repository at `dir` with the history above, every object loose.
// Returns its git directory.
inline std::string MakeLooseRepo(const std::string& dir, int commits = 300) {
  using sei::testing::RunCommand;
  using sei::testing::RunShell;
  EXPECT_EQ(RunCommand({"git", "init", "-q", "-b", "main", dir}).exit_code, 0);
  auto r = RunCommand({"git", "-C", dir, "fast-import", "--quiet"}, "", {}, HistoryStream(commits));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Tags on a tree and on a blob, as `git tag -a` writes them.
  r = RunShell(
      "git -c user.name=T -c user.email=t@x tag -a tree-tag -m 'a tree' main^{tree} && "
      "git -c user.name=T -c user.email=t@x tag -a blob-tag -m 'a blob' main:src/big.txt && "
      "mkdir -p ../packs && mv .git/objects/pack/* ../packs/ && "
      "for p in ../packs/*.pack; do git unpack-objects -q < $p; done && rm -rf ../packs",
      dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir + "/.git";
}

}  // namespace sei::git::testutil
