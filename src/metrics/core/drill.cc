#include "metrics/core/drill.h"

#include "common/time.h"

namespace sei::metrics {

namespace {
const std::string kEmpty;
std::string Time(std::optional<int64_t> t) { return t ? FormatRfc3339Utc(*t) : ""; }
}  // namespace

const std::string& PersonName(const Dataset& ds, Idx person) {
  return person == kNone ? kEmpty : ds.people[static_cast<size_t>(person)].name;
}

DrillRow DeploymentRow(const Dataset& ds, const DsDeployment& d, std::optional<double> value) {
  DrillRow r;
  r.entity = "deployment";
  r.id = d.id;
  r.url = d.url;
  r.at = d.at;
  r.value = value;
  r.title =
      (d.repo != kNone ? ds.repos[static_cast<size_t>(d.repo)].name : d.service.value_or("")) +
      " to " + d.environment;
  r.fields = {{"result", d.result},
              {"environment", d.environment},
              {"commit_sha", d.commit_sha.value_or("")},
              {"changes", std::to_string(d.changes.size())},
              {"incidents", std::to_string(d.incidents.size())},
              {"link_method", d.link_method}};
  return r;
}

DrillRow ChangeRow(const Dataset& ds, const DsChange& c, std::optional<double> value) {
  const DsDeployment& d = ds.deployments[static_cast<size_t>(c.deployment)];
  DrillRow r;
  r.entity = c.pr != kNone ? "pull-request" : "commit";
  r.id = c.change_id;
  r.at = d.at;
  r.value = value;
  if (c.pr != kNone) {
    const DsPr& pr = ds.prs[static_cast<size_t>(c.pr)];
    r.title = pr.title;
    r.url = pr.url;
  } else {
    r.title = "commit " + c.head_sha.substr(0, 12);
  }
  r.fields = {{"deployment_id", d.id},
              {"first_commit_at", Time(c.first_commit_at)},
              {"deployed_at", Time(d.at)},
              {"commits", std::to_string(c.commits)},
              {"author", PersonName(ds, c.author)},
              {"link_method", c.link_method}};
  return r;
}

DrillRow IncidentRow(const Dataset& ds, const DsIncident& i, std::optional<double> value) {
  DrillRow r;
  r.entity = "incident";
  r.id = i.id;
  r.title = i.title;
  r.url = i.url;
  r.at = i.created_at;
  r.value = value;
  std::string caused_by;
  for (Idx d : i.deployments) {
    caused_by += (caused_by.empty() ? "" : ",") + ds.deployments[static_cast<size_t>(d)].id;
  }
  r.fields = {{"service", i.service.value_or("")},
              {"severity", i.severity.value_or("")},
              {"status", i.status},
              {"resolved_at", Time(i.resolved_at)},
              {"deployments", caused_by},
              {"link_method", i.link_method}};
  return r;
}

DrillRow PrRow(const Dataset& ds, const DsPr& pr, int64_t at, std::optional<double> value) {
  DrillRow r;
  r.entity = "pull-request";
  r.id = pr.id;
  r.title = pr.title;
  r.url = pr.url;
  r.at = at;
  r.value = value;
  r.fields = {{"repo", pr.repo != kNone ? ds.repos[static_cast<size_t>(pr.repo)].name : ""},
              {"number", std::to_string(pr.number)},
              {"author", PersonName(ds, pr.author)},
              {"state", pr.state}};
  return r;
}

DrillRow IssueRow(const DsIssue& issue, std::optional<int64_t> at, std::optional<double> value) {
  DrillRow r;
  r.entity = "issue";
  r.id = issue.id;
  r.title = issue.title;
  r.url = issue.url;
  r.at = at;
  r.value = value;
  r.fields.emplace_back("key", issue.key);
  return r;
}

}  // namespace sei::metrics
