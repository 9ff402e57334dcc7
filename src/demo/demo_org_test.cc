// The default demo organisation at half its activity (the same people, teams,
// repositories, habits and cadences; half the PRs and pushes, so each test
// process sets it up quickly), generated once: referential integrity (every
// sha a row names exists in the stored graph, timestamps in order, planning
// rows point at existing issues) and the realism the dashboards rely on
// (weekly rhythm, the review bottleneck, the improving team, failure rates).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "demo/demo_ids.h"
#include "demo/demo_test_util.h"
#include "demo/org_builder.h"
#include "demo/work_hours.h"
#include "model/delivery.h"
#include "model/org.h"
#include "model/review.h"
#include "model/work.h"

namespace sei::demo {
namespace {

template <class T>
std::vector<T> All(Store& store) {
  auto rows = store.List<T>();
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? std::move(rows).value() : std::vector<T>();
}

double Median(std::vector<double> v) {
  EXPECT_FALSE(v.empty());
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The default organisation and indexes over its rows.
class DemoOrgTest : public ::testing::Test {
 protected:
  struct Data {
    DemoDb db;
    std::unordered_map<std::string, model::Commit> commits;  // by repo_id + " " + sha
    std::unordered_map<std::string, std::vector<std::string>> parents;
    std::vector<model::PullRequest> prs;
    std::unordered_map<std::string, std::vector<model::PrCommit>> pr_commits;
    std::unordered_map<std::string, int64_t> first_review;
    std::vector<model::Deployment> deployments;
    std::map<std::string, std::string> team_of_repo;  // repo id -> team slug
  };
  static Data* data_;

  static void SetUpTestSuite() {
    data_ = new Data;
    data_->db = GenerateDemo(SmallOptions(0.5));
    Store& s = *data_->db.store;
    for (model::Commit& c : All<model::Commit>(s)) {
      const std::string key = c.repo_id + " " + c.sha;
      data_->commits.emplace(key, std::move(c));
    }
    for (const model::CommitParent& p : All<model::CommitParent>(s)) {
      data_->parents[p.repo_id + " " + p.sha].push_back(p.parent_sha);
    }
    data_->prs = All<model::PullRequest>(s);
    for (model::PrCommit& c : All<model::PrCommit>(s)) data_->pr_commits[c.pr_id].push_back(c);
    for (auto& [pr, commits] : data_->pr_commits) {
      std::sort(commits.begin(), commits.end(),
                [](const auto& a, const auto& b) { return a.ordinal < b.ordinal; });
    }
    for (const model::PrReview& r : All<model::PrReview>(s)) {
      auto [it, fresh] = data_->first_review.emplace(r.pr_id, *r.submitted_at);
      if (!fresh) it->second = std::min(it->second, *r.submitted_at);
    }
    data_->deployments = All<model::Deployment>(s);
    for (const model::ProjectScope& p : All<model::ProjectScope>(s)) {
      if (p.kind == "repo" && p.project_id.find("checkout") == std::string::npos) {
        data_->team_of_repo[p.scope_id] = p.project_id.substr(p.project_id.rfind(':') + 1);
      }
    }
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }

  static const model::Commit* Find(const std::string& repo, const std::string& sha) {
    auto it = data_->commits.find(repo + " " + sha);
    return it == data_->commits.end() ? nullptr : &it->second;
  }
  static bool IsBot(const model::PullRequest& pr) {
    return *pr.author_account_id == GitHubAccountId(49699333);
  }
  static DemoWindow Window() { return data_->db.summary.window; }
};

DemoOrgTest::Data* DemoOrgTest::data_ = nullptr;

TEST_F(DemoOrgTest, HasTheOrganisationsShape) {
  const DemoCounts& c = data_->db.summary.counts;
  EXPECT_GE(c.people, 40);
  EXPECT_EQ(c.teams, 7);  // six teams and their division
  EXPECT_EQ(c.repos, 30);
  EXPECT_GT(c.prs, 2000);
  EXPECT_GT(c.commits, 8000);
  for (int k = 0; k < 3; ++k) {
    EXPECT_GT(c.merged[k], 250) << "merge kind " << k;
  }
  EXPECT_GT(c.closed, 50);
  EXPECT_GT(c.open, 10);
  EXPECT_GE(c.incidents_open, 2);
  auto connections = All<model::Connection>(*data_->db.store);
  std::set<std::string> ids;
  for (const auto& conn : connections) ids.insert(conn.id);
  EXPECT_EQ(ids, (std::set<std::string>{"demo:ci", "demo:git", "demo:github", "demo:jira",
                                        "demo:pager"}));
}

TEST_F(DemoOrgTest, EveryShaARowNamesIsInTheGraph) {
  for (const auto& [key, parents] : data_->parents) {
    const std::string repo = key.substr(0, key.find(' '));
    const model::Commit& child = data_->commits.at(key);
    for (const std::string& p : parents) {
      const model::Commit* parent = Find(repo, p);
      ASSERT_NE(parent, nullptr) << key << " parent " << p;
      EXPECT_LE(parent->committer_time, child.committer_time) << key;
    }
  }
  for (const model::Deployment& d : data_->deployments) {
    const model::Commit* c = Find(*d.repo_id, *d.commit_sha);
    ASSERT_NE(c, nullptr) << d.id;
    EXPECT_LE(c->committer_time, *d.started_at) << d.id;
  }
  for (const model::PullRequest& pr : data_->prs) {
    ASSERT_NE(Find(pr.repo_id, *pr.base_sha), nullptr) << pr.id;
    if (pr.state == "merged") {
      const model::Commit* m = Find(pr.repo_id, *pr.merge_sha);
      ASSERT_NE(m, nullptr) << pr.id;
      EXPECT_EQ(m->committer_time, *pr.merged_at) << pr.id;
    }
    if (pr.state == "open") {
      EXPECT_NE(Find(pr.repo_id, *pr.head_sha), nullptr) << pr.id;
    }
  }
  for (const model::Ref& r : All<model::Ref>(*data_->db.store)) {
    EXPECT_NE(Find(r.repo_id, *r.commit_sha), nullptr) << r.repo_id << " " << r.name;
  }
}

TEST_F(DemoOrgTest, MergesAreConsistentWithTheGraphThreeWays) {
  int merge = 0, squash = 0, rebase = 0;
  for (const model::PullRequest& pr : data_->prs) {
    if (pr.state != "merged") continue;
    const auto& commits = data_->pr_commits.at(pr.id);
    const model::Commit* m = Find(pr.repo_id, *pr.merge_sha);
    size_t in_graph = 0;
    for (const auto& c : commits) in_graph += Find(pr.repo_id, c.commit_sha) != nullptr;
    if (m->parent_count == 2) {  // merge commit: the PR's commits stay reachable
      ++merge;
      EXPECT_EQ(in_graph, commits.size()) << pr.id;
      EXPECT_EQ(data_->parents.at(pr.repo_id + " " + *pr.merge_sha)[1], *pr.head_sha) << pr.id;
      continue;
    }
    EXPECT_EQ(in_graph, 0u) << pr.id;  // squash and rebase: only in pr_commits
    // A rebase copies each commit keeping author email and time; the last copy is merge_sha.
    const model::PrCommit& last = commits.back();
    if (m->author_time == *last.authored_at && m->author_time != *pr.merged_at) {
      ++rebase;
      const model::Commit* copy = m;
      for (size_t i = commits.size(); i-- > 0;) {
        ASSERT_NE(copy, nullptr) << pr.id;
        EXPECT_EQ(copy->author_time, *commits[i].authored_at) << pr.id;
        EXPECT_EQ(copy->committer_email, "noreply@github.com");
        copy = Find(pr.repo_id, data_->parents.at(pr.repo_id + " " + copy->sha)[0]);
      }
    } else {
      ++squash;
      EXPECT_EQ(m->author_time, *pr.merged_at) << pr.id;
      EXPECT_NE(m->message.find("(#" + std::to_string(pr.number) + ")"), std::string::npos);
    }
  }
  EXPECT_GT(merge, 250);
  EXPECT_GT(squash, 250);
  EXPECT_GT(rebase, 150);
}

TEST_F(DemoOrgTest, PullRequestTimestampsAreOrdered) {
  // first commit <= created <= first review <= merged <= first production deploy.
  std::map<std::string, std::vector<std::pair<int64_t, std::string>>> prod;  // repo -> (at, sha)
  for (const model::Deployment& d : data_->deployments) {
    if (d.environment == "production" && d.result == "success") {
      prod[*d.repo_id].emplace_back(*d.started_at, *d.commit_sha);
    }
  }
  int deployed = 0;
  for (const model::PullRequest& pr : data_->prs) {
    int64_t first = INT64_MAX;
    for (const auto& c : data_->pr_commits.at(pr.id)) first = std::min(first, *c.authored_at);
    EXPECT_LE(first, pr.created_at) << pr.id;
    if (pr.ready_at) {
      EXPECT_LE(pr.created_at, *pr.ready_at) << pr.id;
    }
    auto review = data_->first_review.find(pr.id);
    if (review != data_->first_review.end()) {
      EXPECT_LE(pr.ready_at.value_or(pr.created_at), review->second) << pr.id;
      if (pr.merged_at) {
        EXPECT_LE(review->second, *pr.merged_at) << pr.id;
      }
    }
    if (!pr.merged_at) continue;
    // Deployed when a production deployment's commit is the merge or a descendant on main.
    for (const auto& [at, sha] : prod[pr.repo_id]) {
      const model::Commit* c = Find(pr.repo_id, sha);
      if (c->committer_time < *pr.merged_at) continue;
      EXPECT_LE(*pr.merged_at, at) << pr.id;
      ++deployed;
      break;
    }
  }
  EXPECT_GT(deployed, 1000);
}

TEST_F(DemoOrgTest, PlanningRowsPointAtExistingIssues) {
  Store& s = *data_->db.store;
  std::unordered_set<std::string> issues, sprints;
  std::map<std::string, int> types;
  for (const auto& i : All<model::Issue>(s)) {
    issues.insert(i.id);
    ++types[i.type];
  }
  for (const auto& i : All<model::Issue>(s)) {
    if (i.epic_id) {
      EXPECT_TRUE(issues.count(*i.epic_id)) << i.id;
    }
    if (i.status_category == "done") {
      EXPECT_TRUE(i.resolved_at.has_value()) << i.id;
    }
  }
  for (const auto& sp : All<model::Sprint>(s)) sprints.insert(sp.id);
  int committed = 0, added = 0, carried = 0;
  std::map<std::string, int> sprints_of_issue;
  for (const auto& si : All<model::SprintIssue>(s)) {
    EXPECT_TRUE(issues.count(si.issue_id)) << si.issue_id;
    EXPECT_TRUE(sprints.count(si.sprint_id)) << si.sprint_id;
    (si.committed ? committed : added)++;
    if (++sprints_of_issue[si.issue_id] == 2) ++carried;
  }
  for (const auto& c : All<model::IssueStatusChange>(s)) {
    EXPECT_TRUE(issues.count(c.issue_id));
  }
  for (const char* t : {"story", "bug", "task", "epic"}) {
    EXPECT_GT(types[t], 5) << t;
  }
  EXPECT_GT(committed, 1000);
  EXPECT_GT(added, 100);   // scope added mid-sprint
  EXPECT_GT(carried, 50);  // carried over into the next sprint
}

TEST_F(DemoOrgTest, IdentitiesGiveResolutionRealWork) {
  Store& s = *data_->db.store;
  const Org org = OrgBuilder(SmallOptions(0.5), Window()).Build(0);
  std::set<std::string> emails;
  for (const auto& [key, c] : data_->commits) emails.insert(c.author_email);
  int two_emails = 0, noreply = 0;
  for (const DemoPerson& p : org.people) {
    if (p.bot || p.alt.email.empty()) continue;
    if (emails.count(p.work.email) && emails.count(p.alt.email)) ++two_emails;
    if (p.alt.email.find("users.noreply.github.com") != std::string::npos &&
        emails.count(p.alt.email))
      ++noreply;
  }
  EXPECT_GE(two_emails, 8);
  EXPECT_GE(noreply, 1);
  EXPECT_TRUE(emails.count("49699333+dependabot[bot]@users.noreply.github.com"));
  EXPECT_TRUE(emails.count("ci-bot@acme.example"));
  int bot_prs = 0;
  for (const auto& pr : data_->prs) bot_prs += IsBot(pr);
  EXPECT_GT(bot_prs, 100);
  // Every account a row names exists (git ones come from the commits).
  std::unordered_set<std::string> accounts;
  for (const auto& a : All<model::Account>(s)) accounts.insert(a.id);
  for (const auto& [key, c] : data_->commits) {
    ASSERT_TRUE(accounts.count(c.author_account_id)) << key;
  }
  for (const auto& pr : data_->prs) {
    ASSERT_TRUE(accounts.count(*pr.author_account_id)) << pr.id;
  }
  for (const auto& i : All<model::Issue>(s)) {
    if (i.assignee_account_id) {
      ASSERT_TRUE(accounts.count(*i.assignee_account_id)) << i.id;
    }
  }
  // Memberships change: a move between teams, people leaving, people joining late.
  std::map<std::string, std::set<std::string>> teams_of;
  int left = 0, late = 0;
  for (const auto& m : All<model::TeamMember>(s)) {
    teams_of[m.person_id].insert(m.team_id);
    left += m.left_at.has_value();
    late += m.joined_at > Window().start;
  }
  int movers = 0;
  for (const auto& [person, teams] : teams_of) movers += teams.size() > 1;
  EXPECT_GE(movers, 1);
  EXPECT_GE(left, 3);
  EXPECT_GE(late, 3);
}

TEST_F(DemoOrgTest, CommitsFollowAWeeklyRhythm) {
  int64_t total = 0, weekend = 0;
  std::set<int64_t> zones;
  for (const auto& [key, c] : data_->commits) {
    if (c.author_time < Window().start) continue;
    ++total;
    weekend += IsWeekend(LocalDay(c.author_time, static_cast<int32_t>(c.author_tz)));
    zones.insert(c.author_tz);
  }
  const double share = static_cast<double>(weekend) / static_cast<double>(total);
  EXPECT_LT(share, 0.15);
  EXPECT_GT(share, 0.005);  // but some
  EXPECT_GE(zones.size(), 6u);
}

TEST_F(DemoOrgTest, SearchHasAReviewBottleneck) {
  std::map<std::string, std::vector<double>> pickup;
  for (const model::PullRequest& pr : data_->prs) {
    auto review = data_->first_review.find(pr.id);
    if (IsBot(pr) || review == data_->first_review.end()) continue;
    pickup[data_->team_of_repo.at(pr.repo_id)].push_back(
        static_cast<double>(review->second - pr.ready_at.value_or(pr.created_at)));
  }
  ASSERT_EQ(pickup.size(), 6u);
  const double search = Median(pickup["search"]);
  for (const auto& [team, times] : pickup) {
    if (team != "search") {
      EXPECT_GT(search, 2.0 * Median(times)) << team;
    }
    // Long-tailed: the 90th percentile is several times the median.
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_GT(sorted[sorted.size() * 9 / 10], 3.0 * Median(times)) << team;
  }
}

TEST_F(DemoOrgTest, MobileHalvesItsCycleTime) {
  const int64_t q1_end = Window().start + (Window().end - Window().start) / 4;
  const int64_t q4_start = Window().end - (Window().end - Window().start) / 4;
  std::map<std::string, std::vector<double>> q1, q4;
  for (const model::PullRequest& pr : data_->prs) {
    if (IsBot(pr) || !pr.merged_at || *pr.merged_at < Window().start) continue;
    int64_t first = INT64_MAX;
    for (const auto& c : data_->pr_commits.at(pr.id)) first = std::min(first, *c.authored_at);
    const std::string& team = data_->team_of_repo.at(pr.repo_id);
    const double cycle = static_cast<double>(*pr.merged_at - first);
    if (*pr.merged_at < q1_end) q1[team].push_back(cycle);
    if (*pr.merged_at >= q4_start) q4[team].push_back(cycle);
  }
  EXPECT_LT(Median(q4["mobile"]), 0.7 * Median(q1["mobile"]));
  for (const char* steady : {"payments", "platform", "data"}) {
    EXPECT_GT(Median(q4[steady]), 0.75 * Median(q1[steady])) << steady;
  }
}

TEST_F(DemoOrgTest, DeliveryHasRealisticFailuresAndCadences) {
  int64_t prod = 0, failed = 0;
  std::map<std::string, std::set<int64_t>> days;  // team -> production deployment days
  for (const model::Deployment& d : data_->deployments) {
    if (d.environment != "production" || *d.started_at < Window().start) continue;
    ++prod;
    failed += d.result == "failure" || d.result == "rolled_back";
    days[data_->team_of_repo.at(*d.repo_id)].insert(*d.started_at / kDay);
  }
  const double share = static_cast<double>(failed) / static_cast<double>(prod);
  EXPECT_GE(share, 0.05);
  EXPECT_LE(share, 0.15);
  const double weeks = static_cast<double>(Window().end - Window().start) / kWeek;
  EXPECT_GT(static_cast<double>(days["payments"].size()) / weeks, 3.5);  // daily
  for (const char* weekly : {"platform", "mobile", "growth", "search", "data"}) {
    EXPECT_LT(static_cast<double>(days[weekly].size()) / weeks, 2.5) << weekly;
  }
  int64_t staging = 0, linked = 0, open = 0;
  for (const model::Deployment& d : data_->deployments) staging += d.environment == "staging";
  EXPECT_GT(staging, prod);  // staging is deployed more often
  for (const auto& i : All<model::Incident>(*data_->db.store)) {
    linked += i.deployment_id.has_value();
    open += !i.resolved_at.has_value();
  }
  EXPECT_GT(linked, 3);
  EXPECT_GE(open, 2);
}

TEST_F(DemoOrgTest, AboutOneInTenMainCommitsIsPushedWithoutAPr) {
  std::unordered_set<std::string> pr_shas;
  for (const auto& [pr, commits] : data_->pr_commits) {
    for (const auto& c : commits) pr_shas.insert(c.commit_sha);
  }
  int64_t total = 0, direct = 0;
  for (const auto& [key, c] : data_->commits) {
    if (c.committer_time < Window().start) continue;
    ++total;
    direct += c.committer_email != "noreply@github.com" && !pr_shas.count(c.sha);
  }
  const double share = static_cast<double>(direct) / static_cast<double>(total);
  EXPECT_GT(share, 0.05);
  EXPECT_LT(share, 0.15);
}

}  // namespace
}  // namespace sei::demo
