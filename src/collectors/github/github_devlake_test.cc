// Apache DevLake's raw GitHub rows (../shared/fixtures/devlake-e2e/github/
// raw_tables): every row of connection 1 converted one object at a time, the
// expectations computed from the raw JSON here (with nlohmann) and from
// DevLake's own converted tables (_tool_github_*.csv).
//
// Noise rows: each raw table may hold a copy of a row under another
// connection (its `params` is {"ConnectionId":2,...}, or in _raw_github_api_events
// {"ConnectionId":,...}, which is not even JSON). DevLake's _tool tables point
// only at connection 1's rows (_raw_data_id), so the copies are left out here.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "collectors/github/github_convert.h"
#include "collectors/github/github_test_util.h"
#include "metrics/link/devlake_fixture_test_util.h"

namespace sei::collectors::github {
namespace {

using metrics::link::testing_devlake::CaseDir;
using metrics::link::testing_devlake::CsvRow;
using metrics::link::testing_devlake::ReadCsv;
using nlohmann::json;
using namespace testing_github;  // NOLINT

// The connection id a raw row's params name; -1 when they name none.
int64_t ConnectionOf(const CsvRow& row) {
  const json params = json::parse(row.at("params"), nullptr, false);
  if (params.is_discarded() || !params.contains("ConnectionId") ||
      !params["ConnectionId"].is_number_integer()) {
    return -1;
  }
  return params["ConnectionId"].get<int64_t>();
}

class GithubDevLakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = CaseDir("github/raw_tables");
    if (dir_.empty()) GTEST_SKIP() << "../shared/fixtures/devlake-e2e is absent";
  }

  // Connection 1's rows of `table`, counting the others in noise_.
  std::vector<CsvRow> Rows(const std::string& table) {
    std::vector<CsvRow> out;
    for (CsvRow& r : ReadCsv(dir_ + "/" + table + ".csv")) {
      if (ConnectionOf(r) == 1) {
        out.push_back(std::move(r));
      } else {
        ++noise_[table];
      }
    }
    return out;
  }

  // Every row converted on its own, as a re-conversion from the archive would.
  ConvertedBatch Convert(RestKind kind, const std::vector<CsvRow>& rows,
                         ConvertContext ctx = Ctx()) {
    ConvertedBatch all;
    for (const CsvRow& r : rows) {
      ctx.raw_id = std::stoll(r.at("id"));
      if (kind == RestKind::kPrCommits) {
        ctx.pr_id =
            PrId(kConn, "panjf2000/ants", json::parse(r.at("input"))["Number"].get<int64_t>());
      }
      all.Append(Ok(ConvertRest(kind, r.at("data"), ctx)));
    }
    EXPECT_TRUE(all.errors.empty()) << RestKindName(kind) << ": " << all.errors[0].ToString();
    return all;
  }

  std::string dir_;
  std::map<std::string, int> noise_;
};

TEST_F(GithubDevLakeTest, PullRequestsMatchDevLakesOwnTable) {
  ConvertedBatch b = Convert(RestKind::kPulls, Rows("_raw_github_api_pull_requests"));
  EXPECT_EQ(noise_["_raw_github_api_pull_requests"], 1);  // PR #4 again, under connection 2
  ASSERT_EQ(b.prs.size(), 49u);
  std::map<int64_t, const model::PullRequest*> ours;
  for (const model::PullRequest& p : b.prs) ours[p.number] = &p;
  ASSERT_EQ(ours.size(), 49u);  // no number twice: the noise copy is out
  const std::vector<CsvRow> tool = ReadCsv(dir_ + "/_tool_github_pull_requests.csv");
  ASSERT_EQ(tool.size(), 49u);
  int merged = 0;
  for (const CsvRow& t : tool) {
    const model::PullRequest* p = ours[std::stoll(t.at("number"))];
    ASSERT_NE(p, nullptr) << t.at("number");
    const bool devlake_merged = !t.at("merged_at").empty();
    merged += devlake_merged;
    EXPECT_EQ(p->state, devlake_merged ? "merged" : t.at("state")) << p->number;
    // DevLake keeps merge_commit_sha for every PR; we only for merged ones.
    EXPECT_EQ(p->merge_sha.value_or(""), devlake_merged ? t.at("merge_commit_sha") : "");
    EXPECT_EQ(p->head_sha, t.at("head_commit_sha")) << p->number;
    EXPECT_EQ(p->base_sha, t.at("base_commit_sha")) << p->number;
    EXPECT_EQ(p->head_ref, t.at("head_ref")) << p->number;
    EXPECT_EQ(p->raw_id, std::stoll(t.at("_raw_data_id"))) << p->number;
  }
  EXPECT_EQ(merged, 26);
}

TEST_F(GithubDevLakeTest, ReviewsCommitsAndComments) {
  const std::vector<CsvRow> reviews = Rows("_raw_github_api_pull_request_reviews");
  EXPECT_EQ(noise_["_raw_github_api_pull_request_reviews"], 1);
  ConvertedBatch rb = Convert(RestKind::kReviews, reviews);
  std::map<std::string, int> want, got;
  for (const CsvRow& r : reviews) {
    std::string s = json::parse(r.at("data"))["state"];
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ++want[s];
  }
  for (const model::PrReview& r : rb.reviews) ++got[r.state];
  EXPECT_EQ(rb.reviews.size(), 30u);
  EXPECT_EQ(got, want);

  const std::vector<CsvRow> commits = Rows("_raw_github_api_pull_request_commits");
  EXPECT_EQ(noise_["_raw_github_api_pull_request_commits"], 1);
  ConvertedBatch cb = Convert(RestKind::kPrCommits, commits);
  EXPECT_EQ(cb.pr_commits.size(), 90u);
  std::set<std::pair<std::string, std::string>> keys;
  for (const model::PrCommit& c : cb.pr_commits) keys.insert({c.pr_id, c.commit_sha});
  EXPECT_EQ(keys.size(), cb.pr_commits.size());

  ConvertedBatch rc =
      Convert(RestKind::kReviewComments, Rows("_raw_github_api_pull_request_review_comments"));
  EXPECT_EQ(rc.comments.size(), 16u);
  for (const model::PrComment& c : rc.comments) EXPECT_EQ(c.kind, "review");

  // Repo-wide issue comments: only those on the 49 PRs are PR comments.
  ConvertContext ctx = Ctx();
  ctx.pr_numbers.emplace();
  ConvertedBatch prs = Convert(RestKind::kPulls, Rows("_raw_github_api_pull_requests"));
  for (const model::PullRequest& p : prs.prs) ctx.pr_numbers->push_back(p.number);
  const std::vector<CsvRow> comments = Rows("_raw_github_api_comments");
  EXPECT_EQ(noise_["_raw_github_api_comments"], 1);
  int on_prs = 0;
  for (const CsvRow& r : comments) {
    const std::string url = json::parse(r.at("data"))["issue_url"];
    const int64_t n = std::stoll(url.substr(url.rfind('/') + 1));
    on_prs += std::count(ctx.pr_numbers->begin(), ctx.pr_numbers->end(), n) > 0;
  }
  ConvertedBatch ic = Convert(RestKind::kIssueComments, comments, ctx);
  EXPECT_EQ(ic.comments.size(), static_cast<size_t>(on_prs));
  EXPECT_EQ(ic.skipped, static_cast<int64_t>(comments.size()) - on_prs);
  EXPECT_GT(on_prs, 0);
}

TEST_F(GithubDevLakeTest, IssuesSkipPullRequestsAndTypeByLabel) {
  const std::vector<CsvRow> rows = Rows("_raw_github_api_issues");
  EXPECT_EQ(noise_["_raw_github_api_issues"], 1);
  ConvertedBatch b = Convert(RestKind::kIssues, rows);
  // DevLake's own issues table: 26 issues, two of them bugs (#6, #7).
  const std::vector<CsvRow> tool = ReadCsv(dir_ + "/_tool_github_issues.csv");
  EXPECT_EQ(b.issues.size(), tool.size());
  EXPECT_EQ(b.issues.size() + static_cast<size_t>(b.skipped), rows.size());
  std::map<std::string, int> types;
  for (const model::Issue& i : b.issues) ++types[i.type];
  EXPECT_EQ(types["bug"], 2);
  EXPECT_EQ(types["feature"], 6);  // "enhancement"
  for (const model::Issue& i : b.issues) {
    if (i.type == "bug") {
      EXPECT_TRUE(i.key == "#6" || i.key == "#7") << i.key;
    }
  }
}

TEST_F(GithubDevLakeTest, RunsAndJobs) {
  const std::vector<CsvRow> runs = Rows("_raw_github_api_runs");
  ConvertedBatch rb = Convert(RestKind::kWorkflowRuns, runs);
  EXPECT_EQ(rb.pipelines.size(), runs.size());
  EXPECT_EQ(rb.pipelines.size(), 35u);
  int in_progress = 0, running = 0;
  for (const CsvRow& r : runs) in_progress += json::parse(r.at("data"))["status"] == "in_progress";
  for (const model::CiPipeline& p : rb.pipelines) running += p.status == "running";
  EXPECT_EQ(running, in_progress + 1);  // + the edited IN_PROGRESS row

  const std::vector<CsvRow> jobs = Rows("_raw_github_api_jobs");
  ConvertedBatch jb = Convert(RestKind::kJobs, jobs);
  EXPECT_EQ(jb.jobs.size(), 35u);
  int deploy_names = 0, deployments = 0;
  for (const CsvRow& r : jobs) {
    const std::string name = json::parse(r.at("data"))["name"];
    deploy_names += name.rfind("deploy", 0) == 0;
  }
  for (const model::CiJob& j : jb.jobs) deployments += j.is_deployment;
  EXPECT_EQ(deployments, deploy_names);
  EXPECT_EQ(deployments, 12);
  for (const model::CiJob& j : jb.jobs) EXPECT_TRUE(j.started_at) << j.id;
}

}  // namespace
}  // namespace sei::collectors::github
