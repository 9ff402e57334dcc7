#include "metrics/link/link_summary.h"

namespace sei::metrics::link {

nlohmann::json ToJson(const LinkSummary& s) {
  int64_t unlinked = 0;
  for (const auto& [reason, n] : s.incidents_unlinked) unlinked += n;
  return {
      {"mode", s.mode},
      {"deployments",
       {{"total", s.deployments},
        {"successful", s.successful_deployments},
        {"generated_from_ci", s.generated_deployments},
        {"removed_generated", s.removed_deployments},
        {"bounded", s.bounded_deployments},
        {"by_method", s.deployments_by_method}}},
      {"commits",
       {{"shipped", s.commits_shipped}, {"explicit_not_stored", s.explicit_commits_unknown}}},
      {"changes",
       {{"total", s.pr_changes + s.direct_changes},
        {"pull_requests", s.pr_changes},
        {"direct_commits", s.direct_changes},
        {"by_method", s.changes_by_method}}},
      {"pull_requests", {{"total", s.prs}, {"matches_by_method", s.pr_matches_by_method}}},
      {"incidents",
       {{"total", s.incidents},
        {"linked_by_method", s.incidents_by_method},
        {"unlinked", unlinked},
        {"unlinked_by_reason", s.incidents_unlinked}}},
      {"seconds",
       {{"total", s.seconds},
        {"load", s.load_seconds},
        {"link", s.link_seconds},
        {"write", s.write_seconds}}},
  };
}

}  // namespace sei::metrics::link
