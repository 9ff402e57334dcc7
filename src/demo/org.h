// Org: one division of the demo organisation as the simulators see it:
// people with their identities in every tool, team memberships with dates,
// teams and repositories. OrgBuilder (org_builder.h) makes it; the planning,
// pull-request and delivery simulators read it.
//
// People are indexed by position; bots (dependabot, the CI bot) come after
// the humans and belong to no team. Ids follow model/ids.h under the demo's
// connections (demo_ids.h).
//
// Thread safety: immutable once built; any number of threads may read it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "demo/demo_options.h"
#include "demo/org_template.h"

namespace sei::demo {

inline constexpr int64_t kOpenEnded = std::numeric_limits<int64_t>::max();

enum class Role : uint8_t { kEngineer, kLead, kManager };

// A name and email as git records them.
struct GitIdentity {
  std::string name;
  std::string email;
};

struct DemoPerson {
  std::string slug;  // "ana.souza"
  std::string name;  // "Ana Souza"
  std::string person_id;
  GitIdentity work;      // the work email
  GitIdentity alt;       // a second identity (personal, noreply, case variant); empty email: none
  double alt_share = 0;  // share of local commits made with `alt`
  bool noreply = false;  // GitHub web commits (squash, merge) use the noreply address
  std::string noreply_email;  // <id>+<login>@users.noreply.github.com
  std::string github_login;
  int64_t github_id = 0;
  bool github_has_name = true;
  bool github_public_email = false;
  std::string github_account;   // accounts.id
  std::string jira_account_id;  // Jira's accountId ("5b10ac8d82e05b22cc7d4ef5")
  std::string jira_account;     // accounts.id
  bool jira_has_email = true;
  int32_t tz = 0;
  double off_hours = 0.05;  // chance to work outside working hours
  double pr_rate = 0;       // PRs opened per working week
  Role role = Role::kEngineer;
  bool bot = false;
  int64_t hired_at = 0;
  std::vector<std::pair<int64_t, int64_t>> away;  // vacations [from, to)
};

struct Membership {
  int team = 0;
  int person = 0;
  int64_t from = 0;
  int64_t to = kOpenEnded;  // exclusive; kOpenEnded while still a member
  std::string role;         // "manager", "lead", "engineer"
};

struct DemoRepo {
  int team = 0;
  std::string name;     // "payments-api"
  std::string id;       // demo:git:repo:payments-api
  std::string service;  // deployed service name; empty for libraries
  RepoKind kind = RepoKind::kService;
  Language language = Language::kGo;
  double merge_weights[3] = {1, 0, 0};
  int64_t created_at = 0;
  std::string url;  // https://github.example/acme/payments-api
};

struct DemoTeam {
  const TeamTemplate* tpl = nullptr;
  std::string slug;  // "payments", "d2-payments"
  std::string name;
  std::string key;  // Jira project key
  std::string id;   // demo:team:<slug>
  std::string board_id;
  std::string project_id;  // demo:project:<slug>
  std::vector<int> repos;
  int senior_reviewer = -1;  // the bottleneck's overloaded reviewer
};

// How a division works. The default organisation (division 1, also the
// first division of --scale) uses the template as is; the further divisions
// --scale adds are shaped like a large enterprise's, so that the whole
// organisation lands near 5 commits per PR and 0.3-0.4 deployments per PR:
// merge commits dominate, PRs carry more commits, and staging is deployed
// once a week rather than after every green pipeline.
struct DivisionProfile {
  bool enterprise = false;      // a further --scale division
  double commits_lambda = 1.7;  // Poisson mean of a PR's commits beyond the first
  bool weekly_staging = false;
};

struct Org {
  int unit = 0;
  DivisionProfile profile;
  uint64_t seed = 0;
  DemoWindow window;
  double size = 1.0;
  std::string division_id;  // parent team of the division
  std::string division_name;
  std::vector<DemoPerson> people;  // humans, then bots
  std::vector<Membership> memberships;
  std::vector<DemoTeam> teams;
  std::vector<DemoRepo> repos;
  int dependabot = -1;
  int ci_bot = -1;

  // People who are members of `team` at instant `t`.
  std::vector<int> MembersAt(int team, int64_t t) const;
  // Whether a person is on holiday at `t`.
  bool Away(int person, int64_t t) const;
  // The person's team at `t`, or -1.
  int TeamOf(int person, int64_t t) const;
  // How much longer than usual a team's work takes at `t`: 1 for most
  // teams; the improving team goes from 1.15 in the first weeks to 0.4 at
  // the end of the window.
  double Improvement(int team, int64_t t) const;
};

}  // namespace sei::demo
