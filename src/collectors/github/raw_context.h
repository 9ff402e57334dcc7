// RawContext: what converting an archived GitHub payload (raw_payloads) again
// needs besides its body, stored as JSON in raw_payloads.context when the
// payload is converted (`sei reconvert`, github_reconvert.h).
//
// Why stored, not guessed from (entity, url): one archived entity holds
// several kinds (the sync archives a PR's single answer, its commits and its
// reviews all as "pull"), pages of a next link need not name their parent
// (GitHub's Link URLs may be /repositories/{id}/...), and some hints exist
// only at conversion time: the ordinal a PR's commits page starts at, the
// workflow a jobs page belongs to, which status pages a deployments page was
// converted with, which comments of a repo-wide comments page were on PRs,
// and which rows a complete listing deleted. Recorded with them, a
// reconversion gives the rows the sync gave, in archive order.
//
// The JSON: {"kind": "pulls"} and, where they apply, "pr_id",
// "first_ordinal", "pr_numbers", "workflow_name", "statuses" ([[deployment
// id, [raw ids]], ...]), "with_raw_id", "deleted" ({"prs": [...], "issues":
// [...], "releases": [...]}), "connection_id" (a webhook's). Unknown keys
// are ignored, so later versions may add some.
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/github/github_convert.h"
#include "common/result.h"
#include "store/store.h"

namespace sei::collectors::github {

// The kind of a webhook delivery (its event name is the raw row's entity).
inline constexpr std::string_view kWebhookKind = "webhook";

struct RawContext {
  std::string kind;  // RestKindKey(...) or kWebhookKind
  // pr_commits: the PR (PrId) and the page's first ordinal.
  std::string pr_id;
  int64_t first_ordinal = 0;
  // issue_comments listed repo-wide: the PR numbers the page's kept
  // comments are on (the others were on plain issues).
  std::optional<std::vector<int64_t>> pr_numbers;
  // jobs: the run's workflow name.
  std::string workflow_name;
  // deployments: per deployment id on the page, its status pages' raw ids.
  std::vector<std::pair<int64_t, std::vector<int64_t>>> statuses;
  // deployment_statuses: the deployments page they were converted with.
  int64_t with_raw_id = 0;
  // What the transaction that stored this page deleted (a complete
  // listing's rows GitHub no longer returned): PR ids (with their reviews,
  // commits and comments), issue ids, release ids.
  std::vector<std::string> deleted_prs;
  std::vector<std::string> deleted_issues;
  std::vector<std::string> deleted_releases;
  // webhook: the connection whose rows it became.
  std::string connection_id;

  std::string Json() const;
  // InvalidArgument when `text` is not a JSON object with a string "kind".
  static Result<RawContext> Parse(std::string_view text);
};

// The stable name a kind is stored under ("pulls", "pr_commits" ...), and
// back (nullopt for an unknown name).
std::string_view RestKindKey(RestKind kind);
std::optional<RestKind> RestKindFromKey(std::string_view key);

// Sets raw_payloads.converted_at of payload `raw_id` to `at`, and its
// context when given; for WriteBatch's `also`, so the mark commits with
// the rows.
TableWrite MarkConverted(int64_t raw_id, int64_t at, const RawContext* context = nullptr);

// The deletes `c` records (PRs with their reviews, commits and comments;
// issues; releases), as the sync made them.
std::vector<TableWrite> DeletesOf(const RawContext& c);

}  // namespace sei::collectors::github
