// RangeWalker against a brute-force set difference on random histories
// (merges, several roots, missing parents), and its cost on a long history.
#include "metrics/link/range_walker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace sei::metrics::link {
namespace {

std::set<CommitIdx> Ancestors(const CommitGraph& g, const std::vector<CommitIdx>& from) {
  std::set<CommitIdx> seen;
  std::vector<CommitIdx> stack;
  for (CommitIdx c : from) {
    if (c != kNoCommit && seen.insert(c).second) stack.push_back(c);
  }
  while (!stack.empty()) {
    const CommitIdx c = stack.back();
    stack.pop_back();
    for (CommitIdx p : g.Parents(c)) {
      if (seen.insert(p).second) stack.push_back(p);
    }
  }
  return seen;
}

// A random history: each commit has one parent among the recent ones, a
// merge now and then, and a few roots; some parents are missing.
CommitGraph RandomHistory(std::mt19937* rng, int n) {
  std::vector<CommitGraph::Node> nodes;
  for (int i = 0; i < n; ++i) {
    CommitGraph::Node node;
    node.sha = "c" + std::to_string(i);
    // Skewed clocks: author times in random order, which the walk must not use.
    node.author_time = static_cast<int64_t>((*rng)() % 100000);
    if (i > 0 && (*rng)() % 50 != 0) {
      const int span = std::min(i, 12);
      node.parents.push_back("c" + std::to_string(i - 1 - static_cast<int>((*rng)() % span)));
      if ((*rng)() % 5 == 0) {
        node.parents.push_back("c" + std::to_string(static_cast<int>((*rng)() % i)));
      }
    }
    if ((*rng)() % 97 == 0) node.parents.push_back("missing" + std::to_string(i));
    nodes.push_back(std::move(node));
  }
  // Shuffle so that index order is not topological order.
  std::shuffle(nodes.begin(), nodes.end(), *rng);
  return CommitGraph::Build(std::move(nodes));
}

TEST(RangeWalkerTest, EqualsSetDifferenceOnRandomHistories) {
  std::mt19937 rng(20240601);
  for (int round = 0; round < 40; ++round) {
    const CommitGraph g = RandomHistory(&rng, 300 + round * 10);
    RangeWalker walker(g);
    for (int q = 0; q < 25; ++q) {
      std::vector<CommitIdx> tips, bases;
      for (int k = 0; k < 1 + static_cast<int>(rng() % 2); ++k) {
        tips.push_back(static_cast<CommitIdx>(rng() % g.size()));
      }
      for (int k = 0; k < static_cast<int>(rng() % 3); ++k) {
        bases.push_back(static_cast<CommitIdx>(rng() % g.size()));
      }
      std::vector<CommitIdx> got;
      walker.Walk(tips, bases, &got);
      const std::set<CommitIdx> from_tips = Ancestors(g, tips);
      const std::set<CommitIdx> from_bases = Ancestors(g, bases);
      std::set<CommitIdx> want;
      std::set_difference(from_tips.begin(), from_tips.end(), from_bases.begin(), from_bases.end(),
                          std::inserter(want, want.end()));
      const std::set<CommitIdx> got_set(got.begin(), got.end());
      ASSERT_EQ(got_set.size(), got.size()) << "a commit was output twice";
      ASSERT_EQ(got_set, want) << "round " << round << " query " << q;
      for (size_t i = 1; i < got.size(); ++i) {
        ASSERT_GE(g.Generation(got[i - 1]), g.Generation(got[i])) << "not in generation order";
      }
    }
  }
}

TEST(RangeWalkerTest, GenerationNumbersFollowParentsNotClocks) {
  const CommitGraph g = CommitGraph::Build({
      {"a", {}, 500, "x"},
      {"b", {"a"}, 100, "x"},  // authored "before" its parent
      {"c", {"b", "a"}, 50, "y"},
      {"d", {"gone"}, 0, "y"},  // parent not stored: a root, still counted as one parent
  });
  EXPECT_EQ(g.Generation(g.Find("a")), 1u);
  EXPECT_EQ(g.Generation(g.Find("b")), 2u);
  EXPECT_EQ(g.Generation(g.Find("c")), 3u);
  EXPECT_EQ(g.Generation(g.Find("d")), 1u);
  EXPECT_EQ(g.ParentCount(g.Find("d")), 1);
  EXPECT_TRUE(g.Parents(g.Find("d")).empty());
  EXPECT_TRUE(g.IsMerge(g.Find("c")));
  EXPECT_EQ(g.AuthorAccount(g.Find("c")), "y");
  EXPECT_EQ(g.Find("nope"), kNoCommit);
}

TEST(RangeWalkerTest, CostIsTheRangeNotTheHistory) {
  // A 200,000-commit line; deployments every 50 commits.
  std::vector<CommitGraph::Node> nodes;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    CommitGraph::Node node{"c" + std::to_string(i), {}, i, "dev"};
    if (i > 0) node.parents.push_back("c" + std::to_string(i - 1));
    nodes.push_back(std::move(node));
  }
  const CommitGraph g = CommitGraph::Build(std::move(nodes));
  RangeWalker walker(g);
  int64_t visited = 0;
  for (int tip = 100; tip < n; tip += 50) {
    const CommitIdx t = g.Find("c" + std::to_string(tip));
    const CommitIdx b = g.Find("c" + std::to_string(tip - 50));
    std::vector<CommitIdx> out;
    walker.Walk(std::span<const CommitIdx>(&t, 1), std::span<const CommitIdx>(&b, 1), &out);
    ASSERT_EQ(out.size(), 50u);
    visited += walker.last_visited();
  }
  // Each walk pops its 50 commits and at most the base: far below n per walk.
  EXPECT_LE(visited, static_cast<int64_t>((n / 50) * 52));
}

TEST(RangeWalkerTest, LongLivedBranchMergedLate) {
  // main: m0 - m1 - ... - m9, a branch b1..b3 forked at m1, merged at m10.
  std::vector<CommitGraph::Node> nodes;
  for (int i = 0; i < 10; ++i) {
    nodes.push_back(
        {"m" + std::to_string(i),
         i ? std::vector<std::string>{"m" + std::to_string(i - 1)} : std::vector<std::string>{}, i,
         "a"});
  }
  nodes.push_back({"b1", {"m1"}, 1, "b"});
  nodes.push_back({"b2", {"b1"}, 2, "b"});
  nodes.push_back({"b3", {"b2"}, 3, "b"});
  nodes.push_back({"m10", {"m9", "b3"}, 10, "a"});
  const CommitGraph g = CommitGraph::Build(std::move(nodes));
  RangeWalker walker(g);
  const CommitIdx tip = g.Find("m10"), base = g.Find("m9");
  std::vector<CommitIdx> out;
  walker.Walk(std::span<const CommitIdx>(&tip, 1), std::span<const CommitIdx>(&base, 1), &out);
  std::set<std::string> shas;
  for (CommitIdx c : out) shas.insert(g.Sha(c));
  EXPECT_EQ(shas, (std::set<std::string>{"m10", "b3", "b2", "b1"}));
}

}  // namespace
}  // namespace sei::metrics::link
