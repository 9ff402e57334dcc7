// The BI views' sample data (migration 0009): rows that exercise every
// rule of docs/metrics.md the metric views implement — people resolved by
// an identity link or accounts.person_id, unresolved and bot accounts,
// drafts, self-reviews, pending reviews, bots' reviews, comments on the
// diff and on the conversation, reviews after the merge, clock skew,
// staging and failed deployments, incidents, deployments placed by their
// start, and a deployment whose repository is not collected. Written
// through the Store, so src/store/bi_views_test.cc can assert the views'
// values and tests/bi/bi_metrics_parity_test.cc can compare them with the
// metrics engine on the same rows.
//
// Header-only (the store libraries are the test binary's).
//
// Thread safety: plain functions over the store given.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "model/delivery.h"
#include "model/derived.h"
#include "model/org.h"
#include "model/review.h"
#include "model/work.h"
#include "store/store.h"

namespace sei::testing::bi_sample {

inline constexpr int64_t kT0 = 1704067200;  // 2024-01-01T00:00:00Z
inline constexpr int64_t kHour = 3600;
inline constexpr const char* kRepo = "github:1:repo:acme/api";
inline constexpr const char* kAnn = "github:1:account:1";
inline constexpr const char* kAnnGit = "git:local:account:ann@acme.example";
inline constexpr const char* kBob = "github:1:account:2";
inline constexpr const char* kBot = "github:1:account:3";
inline constexpr const char* kCarol = "github:1:account:4";

inline std::string At(int64_t offset) { return FormatRfc3339Utc(kT0 + offset); }
inline std::string PrId(const std::string& number) { return "github:1:pr:acme/api/" + number; }

template <class T>
void Put(Store* store, const std::vector<T>& rows) {
  Status s = store->Upsert(rows);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

inline model::Account Account(const std::string& id, std::optional<std::string> login,
                              std::optional<std::string> person = std::nullopt) {
  model::Account a;
  a.id = id;
  a.connection_id = "github:1";
  a.source = "github";
  a.login = std::move(login);
  a.person_id = std::move(person);
  return a;
}

// Ann (two accounts, one resolved by an identity link, one by
// accounts.person_id), Bob (unresolved: his own person), dependabot
// (unflagged, a bot by the default pattern), Carol (linked to a person
// that does not exist: her own person), and a flagged CI bot.
inline void PutPeople(Store* store) {
  model::Person ann;
  ann.id = "person:ann";
  ann.display_name = "Ann Lee";
  ann.primary_email = "ann@acme.example";
  ann.created_at = kT0;
  Put(store, std::vector<model::Person>{ann});
  model::Account git_ann =
      Account("git:local:account:ann@acme.example", std::nullopt, "person:ann");
  git_ann.source = "git";
  git_ann.email = "ann@acme.example";
  model::Account ci = Account("github:1:account:9", "acme-deployer");
  ci.is_bot = true;
  Put(store, std::vector<model::Account>{Account("github:1:account:1", "ann"), git_ann,
                                         Account("github:1:account:2", "bob"),
                                         Account("github:1:account:3", "dependabot[bot]"),
                                         Account("github:1:account:4", "carol"), ci});
  model::IdentityLink link;
  link.account_id = "github:1:account:1";
  link.person_id = "person:ann";
  link.reason = "same-email";
  link.method = "auto";
  model::IdentityLink ghost = link;
  ghost.account_id = "github:1:account:4";
  ghost.person_id = "person:ghost";
  Put(store, std::vector<model::IdentityLink>{link, ghost});
}

inline model::PullRequest Pr(const std::string& n, const std::string& author, int64_t created) {
  model::PullRequest pr;
  pr.id = "github:1:pr:acme/api/" + n;
  pr.connection_id = "github:1";
  pr.repo_id = kRepo;
  pr.number = std::stoi(n);
  pr.title = "PR " + n;
  pr.state = "open";
  pr.author_account_id = author;
  pr.created_at = kT0 + created;
  return pr;
}

inline model::PrReview Review(const std::string& id, const std::string& pr, const std::string& who,
                              int64_t at, const std::string& state = "commented") {
  model::PrReview r;
  r.id = "github:1:review:" + id;
  r.pr_id = "github:1:pr:acme/api/" + pr;
  r.reviewer_account_id = who;
  r.state = state;
  r.submitted_at = kT0 + at;
  return r;
}

inline model::Deployment Deployment(const std::string& id, const std::string& env_type,
                                    const std::string& result, std::optional<int64_t> finished) {
  model::Deployment d;
  d.id = id;
  d.connection_id = "push:ci";
  d.repo_id = kRepo;
  d.environment = env_type == "production" ? "prod" : env_type;
  d.environment_type = env_type;
  d.commit_sha = std::string(40, 'a');
  d.result = result;
  if (finished) {
    d.started_at = kT0 + *finished - 60;
    d.finished_at = kT0 + *finished;
  }
  return d;
}

inline model::DeploymentChange Change(const std::string& deployment, const std::string& change,
                                      std::optional<std::string> pr, int64_t first_commit,
                                      const std::string& author) {
  model::DeploymentChange c;
  c.deployment_id = deployment;
  c.change_id = change;
  c.repo_id = kRepo;
  c.pr_id = std::move(pr);
  c.head_sha = std::string(40, 'b');
  c.first_commit_at = kT0 + first_commit;
  c.commits = 1;
  c.author_account_id = author;
  c.link_method = "graph";
  return c;
}

inline model::Incident Incident(const std::string& id, int64_t created,
                                std::optional<int64_t> resolved) {
  model::Incident i;
  i.id = id;
  i.connection_id = "push:pager";
  i.service = "api";
  i.title = "Incident " + id;
  i.status = resolved ? "resolved" : "triggered";
  i.created_at = kT0 + created;
  if (resolved) i.resolved_at = kT0 + *resolved;
  return i;
}

inline void PutRepo(Store* store) {
  model::Repo repo;
  repo.id = kRepo;
  repo.connection_id = "github:1";
  repo.name = "acme/api";
  repo.location = "https://example.com/acme/api.git";
  repo.default_branch = "main";
  repo.created_at = kT0 - 86400;
  ASSERT_TRUE(store->UpsertRepo(repo).ok());
}

// Pull requests #1 to #4, their commits, reviews and comments, and the
// deployments that shipped them (src/store/bi_views_test.cc,
// PrFlowStagesFollowTheDefinitions, says what each shows).
inline void PutPrCases(Store* store) {
  PutPeople(store);
  const std::string ann = "github:1:account:1", bob = "github:1:account:2",
                    bot = "github:1:account:3", carol = "github:1:account:4";
  // #1: drafted, reviewed (Ann's other account, a bot and a pending review
  // do not count; Carol's comment on the diff is the first review), merged,
  // deployed to production twice (the first successful one counts).
  model::PullRequest p1 = Pr("1", ann, 1000);
  p1.state = "merged";
  p1.ready_at = kT0 + 1500;
  p1.merged_at = kT0 + 3000;
  // #2: no commits, reviewed before it was ready, merged, never deployed.
  model::PullRequest p2 = Pr("2", bob, 1000);
  p2.state = "merged";
  p2.merged_at = kT0 + 1200;
  // #3: its commit is later than its opening (coding 0), reviewed only after
  // the merge, "deployed" before the merge (bad data: no deploy time).
  model::PullRequest p3 = Pr("3", ann, 500);
  p3.state = "merged";
  p3.merged_at = kT0 + 1000;
  // #4: open, by a bot, reviewed by Ann.
  model::PullRequest p4 = Pr("4", bot, 1000);
  Put(store, std::vector<model::PullRequest>{p1, p2, p3, p4});
  auto commit = [](const std::string& pr, const std::string& sha, int64_t at) {
    model::PrCommit c;
    c.pr_id = "github:1:pr:acme/api/" + pr;
    c.commit_sha = std::string(40, sha[0]);
    c.authored_at = kT0 + at;
    return c;
  };
  Put(store, std::vector<model::PrCommit>{commit("1", "1", 900), commit("1", "2", 400),
                                          commit("3", "3", 1200)});
  Put(store,
      std::vector<model::PrReview>{
          Review("1", "1", "git:local:account:ann@acme.example", 1600), Review("2", "1", bot, 1700),
          Review("3", "1", bob, 1800, "pending"), Review("4", "1", bob, 2500, "approved"),
          Review("5", "2", ann, 900), Review("6", "3", bob, 1100), Review("7", "4", ann, 2000)});
  model::PrComment diff;
  diff.id = "github:1:review-comment:1";
  diff.pr_id = p1.id;
  diff.author_account_id = carol;
  diff.kind = "review";
  diff.created_at = kT0 + 2000;
  model::PrComment talk = diff;  // on the conversation: not a review
  talk.id = "github:1:issue-comment:1";
  talk.kind = "issue";
  talk.created_at = kT0 + 1550;
  Put(store, std::vector<model::PrComment>{diff, talk});
  Put(store, std::vector<model::Deployment>{
                 Deployment("d-staging", "staging", "success", 4000),
                 Deployment("d-failed", "production", "failure", 3500),
                 Deployment("d-first", "production", "success", 5000),
                 Deployment("d-later", "production", "success", 6000),
                 Deployment("d-early", "production", "success", 900),
             });
  Put(store, std::vector<model::DeploymentChange>{Change("d-staging", p1.id, p1.id, 400, ann),
                                                  Change("d-failed", p1.id, p1.id, 400, ann),
                                                  Change("d-later", p1.id, p1.id, 400, ann),
                                                  Change("d-first", p1.id, p1.id, 400, ann),
                                                  Change("d-early", p3.id, p3.id, 1200, ann)});
}

// Deployments d1 to d11, incidents and changes (DoraViewsFollowTheDefinitions).
inline void PutDoraCases(Store* store) {
  PutPeople(store);
  PutRepo(store);
  const int64_t h = 3600;
  model::Deployment started_only = Deployment("d8", "production", "success", std::nullopt);
  started_only.started_at = kT0 + 30 * h;
  model::Deployment gone = Deployment("d10", "production", "failure", 12 * h);
  gone.repo_id = "github:1:repo:acme/gone";  // not collected: placed by its service
  gone.service = "billing";
  model::Deployment billing = Deployment("d11", "production", "success", 14 * h);
  billing.repo_id.reset();
  billing.service = "billing";
  Put(store, std::vector<model::Deployment>{
                 Deployment("d1", "production", "success", 1 * h),
                 Deployment("d2", "production", "failure", 2 * h),
                 Deployment("d3", "production", "cancelled", 3 * h),
                 Deployment("d4", "production", "success", 4 * h),
                 Deployment("d5", "production", "success", 26 * h),
                 Deployment("d6", "production", "rolled_back", 27 * h),
                 Deployment("d7", "staging", "success", 1 * h),
                 started_only,
                 Deployment("d9", "production", "success", std::nullopt),  // no time: no row
                 gone,
                 billing,
             });
  Put(store, std::vector<model::Incident>{Incident("i1", 4 * h + 100, 4 * h + 700),
                                          Incident("i2", 4 * h + 200, 5 * h),
                                          Incident("i3", 26 * h + 10, std::nullopt)});
  auto link = [](const std::string& i, const std::string& d) {
    model::IncidentDeployment l;
    l.incident_id = i;
    l.deployment_id = d;
    l.link_method = "service-window";
    return l;
  };
  Put(store,
      std::vector<model::IncidentDeployment>{link("i2", "d4"), link("i1", "d4"), link("i3", "d5")});
  Put(store,
      std::vector<model::DeploymentChange>{
          Change("d1", "c-ann", "github:1:pr:acme/api/1", 1 * h - 500, "github:1:account:1"),
          Change("d1", "c-bot", "github:1:pr:acme/api/2", 1 * h - 100, "github:1:account:3"),
          Change("d1", "c-skew", std::nullopt, 1 * h + 20, "git:local:account:ann@acme.example"),
          Change("d7", "c-staging", std::nullopt, 0, "github:1:account:2"),
          Change("d4", "c-bob", std::nullopt, 2 * h, "github:1:account:2"),
      });
}

}  // namespace sei::testing::bi_sample
