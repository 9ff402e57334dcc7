// LineDiffer against git itself: hand-written cases, then randomised pairs
// built to hit every branch of git's diff (repeated lines and the "many
// matches" discard rule, long unique runs, big rewrites past the cost
// cut-offs, moved blocks, long snakes, missing final newlines), each compared
// with `git diff --no-index --numstat`. SEI_LINE_DIFF_FUZZ_ROUNDS raises the
// number of rounds for a longer run by hand.
#include "git/line_diff.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <sstream>

#include "testing/test_util.h"

namespace sei::git {
namespace {

using sei::testing::RunCommand;
using sei::testing::TempDir;
using sei::testing::WriteFile;

TEST(IsBinaryTest, NulInTheFirst8000Bytes) {
  EXPECT_FALSE(IsBinary(""));
  EXPECT_FALSE(IsBinary("plain text\n"));
  EXPECT_TRUE(IsBinary(std::string("a\0b", 3)));
  std::string late(9000, 'x');
  late[7999] = '\0';
  EXPECT_TRUE(IsBinary(late));
  late[7999] = 'x';
  late[8000] = '\0';
  EXPECT_FALSE(IsBinary(late));
}

TEST(CountLinesTest, CountsLikeGit) {
  EXPECT_EQ(CountLines(""), 0);
  EXPECT_EQ(CountLines("a"), 1);
  EXPECT_EQ(CountLines("a\n"), 1);
  EXPECT_EQ(CountLines("a\nb"), 2);
  EXPECT_EQ(CountLines("\n\n"), 2);
  EXPECT_EQ(CountLines("a\r\nb\r\n"), 2);
}

TEST(LineDiffTest, HandWrittenCases) {
  LineDiffer d;
  EXPECT_EQ(d.Count("", ""), (LineCounts{0, 0}));
  EXPECT_EQ(d.Count("", "a\nb\n"), (LineCounts{2, 0}));
  EXPECT_EQ(d.Count("a\nb\n", ""), (LineCounts{0, 2}));
  EXPECT_EQ(d.Count("a\nb\nc\n", "a\nb\nc\n"), (LineCounts{0, 0}));
  EXPECT_EQ(d.Count("a\nb\nc\n", "a\nX\nc\n"), (LineCounts{1, 1}));
  EXPECT_EQ(d.Count("a\nb", "a\nb\n"), (LineCounts{1, 1}));  // final newline added
  EXPECT_EQ(d.Count("a\r\nb\r\n", "a\nb\n"), (LineCounts{2, 2}));
  EXPECT_EQ(d.Count("1\n2\n3\n4\n", "3\n4\n1\n2\n"), (LineCounts{2, 2}));  // moved block
}

// Random text built from a vocabulary; small vocabularies repeat lines a lot.
std::string RandomText(std::mt19937& rng, int lines, int vocabulary, bool final_newline) {
  std::string s;
  std::uniform_int_distribution<int> word(0, vocabulary - 1);
  for (int i = 0; i < lines; ++i) {
    int w = word(rng);
    s += w % 7 == 0 ? "}" : "line " + std::to_string(w);
    if (i + 1 < lines || final_newline) s += '\n';
  }
  return s;
}

// A variant of `base`: edits, deletions, insertions, moved blocks.
std::string Mutate(std::mt19937& rng, const std::string& base, int edits, int vocabulary) {
  std::vector<std::string> lines;
  std::istringstream in(base);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::uniform_int_distribution<int> op(0, 9), word(0, vocabulary - 1);
  for (int e = 0; e < edits && !lines.empty(); ++e) {
    size_t at = std::uniform_int_distribution<size_t>(0, lines.size() - 1)(rng);
    int o = op(rng);
    if (o < 4) {
      lines[at] = "edit " + std::to_string(word(rng));
    } else if (o < 6) {
      lines.erase(lines.begin() + static_cast<long>(at));
    } else if (o < 9) {
      lines.insert(lines.begin() + static_cast<long>(at), "new " + std::to_string(word(rng)));
    } else {
      size_t len = std::min<size_t>(lines.size() - at, 1 + rng() % 40);
      std::vector<std::string> block(lines.begin() + static_cast<long>(at),
                                     lines.begin() + static_cast<long>(at + len));
      lines.erase(lines.begin() + static_cast<long>(at),
                  lines.begin() + static_cast<long>(at + len));
      size_t to = lines.empty() ? 0 : rng() % lines.size();
      lines.insert(lines.begin() + static_cast<long>(to), block.begin(), block.end());
    }
  }
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || rng() % 5 != 0) out += '\n';
  }
  return out;
}

// Runs one round of `pairs` random pairs; returns the number of mismatches.
int RunRound(uint32_t seed, int pairs) {
  std::mt19937 rng(seed);
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> cases;
  for (int i = 0; i < pairs; ++i) {
    int shape = static_cast<int>(rng() % 6);
    int lines = shape == 0  ? 1 + static_cast<int>(rng() % 20)
                : shape < 3 ? 50 + static_cast<int>(rng() % 500)
                            : 1500 + static_cast<int>(rng() % 4000);
    int vocabulary = shape == 1 ? 3 : shape == 2 ? 40 : shape == 3 ? 5000 : 200;
    int edits = shape >= 4 ? lines / (shape == 5 ? 1 : 4) : 1 + static_cast<int>(rng() % 30);
    std::string a = RandomText(rng, lines, vocabulary, rng() % 4 != 0);
    cases.push_back({a, Mutate(rng, a, edits, vocabulary * 2)});
    WriteFile(dir.Sub("a/" + std::to_string(i)), cases.back().first);
    WriteFile(dir.Sub("b/" + std::to_string(i)), cases.back().second);
  }
  auto r = RunCommand({"git", "diff", "--no-index", "--numstat", "a", "b"}, dir.path());
  EXPECT_LE(r.exit_code, 1) << r.err;
  std::map<int, LineCounts> git;
  std::istringstream out(r.out);
  for (std::string line; std::getline(out, line);) {
    size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    int idx = std::stoi(line.substr(line.rfind('/') + 1));
    git[idx] = {std::stoll(line.substr(0, t1)), std::stoll(line.substr(t1 + 1, t2 - t1 - 1))};
  }
  LineDiffer d;
  int mismatches = 0;
  for (int i = 0; i < pairs; ++i) {
    LineCounts ours = d.Count(cases[i].first, cases[i].second);
    LineCounts theirs = git.count(i) ? git[i] : LineCounts{0, 0};
    if (!(ours == theirs)) {
      ++mismatches;
      ADD_FAILURE() << "seed " << seed << " pair " << i << ": ours +" << ours.added << " -"
                    << ours.deleted << ", git +" << theirs.added << " -" << theirs.deleted;
    }
  }
  return mismatches;
}

TEST(LineDiffTest, RandomPairsEqualGitDiffNumstat) {
  const char* env = std::getenv("SEI_LINE_DIFF_FUZZ_ROUNDS");
  int rounds = env != nullptr ? std::atoi(env) : 3;
  for (int round = 0; round < rounds; ++round) {
    EXPECT_EQ(RunRound(1000u + static_cast<uint32_t>(round), 150), 0);
  }
}

}  // namespace
}  // namespace sei::git
