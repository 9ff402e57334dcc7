#include "app/serve_collector.h"

#include <algorithm>

#include "collectors/git/git_collector.h"
#include "model/git.h"

namespace sei::app {

namespace {

constexpr const char* kGitConnection = "git:local";

}  // namespace

bool ServeCollector::Collects(const std::string& connection_id) const {
  return connection_id == kGitConnection;
}

Result<std::vector<std::string>> ServeCollector::DefaultLocations(Store& store) {
  std::vector<std::string> out;
  for (const GitSourceConfig& s : g_.config.git_sources) out.push_back(s.location);
  ScanOptions where;
  where.where = {{"connection_id", std::string(kGitConnection)}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::Repo> repos, store.List<model::Repo>(where));
  for (const model::Repo& r : repos) {
    if (std::find(out.begin(), out.end(), r.location) == out.end()) out.push_back(r.location);
  }
  return out;
}

Status ServeCollector::Collect(Store& store, const std::string& location, int64_t run_id,
                               const std::atomic<bool>* cancel) {
  collectors::GitCollectOptions o;
  o.jobs = g_.config.jobs.value_or(0);
  o.detect_renames = g_.config.renames;
  o.include_remotes = g_.config.include_remotes;
  o.data_dir = g_.data_dir;
  for (const GitSourceConfig& s : g_.config.git_sources) {
    if (s.location == location && s.name) o.name = *s.name;
  }
  o.cancel = cancel;
  o.run_id = run_id;
  collectors::GitCollector collector(&store, o);
  return collector.Collect(location).status();
}

}  // namespace sei::app
