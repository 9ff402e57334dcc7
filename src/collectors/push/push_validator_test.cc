#include "collectors/push/push_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fakes/fake_clock.h"

namespace sei::collectors::push {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1769860800;  // 2026-01-31T12:00:00Z

class PushValidatorTest : public ::testing::Test {
 protected:
  // field -> reason, so each test names the fields it expects.
  std::map<std::string, std::string> Errors(const Validated<PushItem>& v) {
    std::map<std::string, std::string> out;
    for (const FieldError& e : v.errors()) out[e.field] = e.reason;
    return out;
  }

  FakeClock clock_{kNow * 1000};
  PushValidator validator_{clock_};
};

TEST_F(PushValidatorTest, ValidDeploymentBecomesNamespacedRow) {
  auto v = validator_.Validate(PushKind::kDeployment, "ci",
                               R"({"id": "ext-123", "environment": "prod-eu", "service": "api",
        "repo": "api", "commits": ["ABCDEF1", "abcdef1", "0123456789abcdef0123456789abcdef01234567"],
        "result": "success", "started_at": "2026-01-31T11:50:00Z",
        "finished_at": "2026-01-31T13:00:00+01:00", "url": "https://ci.example.com/1"})");
  ASSERT_TRUE(v.ok()) << v.ToStatus().ToString();
  const PushItem& item = v.value();
  EXPECT_EQ(item.connection_id, "push:ci");
  EXPECT_EQ(item.external_id, "ext-123");
  EXPECT_EQ(item.received_at, kNow);
  const auto& d = std::get<PushedDeployment>(item.row);
  EXPECT_EQ(d.deployment.id, "push:ci:deployment:ext-123");
  EXPECT_EQ(d.deployment.environment_type, "production");  // derived from "prod-eu"
  EXPECT_EQ(d.deployment.started_at, kNow - 600);
  EXPECT_EQ(d.deployment.finished_at, kNow);  // 13:00+01:00 is 12:00Z
  // Lowercased and de-duplicated.
  EXPECT_EQ(d.commits,
            (std::vector<std::string>{"abcdef1", "0123456789abcdef0123456789abcdef01234567"}));
  EXPECT_FALSE(item.body.empty());
}

// 12:00+01:00 is 11:00Z, earlier than 11:50Z: offsets count.
TEST_F(PushValidatorTest, OffsetsCountWhenOrderingTimes) {
  auto v = validator_.Validate(PushKind::kDeployment, "ci",
                               R"({"id": "x", "environment": "production", "result": "success",
        "started_at": "2026-01-31T11:50:00Z", "finished_at": "2026-01-31T12:00:00+01:00"})");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(Errors(v)["finished_at"], HasSubstr("must not be earlier than started_at"));
}

TEST_F(PushValidatorTest, EveryInvalidFieldIsReportedAtOnce) {
  auto v = validator_.Validate(PushKind::kDeployment, "ci",
                               R"({"id": "", "environment": 5, "environment_type": "prod",
        "repo": "api", "commit_sha": "xyz", "commits": ["abcdef1", "nothex!", 7],
        "result": "ok", "started_at": "yesterday", "finished_at": "2026-01-31 12:00:00",
        "url": 3, "colour": "blue"})");
  ASSERT_FALSE(v.ok());
  auto e = Errors(v);
  EXPECT_EQ(e.size(), 11u) << v.ToStatus().ToString();
  EXPECT_EQ(e["id"], "must not be empty");
  EXPECT_EQ(e["environment"], "must be a string");
  EXPECT_THAT(e["environment_type"],
              HasSubstr("must be one of production, staging, testing, development"));
  EXPECT_THAT(e["commit_sha"], HasSubstr("7 to 64 hex digits"));
  EXPECT_THAT(e["commits[1]"], HasSubstr("hex digits"));
  EXPECT_THAT(e["commits[2]"], HasSubstr("must be a string"));
  EXPECT_EQ(e.count("commits[0]"), 0u);
  EXPECT_THAT(e["result"],
              HasSubstr("must be one of success, failure, rolled_back, cancelled, running"));
  EXPECT_EQ(e["started_at"], "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z");
  EXPECT_EQ(e["finished_at"], "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z");
  EXPECT_EQ(e["url"], "must be a string");
  EXPECT_EQ(e["colour"], "unknown field");
  EXPECT_THAT(v.ToStatus().message(), HasSubstr("11 invalid fields"));
}

TEST_F(PushValidatorTest, RequiredFieldsAndBodyShape) {
  auto v = validator_.Validate(PushKind::kDeployment, "ci", "{}");
  auto e = Errors(v);
  EXPECT_EQ(e.size(), 4u);
  for (const char* f : {"id", "environment", "result", "started_at"})
    EXPECT_EQ(e[f], "is required");
  EXPECT_THAT(Errors(validator_.Validate(PushKind::kDeployment, "ci", "[1]"))[""],
              HasSubstr("must be a JSON object"));
  EXPECT_THAT(Errors(validator_.Validate(PushKind::kDeployment, "ci", "{\"id\":"))[""],
              HasSubstr("not valid JSON"));
}

TEST_F(PushValidatorTest, LimitsOnStringsUrlsAndCommits) {
  const std::string long_env(1025, 'e');
  const std::string ok_url = "https://x/" + std::string(2000, 'u');
  const std::string long_url = "https://x/" + std::string(2039, 'u');  // 2049 bytes
  std::string commits = "[";
  for (int i = 0; i <= 10000; ++i) commits += std::string(i ? "," : "") + "\"abcdef1\"";
  commits += "]";
  const std::string base =
      R"("id": "x", "result": "success", "started_at": "2026-01-31T12:00:00Z")";
  auto v = validator_.Validate(PushKind::kDeployment, "ci",
                               "{" + base + ", \"environment\": \"" + long_env + "\", \"url\": \"" +
                                   long_url + "\", \"repo\": \"r\", \"commits\": " + commits + "}");
  auto e = Errors(v);
  EXPECT_THAT(e["environment"], HasSubstr("at most 1024 bytes"));
  EXPECT_THAT(e["url"], HasSubstr("at most 2048 bytes"));
  EXPECT_THAT(e["commits"], HasSubstr("at most 10000 commits (it lists 10001)"));
  auto ok = validator_.Validate(
      PushKind::kDeployment, "ci",
      "{" + base + R"(, "environment": "production", "url": ")" + ok_url + "\"}");
  EXPECT_TRUE(ok.ok()) << ok.ToStatus().ToString();
  std::string sha65(65, 'a');
  EXPECT_THAT(Errors(validator_.Validate(PushKind::kDeployment, "ci",
                                         "{" + base + R"(, "environment": "p", "commit_sha": ")" +
                                             sha65 + "\"}"))["commit_sha"],
              HasSubstr("65 characters"));
}

TEST_F(PushValidatorTest, CommitRangeRules) {
  const std::string base =
      R"("id": "x", "environment": "staging", "result": "success", "started_at": "2026-01-31T12:00:00Z")";
  auto v = validator_.Validate(
      PushKind::kDeployment, "ci",
      "{" + base + R"(, "repo": "api", "commit_range": {"from": "aaaaaaa", "to": "BBBBBBB"}})");
  ASSERT_TRUE(v.ok()) << v.ToStatus().ToString();
  const auto& d = std::get<PushedDeployment>(v.value().row);
  EXPECT_EQ(d.deployment.commit_sha, "bbbbbbb");
  EXPECT_EQ(d.range_from, "aaaaaaa");
  EXPECT_EQ(d.deployment.environment_type, "staging");
  auto bad = validator_.Validate(
      PushKind::kDeployment, "ci",
      "{" + base +
          R"(, "commit_sha": "ccccccc", "commits": ["aaaaaaa"], "commit_range": {"to": "bbbbbbb", "x": 1}})");
  auto e = Errors(bad);
  EXPECT_EQ(e["commit_range.from"], "is required");
  EXPECT_EQ(e["commit_range.x"], "unknown field");
  EXPECT_EQ(e["commit_range"], "give either commits or commit_range, not both");
  EXPECT_EQ(e["commit_sha"], "must equal commit_range.to when both are given");
  EXPECT_THAT(e["repo"], HasSubstr("is required with commits"));
}

TEST_F(PushValidatorTest, ConnectionNames) {
  EXPECT_EQ(PushValidator::ConnectionIdFor("ci-prod_2").value(), "push:ci-prod_2");
  for (const char* bad : {"", "-ci", "_ci", "CI", "ci.prod", "ci:x", "c i"}) {
    auto v = PushValidator::ConnectionIdFor(bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_EQ(v.errors()[0].field, "connection");
  }
  EXPECT_TRUE(PushValidator::ConnectionIdFor(std::string(64, 'a')).ok());
  EXPECT_FALSE(PushValidator::ConnectionIdFor(std::string(65, 'a')).ok());
  EXPECT_FALSE(validator_.Validate(PushKind::kDeployment, "Bad", "{}").ok());
}

TEST_F(PushValidatorTest, Incident) {
  auto v = validator_.Validate(PushKind::kIncident, "pager",
                               R"({"id": "inc-1", "title": "API down", "service": "api",
        "severity": "sev1", "created_at": "2026-01-31T10:00:00Z",
        "resolved_at": "2026-01-31T11:00:00Z", "deployment_id": "ext-123"})");
  ASSERT_TRUE(v.ok()) << v.ToStatus().ToString();
  const auto& inc = std::get<model::Incident>(v.value().row);
  EXPECT_EQ(inc.id, "push:pager:incident:inc-1");
  EXPECT_EQ(inc.status, "resolved");  // resolved_at given, status absent
  EXPECT_EQ(inc.deployment_id, "push:pager:deployment:ext-123");
  EXPECT_EQ(inc.resolved_at, kNow - 3600);
  auto bad = validator_.Validate(PushKind::kIncident, "pager",
                                 R"({"id": "i", "title": "t", "status": "open",
        "created_at": "2026-01-31T10:00:00Z", "resolved_at": "2026-01-31T09:00:00Z"})");
  auto e = Errors(bad);
  EXPECT_THAT(e["resolved_at"], HasSubstr("must not be earlier than created_at"));
  EXPECT_THAT(e["status"], HasSubstr("must be resolved"));
  auto resolved_without_time = validator_.Validate(
      PushKind::kIncident, "pager",
      R"({"id": "i", "title": "t", "status": "resolved", "created_at": "2026-01-31T10:00:00Z"})");
  EXPECT_EQ(Errors(resolved_without_time)["resolved_at"], "is required when status is resolved");
}

TEST_F(PushValidatorTest, PullRequestAndIssue) {
  auto pr = validator_.Validate(PushKind::kPullRequest, "gerrit",
                                R"({"id": "c/42", "repo": "api", "number": 42, "title": "Fix",
        "state": "merged", "created_at": "2026-01-30T10:00:00Z",
        "merged_at": "2026-01-31T10:00:00Z", "labels": ["bug"], "head_sha": "ABCDEF12"})");
  ASSERT_TRUE(pr.ok()) << pr.ToStatus().ToString();
  const auto& p = std::get<model::PullRequest>(pr.value().row);
  EXPECT_EQ(p.id, "push:gerrit:pr:c/42");
  EXPECT_EQ(p.labels, "[\"bug\"]");
  EXPECT_EQ(p.head_sha, "abcdef12");
  auto bad_pr = validator_.Validate(PushKind::kPullRequest, "gerrit",
                                    R"({"id": "c/43", "repo": "api", "number": -1, "title": "x",
        "state": "merged", "created_at": "2026-01-30T10:00:00Z", "is_draft": "no"})");
  auto e = Errors(bad_pr);
  EXPECT_THAT(e["number"], HasSubstr("between 0 and"));
  EXPECT_EQ(e["merged_at"], "is required when state is merged");
  EXPECT_EQ(e["is_draft"], "must be true or false");

  auto issue = validator_.Validate(PushKind::kIssue, "tracker",
                                   R"({"id": "T-1", "key": "T-1", "title": "Login", "type": "bug",
        "status": "Done", "status_category": "done", "story_points": 3,
        "created_at": "2026-01-30T10:00:00Z", "epic_id": "T-0"})");
  ASSERT_TRUE(issue.ok()) << issue.ToStatus().ToString();
  EXPECT_EQ(std::get<model::Issue>(issue.value().row).epic_id, "push:tracker:issue:T-0");
  auto bad_issue = validator_.Validate(PushKind::kIssue, "tracker",
                                       R"({"id": "T-2", "key": "T-2", "title": "x", "type": "chore",
        "status": "Open", "status_category": "open", "created_at": "2026-01-30T10:00:00Z"})");
  auto ei = Errors(bad_issue);
  EXPECT_THAT(ei["type"], HasSubstr("must be one of bug, feature"));
  EXPECT_THAT(ei["status_category"], HasSubstr("must be one of todo, in_progress, done"));
}

TEST_F(PushValidatorTest, GenericBodiesNameTheirKind) {
  auto v = validator_.ValidateGeneric("hook", R"({"kind": "incident", "id": "i1", "title": "t",
        "created_at": "2026-01-31T10:00:00Z"})");
  ASSERT_TRUE(v.ok()) << v.ToStatus().ToString();
  EXPECT_EQ(v.value().kind, PushKind::kIncident);
  auto e = Errors(validator_.ValidateGeneric("hook", R"({"kind": "build", "id": "b"})"));
  EXPECT_THAT(e["kind"], HasSubstr("must be one of deployment, incident"));
}

TEST_F(PushValidatorTest, ResolveBody) {
  EXPECT_EQ(validator_.ValidateResolve("").value(), kNow);
  EXPECT_EQ(validator_.ValidateResolve("{}").value(), kNow);
  EXPECT_EQ(validator_.ValidateResolve(R"({"resolved_at": "2026-01-31T11:00:00Z"})").value(),
            kNow - 3600);
  auto bad = validator_.ValidateResolve(R"({"resolved_at": 5, "why": "x"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors().size(), 2u);
}

TEST_F(PushValidatorTest, EnvironmentTypes) {
  EXPECT_EQ(PushValidator::EnvironmentTypeOf("Production"), "production");
  EXPECT_EQ(PushValidator::EnvironmentTypeOf("pre-prod"), "staging");
  EXPECT_EQ(PushValidator::EnvironmentTypeOf("qa"), "testing");
  EXPECT_EQ(PushValidator::EnvironmentTypeOf("dev-1"), "development");
  EXPECT_EQ(PushValidator::EnvironmentTypeOf("eu-west"), "");
}

}  // namespace
}  // namespace sei::collectors::push
