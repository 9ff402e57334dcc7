// LineDiffer, CountLines and IsBinary against git itself (and the byte
// primitives of line_scan.h on their own). Hand-written cases are checked
// both against expected numbers and against git; then seeded
// random pairs built to reach every branch of git's diff (see
// line_diff_fuzz.h) are compared with `git diff --no-index --numstat`, many
// pairs per git run.
//
// Environment, for longer runs by hand:
//   SEI_LINE_DIFF_FUZZ_ROUNDS  rounds of random pairs (default 6, 300 pairs each)
//   SEI_LINE_DIFF_FUZZ_SEED    first round's seed (default 1)
//   SEI_KEEP_TEST_DIRS         keep the files of a failing round
// The comparison over a real repository's history is in
// line_diff_history_test.cc.
#include "git/line_diff.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "git/line_diff_fuzz.h"
#include "git/line_scan.h"
#include "testing/test_util.h"

namespace sei::git {
namespace {

using sei::testing::RunCommand;
using sei::testing::TempDir;
using sei::testing::WriteFile;

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoll(v) : fallback;
}

std::string Repeat(const std::string& line, int times) {
  std::string s;
  for (int i = 0; i < times; ++i) s += line;
  return s;
}

// Numbered lines "<prefix>first\n" .. "<prefix>last\n".
std::string Numbered(int first, int last, const std::string& prefix = "") {
  std::string s;
  for (int i = first; i <= last; ++i) s += prefix + std::to_string(i) + "\n";
  return s;
}

// What `git diff --no-index --numstat a b` prints for the files of
// dir/a and dir/b (same names on both sides), by file name. Identical
// files are absent. Sets *ok to false when git fails.
std::map<std::string, LineCounts> GitNumstat(const std::string& dir, bool* ok) {
  auto r = RunCommand({"git", "diff", "--no-index", "--numstat", "--no-renames", "--no-ext-diff",
                       "--no-textconv", "--diff-algorithm=myers", "a", "b"},
                      dir, {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C"});
  *ok = r.exit_code == 0 || r.exit_code == 1;
  EXPECT_TRUE(*ok) << "git diff exited " << r.exit_code << ": " << r.err;
  std::map<std::string, LineCounts> rows;
  size_t pos = 0;
  while (pos < r.out.size()) {
    size_t end = r.out.find('\n', pos);
    if (end == std::string::npos) end = r.out.size();
    const std::string line = r.out.substr(pos, end - pos);
    pos = end + 1;
    const size_t t1 = line.find('\t');
    const size_t t2 = line.find('\t', t1 + 1);
    if (t1 == std::string::npos || t2 == std::string::npos || line[0] == '-') {
      ADD_FAILURE() << "unexpected numstat line: " << line;
      *ok = false;
      continue;
    }
    rows[line.substr(line.rfind('/') + 1)] = {std::stoll(line.substr(0, t1)),
                                              std::stoll(line.substr(t1 + 1, t2 - t1 - 1))};
  }
  return rows;
}

TEST(IsBinaryTest, NulInTheFirst8000Bytes) {
  EXPECT_FALSE(IsBinary(""));
  EXPECT_FALSE(IsBinary("plain text\n"));
  EXPECT_TRUE(IsBinary(std::string("\0", 1)));
  EXPECT_TRUE(IsBinary(std::string("a\0b", 3)));
  std::string late(9000, 'x');
  late[7999] = '\0';
  EXPECT_TRUE(IsBinary(late));
  late[7999] = 'x';
  late[8000] = '\0';
  EXPECT_FALSE(IsBinary(late));
  EXPECT_FALSE(IsBinary("\xff\xfe\x01\x7f utf-8 \xc3\xa9\n"));
}

TEST(CountLinesTest, CountsLikeGit) {
  EXPECT_EQ(CountLines(""), 0);
  EXPECT_EQ(CountLines("a"), 1);
  EXPECT_EQ(CountLines("a\n"), 1);
  EXPECT_EQ(CountLines("a\nb"), 2);
  EXPECT_EQ(CountLines("\n"), 1);
  EXPECT_EQ(CountLines("\n\n"), 2);
  EXPECT_EQ(CountLines("a\r\nb\r\n"), 2);
  EXPECT_EQ(CountLines("a\rb\r"), 1);
}

TEST(CountLinesTest, LongInputsOfEveryAlignment) {
  // Exercises the vector loop, its 255-block flush and the scalar tail.
  std::string s;
  int64_t expected = 0;
  for (int i = 0; s.size() < 20000; ++i) {
    s += std::string(static_cast<size_t>(i % 37), 'x');
    s += '\n';
    ++expected;
  }
  for (size_t cut = 0; cut < 40; ++cut) {
    const std::string_view v(s.data() + cut, s.size() - cut);
    int64_t newlines = 0;
    for (char c : v) newlines += c == '\n';
    EXPECT_EQ(CountLines(v), newlines) << cut;
    EXPECT_EQ(CountLines(v.substr(0, v.size() - 1)), newlines) << cut;  // no final newline
  }
  EXPECT_EQ(CountLines(s), expected);
  EXPECT_EQ(CountLines(std::string(100000, '\n')), 100000);
  EXPECT_EQ(CountLines(std::string(100000, 'y')), 1);
}

TEST(LineScanTest, SameBytesCommonPrefixAndSuffix) {
  // Every length up to 100 and every position of a single differing byte.
  for (size_t n = 0; n <= 100; ++n) {
    std::string x(n, 'a');
    for (size_t i = 0; i < n; ++i) x[i] = static_cast<char>('a' + i % 23);
    EXPECT_TRUE(line_scan::SameBytes(x.data(), x.data(), n)) << n;
    EXPECT_EQ(line_scan::CommonPrefix(x.data(), x.data(), n), n);
    EXPECT_EQ(line_scan::CommonSuffix(x.data() + n, x.data() + n, n), n);
    EXPECT_EQ(line_scan::HashLine(x.data(), n), line_scan::HashLine(std::string(x).data(), n));
    for (size_t i = 0; i < n; ++i) {
      std::string y = x;
      y[i] = '\n';
      EXPECT_FALSE(line_scan::SameBytes(x.data(), y.data(), n)) << n << " " << i;
      EXPECT_EQ(line_scan::CommonPrefix(x.data(), y.data(), n), i) << n << " " << i;
      EXPECT_EQ(line_scan::CommonSuffix(x.data() + n, y.data() + n, n), n - 1 - i) << n << " " << i;
      EXPECT_NE(line_scan::HashLine(x.data(), n), line_scan::HashLine(y.data(), n))
          << n << " " << i;
    }
  }
}

struct Case {
  const char* name;
  std::string old_text;
  std::string new_text;
  LineCounts expected;  // {added, deleted}
};

std::vector<Case> HandWrittenCases() {
  const std::string many_braces = Repeat("}\n", 40);
  return {
      {"empty_both", "", "", {0, 0}},
      {"empty_old", "", "a\nb\n", {2, 0}},
      {"empty_new", "a\nb\n", "", {0, 2}},
      {"empty_old_no_newline", "", "a", {1, 0}},
      {"identical", "a\nb\nc\n", "a\nb\nc\n", {0, 0}},
      {"identical_no_newline", "a\nb", "a\nb", {0, 0}},
      {"one_line_changed", "a\nb\nc\n", "a\nX\nc\n", {1, 1}},
      {"newline_added_at_end", "a\nb", "a\nb\n", {1, 1}},
      {"newline_removed_at_end", "a\nb\n", "a\nb", {1, 1}},
      {"neither_ends_in_newline", "a\nb", "a\nc", {1, 1}},
      {"line_appended_to_unterminated", "a", "a\nb", {2, 1}},
      {"line_appended", "a\n", "a\nb", {1, 0}},
      {"crlf_to_lf", "a\r\nb\r\n", "a\nb\n", {2, 2}},
      {"crlf_one_line", "a\r\nb\nc\r\n", "a\r\nB\nc\r\n", {1, 1}},
      {"lone_cr_is_not_a_line_end", "a\rb\n", "a\rc\n", {1, 1}},
      {"trailing_space", "a \nb\n", "a\nb\n", {1, 1}},
      {"line_moved", "1\n2\n3\n4\n5\n", "2\n3\n4\n5\n1\n", {1, 1}},
      {"block_moved", Numbered(1, 30), Numbered(21, 30) + Numbered(1, 20), {10, 10}},
      {"all_lines_changed", "a\nb\nc\n", "x\ny\nz\n", {3, 3}},
      {"duplicate_removed", "x\nx\nx\n", "x\nx\n", {0, 1}},
      {"blank_lines", "\n\n\n", "\n", {0, 2}},
      {"insert_between_equal_lines", "a\na\n", "a\nb\na\n", {1, 0}},
      {"prefix_and_suffix_overlap", "x\ny\nx\n", "x\ny\nx\ny\nx\n", {2, 0}},
      // A "many matches" line amid unmatched lines is discarded, so the
      // diff is not minimal: a minimal one would keep the "}" (8 and 8).
      {"discarded_brace",
       many_braces + Numbered(1, 4, "a") + "}\n" + Numbered(5, 8, "a") + many_braces,
       many_braces + Numbered(1, 4, "b") + "}\n" + Numbered(5, 8, "b") + many_braces,
       {9, 9}},
      // Over 4^10 lines, the "many matches" threshold stops growing at 1024:
      // 1501 "}" lines count as many (the uncapped threshold would be 2048).
      {"threshold_capped_at_1024",
       Repeat("}\n", 1500) + Repeat("x\n", 1050000) + Numbered(1, 4, "a") + "}\n" +
           Numbered(5, 8, "a"),
       Repeat("}\n", 1500) + Repeat("x\n", 1050000) + Numbered(1, 4, "b") + "}\n" +
           Numbered(5, 8, "b"),
       {9, 9}},
      // The threshold comes from the whole file (bogosqrt(1019) = 32), not
      // from the 9 middle lines (bogosqrt(9) = 4): 11 "}" lines are not many.
      {"threshold_from_whole_file",
       Repeat("}\n", 10) + Numbered(1, 1000, "h") + Numbered(1, 4, "a") + "}\n" +
           Numbered(5, 8, "a"),
       Repeat("}\n", 10) + Numbered(1, 1000, "h") + Numbered(1, 4, "b") + "}\n" +
           Numbered(5, 8, "b"),
       {8, 8}},
      // With fewer unmatched lines around it, the same "}" is kept.
      {"kept_brace",
       many_braces + "a\nb\n}\nc\nd\n" + many_braces,
       many_braces + "p\nq\n}\nr\ns\n" + many_braces,
       {4, 4}},
  };
}

TEST(LineDiffTest, HandWrittenCases) {
  LineDiffer differ;
  for (const Case& c : HandWrittenCases()) {
    EXPECT_EQ(differ.Count(c.old_text, c.new_text), c.expected) << c.name;
  }
}

TEST(LineDiffTest, HandWrittenCasesAgreeWithGit) {
  TempDir dir;
  const std::vector<Case> cases = HandWrittenCases();
  for (const Case& c : cases) {
    ASSERT_TRUE(WriteFile(dir.Sub(std::string("a/") + c.name), c.old_text));
    ASSERT_TRUE(WriteFile(dir.Sub(std::string("b/") + c.name), c.new_text));
  }
  bool ok = false;
  std::map<std::string, LineCounts> git = GitNumstat(dir.path(), &ok);
  ASSERT_TRUE(ok);
  for (const Case& c : cases) EXPECT_EQ(git[c.name], c.expected) << c.name;
}

TEST(LineDiffTest, NullViews) {
  LineDiffer differ;
  const std::string_view null_view;
  EXPECT_FALSE(IsBinary(null_view));
  EXPECT_EQ(CountLines(null_view), 0);
  EXPECT_EQ(differ.Count(null_view, null_view), (LineCounts{0, 0}));
  EXPECT_EQ(differ.Count(null_view, "a\nb"), (LineCounts{2, 0}));
  EXPECT_EQ(differ.Count("a\n", null_view), (LineCounts{0, 1}));
}

TEST(LineDiffTest, ScratchReuseAcrossSizes) {
  // One differ, inputs growing and shrinking: results never depend on what
  // an earlier call left in the buffers.
  LineDiffer reused;
  for (int n : {3000, 10, 5000, 1, 200, 4000, 0, 50}) {
    const std::string a = Numbered(0, n, "line ") + Repeat("}\n", n / 3);
    const std::string b = Numbered(n / 2, 2 * n, "line ") + Repeat("}\n", n / 4);
    LineDiffer fresh;
    EXPECT_EQ(reused.Count(a, b), fresh.Count(a, b)) << n;
    EXPECT_EQ(reused.Count(b, a), fresh.Count(b, a)) << n;
  }
}

TEST(LineDiffTest, LargeInputWithManySplits) {
  // 200,000 lines from a 1,000-word vocabulary, every third one replaced:
  // every line has a match, nothing is discarded, and the search cuts boxes
  // over 100,000 times. The explicit stack must cope, and git must agree.
  std::mt19937 rng(1);
  std::string a, b;
  for (int i = 0; i < 200000; ++i) {
    std::string line = std::to_string(rng() % 1000) + "\n";
    a += line;
    if (i % 3 == 0) line = std::to_string(rng() % 1000) + "\n";
    b += line;
  }
  LineDiffer differ;
  const LineCounts ours = differ.Count(a, b);
  EXPECT_EQ(ours.added, ours.deleted);
  EXPECT_GT(ours.added, 50000);
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.Sub("a/big"), a));
  ASSERT_TRUE(WriteFile(dir.Sub("b/big"), b));
  bool ok = false;
  EXPECT_EQ(GitNumstat(dir.path(), &ok)["big"], ours);
  EXPECT_EQ(differ.Count(a, a + a), (LineCounts{200000, 0}));
}

// One round: `pairs` random pairs from `seed`, one git run. Returns the
// number of pairs where LineDiffer and git disagree.
int RunFuzzRound(uint64_t seed, int pairs) {
  TempDir dir;
  testing_fuzz::PairGenerator gen(seed);
  std::vector<testing_fuzz::Pair> cases;
  for (int i = 0; i < pairs; ++i) {
    cases.push_back(gen.Next());
    EXPECT_TRUE(WriteFile(dir.Sub("a/" + std::to_string(i)), cases.back().old_text));
    EXPECT_TRUE(WriteFile(dir.Sub("b/" + std::to_string(i)), cases.back().new_text));
  }
  bool ok = false;
  std::map<std::string, LineCounts> git = GitNumstat(dir.path(), &ok);
  if (!ok) return pairs;
  LineDiffer differ;
  int mismatches = 0;
  for (int i = 0; i < pairs; ++i) {
    const LineCounts ours = differ.Count(cases[i].old_text, cases[i].new_text);
    const LineCounts theirs = git[std::to_string(i)];
    if (ours == theirs) continue;
    ++mismatches;
    ADD_FAILURE() << "seed " << seed << " pair " << i << " (" << cases[i].shape << ", "
                  << dir.Sub("a/" + std::to_string(i)) << "): ours +" << ours.added << " -"
                  << ours.deleted << ", git +" << theirs.added << " -" << theirs.deleted;
  }
  return mismatches;
}

TEST(LineDiffTest, RandomPairsEqualGitDiffNumstat) {
  const int64_t rounds = EnvInt("SEI_LINE_DIFF_FUZZ_ROUNDS", 6);
  const int64_t first_seed = EnvInt("SEI_LINE_DIFF_FUZZ_SEED", 1);
  constexpr int kPairsPerRound = 300;
  int64_t mismatches = 0;
  int64_t pairs = 0;
  for (int64_t round = 0; round < rounds && mismatches < 20; ++round) {
    mismatches += RunFuzzRound(static_cast<uint64_t>(first_seed + round), kPairsPerRound);
    pairs += kPairsPerRound;
  }
  EXPECT_EQ(mismatches, 0);
  std::printf("[ compared  ] %lld random pairs with git, %lld mismatches\n",
              static_cast<long long>(pairs), static_cast<long long>(mismatches));
}

}  // namespace
}  // namespace sei::git
