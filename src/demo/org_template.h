// The template of the default demo organisation: six teams, each with its
// own time zone, story and habits (merge strategy, review speed, deploy
// cadence), and five repositories each. --scale instantiates the template
// again as further divisions with new people.
//
// The stories (docs/demo.md):
//   payments  the best team: squash merges, small PRs, daily production
//             deploys, the lowest change failure rate
//   platform  shared libraries and infrastructure: merge commits, release
//             tags cut by the CI bot, weekly deploys
//   mobile    improves over the year: smaller PRs and a review rota roughly
//             halve its cycle time from the first quarter to the last
//   growth    experiments: squash merges, more PRs merged without review
//   search    a review bottleneck: one overloaded senior reviewer, pickup
//             several times longer than elsewhere
//   data      rebase merges, long-running pipeline work
//
// Thread safety: immutable constant data.
#pragma once

#include <cstdint>

namespace sei::demo {

enum class MergeKind : uint8_t { kMergeCommit = 0, kSquash = 1, kRebase = 2 };
enum class RepoKind : uint8_t { kService, kLibrary };
enum class Language : uint8_t { kGo, kTypeScript, kPython, kJava, kKotlin, kSwift, kSql, kHcl };

struct RepoTemplate {
  const char* name;
  RepoKind kind;
  Language language;
};

struct TeamTemplate {
  const char* slug;
  const char* name;
  const char* jira_key;
  int32_t tz_minutes;
  const char* city;
  const char* story;
  int people;               // members at the start (lead and manager included)
  double merge_weights[3];  // merge commit, squash, rebase
  double pickup_hours;      // median wall-clock pickup time
  double rereview_hours;    // median time to review again after rework
  double no_review_share;   // PRs merged without any review
  double prod_failure;      // production deployments that fail
  double prod_rollback;     // ... or are rolled back
  bool daily_deploys;       // production every working day (else weekly)
  int train_weekday;        // weekly teams: 0 Monday ... 4 Friday
  bool improving;           // cycle time roughly halves over the window
  bool bottleneck;          // one senior reviewer takes most reviews
  RepoTemplate repos[5];
};

inline constexpr int kTemplateTeams = 6;
const TeamTemplate& TemplateTeam(int index);

// Name pools for people (first and last names, some with diacritics).
inline constexpr int kFirstNames = 100;
inline constexpr int kLastNames = 100;
const char* FirstName(int index);
const char* LastName(int index);

// The organisation's mail domain, GitHub organisation and tool hosts.
inline constexpr const char* kMailDomain = "acme.example";
inline constexpr const char* kGitHubOrg = "acme";
inline constexpr const char* kGitHubHost = "https://github.example";
inline constexpr const char* kJiraHost = "https://acme.atlassian.example";
inline constexpr const char* kCiHost = "https://ci.acme.example";
inline constexpr const char* kPagerHost = "https://acme.pager.example";

}  // namespace sei::demo
