// Issue timelines, wait statuses, investment categories and label parsing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "metrics/flow/investment.h"
#include "metrics/flow/issue_timeline.h"

namespace sei::metrics::flow {
namespace {

constexpr int64_t kDay = 86400;

// A Dataset with one issue and the given changes (from, to, category, at).
struct Fixture {
  Dataset ds;
  void Issue(const std::string& status, const std::string& category, int64_t created,
             std::optional<int64_t> resolved = std::nullopt) {
    DsIssue i;
    i.id = "i";
    i.status = status;
    i.status_category = category;
    i.created_at = created;
    i.resolved_at = resolved;
    ds.issues.push_back(i);
  }
  void Change(std::optional<std::string> from, std::string to, std::string to_category,
              int64_t at) {
    DsStatusChange c;
    c.issue = 0;
    c.from_status = std::move(from);
    c.to_status = std::move(to);
    c.to_category = std::move(to_category);
    c.at = at;
    ds.status_changes.push_back(c);
    ds.issues[0].changes = {0, static_cast<uint32_t>(ds.status_changes.size())};
  }
  IssueTimeline Build() {
    IssueTimeline t;
    t.Build(ds, ds.issues[0]);
    return t;
  }
};

TEST(IssueTimelineTest, ReopenedIssueIsDoneAtItsLastEntryIntoDone) {
  Fixture f;
  f.Issue("Closed", "done", 0, 9 * kDay);
  f.Change("To Do", "In Progress", "in_progress", 1 * kDay);
  f.Change("In Progress", "Done", "done", 2 * kDay);
  f.Change("Done", "In Progress", "in_progress", 5 * kDay);
  f.Change("In Progress", "Done", "done", 6 * kDay);
  f.Change("Done", "Closed", "done", 7 * kDay);  // still done: does not move done_at
  IssueTimeline t = f.Build();
  ASSERT_TRUE(t.done_at().has_value());
  EXPECT_EQ(*t.done_at(), 6 * kDay);
  const ProgressTime p = t.InProgressBefore(*t.done_at(), WaitStatuses({}));
  EXPECT_TRUE(p.started);
  EXPECT_EQ(p.total, 2 * kDay);  // day 1-2 and day 5-6
  ASSERT_NE(t.At(3 * kDay), nullptr);
  EXPECT_EQ(t.At(3 * kDay)->category, Category::kDone);
  EXPECT_EQ(t.At(5 * kDay)->status, "In Progress");  // a change counts from its instant
  EXPECT_EQ(t.At(-1), nullptr);                      // before creation
  EXPECT_FALSE(t.broken_chain());
  EXPECT_FALSE(t.off_status());
}

TEST(IssueTimelineTest, NotDoneNowMeansNotDoneEvenIfOnceDone) {
  Fixture f;
  f.Issue("In Progress", "in_progress", 0);
  f.Change("To Do", "Done", "done", 1 * kDay);
  f.Change("Done", "In Progress", "in_progress", 2 * kDay);
  IssueTimeline t = f.Build();
  EXPECT_FALSE(t.done());
  EXPECT_FALSE(t.done_at().has_value());
}

TEST(IssueTimelineTest, ZeroLengthStatesVanishAndEqualNeighboursMerge) {
  Fixture f;
  f.Issue("In Progress", "in_progress", 0);
  f.Change("To Do", "In Progress", "in_progress", 0);  // at creation: replaces To Do
  f.Change("In Progress", "Blocked", "in_progress", kDay);
  f.Change("Blocked", "In Progress", "in_progress", kDay);  // zero length: Blocked vanishes
  IssueTimeline t = f.Build();
  ASSERT_EQ(t.segments().size(), 1u);
  EXPECT_EQ(t.segments()[0].status, "In Progress");
  EXPECT_EQ(t.segments()[0].end, kForever);
}

TEST(IssueTimelineTest, WithoutChangesADoneIssueWasTodoUntilResolved) {
  Fixture f;
  f.Issue("Done", "done", 0, 3 * kDay);
  IssueTimeline t = f.Build();
  EXPECT_TRUE(t.no_changes());
  EXPECT_EQ(*t.done_at(), 3 * kDay);
  EXPECT_FALSE(t.InProgressBefore(3 * kDay, WaitStatuses({})).started);
  Fixture g;
  g.Issue("Done", "done", 0);  // done, never resolved: no instant to place it
  EXPECT_FALSE(g.Build().done_at().has_value());
}

TEST(IssueTimelineTest, InconsistentChangesAreFlaggedAndTrustedForTheirTarget) {
  Fixture f;
  f.Issue("Done", "done", 0, 4 * kDay);
  f.Change("To Do", "In Progress", "in_progress", kDay);
  f.Change("In Review", "Doing", "in_progress", 2 * kDay);  // claims another origin
  IssueTimeline t = f.Build();
  EXPECT_TRUE(t.broken_chain());
  EXPECT_TRUE(t.off_status());        // changes end in progress, the issue is done
  EXPECT_EQ(*t.done_at(), 4 * kDay);  // closed at its resolution
  const ProgressTime p = t.InProgressBefore(*t.done_at(), WaitStatuses({"doing"}));
  EXPECT_EQ(p.total, 3 * kDay);
  EXPECT_EQ(p.waiting, 2 * kDay);  // "Doing" matches "doing" case-insensitively
}

TEST(WaitStatusesTest, MatchesWholeNamesCaseInsensitively) {
  WaitStatuses w({"In Review", "blocked"});
  EXPECT_TRUE(w.Contains("in review"));
  EXPECT_TRUE(w.Contains("BLOCKED"));
  EXPECT_FALSE(w.Contains("review"));
  EXPECT_FALSE(w.Contains(""));
}

TEST(InvestmentTest, TypesMapToCategories) {
  EXPECT_EQ(InvestmentOf("story"), Investment::kFeature);
  EXPECT_EQ(InvestmentOf("Feature"), Investment::kFeature);
  EXPECT_EQ(InvestmentOf("defect"), Investment::kBug);
  EXPECT_EQ(InvestmentOf("sub-task"), Investment::kTask);
  EXPECT_EQ(InvestmentOf("chore"), Investment::kTask);
  EXPECT_EQ(InvestmentOf("incident"), Investment::kIncident);
  EXPECT_EQ(InvestmentOf("epic"), Investment::kEpic);
  EXPECT_EQ(InvestmentOf("spike"), Investment::kOther);
  EXPECT_EQ(InvestmentOf(""), Investment::kOther);
}

std::vector<std::string> Labels(std::string_view text) {
  std::vector<std::string> out;
  ForEachLabel(text, [&](std::string_view l) { out.emplace_back(l); });
  return out;
}

TEST(LabelsTest, ReadsJsonArraysAndCommaSeparatedText) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Labels(R"(["ui", "tech-debt"])"), (V{"ui", "tech-debt"}));
  EXPECT_EQ(Labels(R"(["a \"quoted\" one","caf\u00e9","x,y"])"),
            (V{"a \"quoted\" one", "caf\xc3\xa9", "x,y"}));
  EXPECT_EQ(Labels("[]"), V{});
  EXPECT_EQ(Labels(R"([" ", ""])"), V{});
  EXPECT_EQ(Labels("backend, ops ,,"), (V{"backend", "ops"}));
  EXPECT_EQ(Labels(""), V{});
  EXPECT_EQ(Labels(R"(["bad \u12"])"), V{"bad ?"});  // a broken escape does not throw
}

}  // namespace
}  // namespace sei::metrics::flow
