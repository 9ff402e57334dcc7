// The entity lists: which fields sort, which filter, and what
// since/until apply to.
#include "api/entity_json.h"
#include "api/list_query.h"

namespace sei::api {

namespace {

using metrics::Dataset;
using metrics::ResolvedScope;
using Opt = std::optional<int64_t>;

bool PersonMatches(const Dataset& ds, metrics::Idx p, const std::string& v) {
  if (p == metrics::kNone) return false;
  const auto& x = ds.people[static_cast<size_t>(p)];
  return x.id == v || x.name == v || (x.email && *x.email == v);
}

EntityListSpec PullRequests() {
  EntityListSpec s;
  s.name = "pull-requests";
  s.summary = "Pull requests with their flow stages";
  s.time_field = "created_at";
  s.count = [](const Dataset& ds) { return ds.prs.size(); };
  s.id = [](const Dataset& ds, size_t i) -> const std::string& { return ds.prs[i].id; };
  s.time = [](const Dataset& ds, size_t i) -> Opt { return ds.prs[i].created_at; };
  s.in_scope = [](const Dataset& ds, const ResolvedScope& sc, size_t i) {
    return ds.PrInScope(sc, ds.prs[i]);
  };
  s.to_json = PrJson;
  s.sorts = {
      {"created_at", [](const Dataset& ds, size_t i) -> Opt { return ds.prs[i].created_at; }},
      {"merged_at", [](const Dataset& ds, size_t i) -> Opt { return ds.prs[i].merged_at; }},
      {"updated_at", [](const Dataset& ds, size_t i) -> Opt { return ds.prs[i].updated_at; }},
      {"cycle_time", [](const Dataset& ds, size_t i) -> Opt { return ds.pr_facts[i].cycle; }},
      {"size", [](const Dataset& ds, size_t i) -> Opt {
         const auto& p = ds.prs[i];
         if (!p.additions || !p.deletions) return std::nullopt;
         return *p.additions + *p.deletions;
       }}};
  s.filters = {
      {"state",
       "open, merged or closed (closed without merging)",
       {"open", "merged", "closed"},
       [](const Dataset& ds, size_t i, const std::string& v) { return ds.prs[i].state == v; }},
      {"author",
       "Author: person id, name or email",
       {},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return PersonMatches(ds, ds.prs[i].author, v);
       }},
      {"draft",
       "true or false",
       {"true", "false"},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return ds.prs[i].draft == (v == "true");
       }},
      {"reviewed",
       "true: reviewed by someone else before merge; false: not",
       {"true", "false"},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return ds.pr_facts[i].reviewed_before_merge == (v == "true");
       }}};
  return s;
}

EntityListSpec Deployments() {
  EntityListSpec s;
  s.name = "deployments";
  s.summary = "Deployments with what they shipped and the incidents they caused";
  s.time_field = "finished_at (else started_at)";
  s.count = [](const Dataset& ds) { return ds.deployments.size(); };
  s.id = [](const Dataset& ds, size_t i) -> const std::string& { return ds.deployments[i].id; };
  s.time = [](const Dataset& ds, size_t i) -> Opt { return ds.deployments[i].at; };
  s.in_scope = [](const Dataset& ds, const ResolvedScope& sc, size_t i) {
    return ds.DeploymentInScope(sc, ds.deployments[i]);
  };
  s.to_json = DeploymentJson;
  s.sorts = {{"at", [](const Dataset& ds, size_t i) -> Opt { return ds.deployments[i].at; }},
             {"changes", [](const Dataset& ds, size_t i) -> Opt {
                return ds.deployments[i].changes_shipped;
              }}};
  s.filters = {
      {"environment",
       "Environment name",
       {},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return ds.deployments[i].environment == v;
       }},
      {"production",
       "true: production deployments only; false: the others",
       {"true", "false"},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return ds.deployments[i].production == (v == "true");
       }},
      {"result",
       "success, failure, rolled_back, cancelled ...",
       {},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return ds.deployments[i].result == v;
       }},
      {"service", "Service name", {}, [](const Dataset& ds, size_t i, const std::string& v) {
         return ds.deployments[i].service && *ds.deployments[i].service == v;
       }}};
  return s;
}

EntityListSpec Incidents() {
  EntityListSpec s;
  s.name = "incidents";
  s.summary = "Incidents with the deployments linked as their cause";
  s.time_field = "created_at";
  s.count = [](const Dataset& ds) { return ds.incidents.size(); };
  s.id = [](const Dataset& ds, size_t i) -> const std::string& { return ds.incidents[i].id; };
  s.time = [](const Dataset& ds, size_t i) -> Opt { return ds.incidents[i].created_at; };
  s.in_scope = [](const Dataset& ds, const ResolvedScope& sc, size_t i) {
    return ds.IncidentInScope(sc, ds.incidents[i]);
  };
  s.to_json = IncidentJson;
  s.sorts = {
      {"created_at", [](const Dataset& ds, size_t i) -> Opt { return ds.incidents[i].created_at; }},
      {"resolved_at",
       [](const Dataset& ds, size_t i) -> Opt { return ds.incidents[i].resolved_at; }}};
  s.filters = {{"status",
                "Status as the source names it (open, resolved ...)",
                {},
                [](const Dataset& ds, size_t i, const std::string& v) {
                  return ds.incidents[i].status == v;
                }},
               {"severity",
                "Severity",
                {},
                [](const Dataset& ds, size_t i, const std::string& v) {
                  return ds.incidents[i].severity && *ds.incidents[i].severity == v;
                }},
               {"service", "Service", {}, [](const Dataset& ds, size_t i, const std::string& v) {
                  return ds.incidents[i].service && *ds.incidents[i].service == v;
                }}};
  return s;
}

EntityListSpec Releases() {
  EntityListSpec s;
  s.name = "releases";
  s.summary = "Releases of the repositories (GitHub releases)";
  s.time_field = "published_at (else created_at: drafts)";
  s.count = [](const Dataset& ds) { return ds.releases.size(); };
  s.id = [](const Dataset& ds, size_t i) -> const std::string& { return ds.releases[i].id; };
  s.time = [](const Dataset& ds, size_t i) -> Opt { return ds.releases[i].at; };
  s.in_scope = [](const Dataset& ds, const ResolvedScope& sc, size_t i) {
    return ds.ReleaseInScope(sc, ds.releases[i]);
  };
  s.to_json = ReleaseJson;
  s.sorts = {
      {"at", [](const Dataset& ds, size_t i) -> Opt { return ds.releases[i].at; }},
      {"created_at", [](const Dataset& ds, size_t i) -> Opt { return ds.releases[i].created_at; }},
      {"published_at",
       [](const Dataset& ds, size_t i) -> Opt { return ds.releases[i].published_at; }}};
  s.filters = {{"draft",
                "true: drafts only; false: published releases only",
                {"true", "false"},
                [](const Dataset& ds, size_t i, const std::string& v) {
                  return ds.releases[i].draft == (v == "true");
                }},
               {"prerelease",
                "true: prereleases only; false: the others",
                {"true", "false"},
                [](const Dataset& ds, size_t i, const std::string& v) {
                  return ds.releases[i].prerelease == (v == "true");
                }},
               {"tag", "Tag name", {}, [](const Dataset& ds, size_t i, const std::string& v) {
                  return ds.releases[i].tag_name == v;
                }}};
  return s;
}

EntityListSpec Issues() {
  EntityListSpec s;
  s.name = "issues";
  s.summary = "Issues from the trackers";
  s.time_field = "created_at";
  s.count = [](const Dataset& ds) { return ds.issues.size(); };
  s.id = [](const Dataset& ds, size_t i) -> const std::string& { return ds.issues[i].id; };
  s.time = [](const Dataset& ds, size_t i) -> Opt { return ds.issues[i].created_at; };
  s.in_scope = [](const Dataset& ds, const ResolvedScope& sc, size_t i) {
    return ds.IssueInScope(sc, ds.issues[i]);
  };
  s.to_json = IssueJson;
  s.sorts = {
      {"created_at", [](const Dataset& ds, size_t i) -> Opt { return ds.issues[i].created_at; }},
      {"resolved_at", [](const Dataset& ds, size_t i) -> Opt { return ds.issues[i].resolved_at; }}};
  s.filters = {
      {"type",
       "bug, feature, story, task, epic, incident ...",
       {},
       [](const Dataset& ds, size_t i, const std::string& v) { return ds.issues[i].type == v; }},
      {"status_category",
       "todo, in_progress or done",
       {"todo", "in_progress", "done"},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return ds.issues[i].status_category == v;
       }},
      {"assignee",
       "Assignee: person id, name or email",
       {},
       [](const Dataset& ds, size_t i, const std::string& v) {
         return PersonMatches(ds, ds.issues[i].assignee, v);
       }}};
  return s;
}

}  // namespace

const std::vector<EntityListSpec>& EntityListSpecs() {
  static const std::vector<EntityListSpec> kSpecs = {PullRequests(), Deployments(), Incidents(),
                                                     Issues(), Releases()};
  return kSpecs;
}

}  // namespace sei::api
