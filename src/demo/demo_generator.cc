#include "demo/demo_generator.h"

#include <fmt/format.h>

#include <future>

#include "demo/demo_ids.h"
#include "demo/demo_writer.h"
#include "demo/org_template.h"
#include "demo/unit_generator.h"
#include "model/org.h"

namespace sei::demo {

namespace {

constexpr const char* kMarkerScope = "demo";
constexpr const char* kMarkerEntity = "options";

}  // namespace

DemoGenerator::DemoGenerator(Store* store, const DemoOptions& options, Progress* progress,
                             const std::atomic<bool>* cancel)
    : store_(store),
      options_(options),
      progress_(progress != nullptr ? progress : &null_progress_),
      cancel_(cancel) {}

Status DemoGenerator::CheckMarker(const std::string& marker, bool* refreshed) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::SyncState> state,
                       store_->GetSyncState(kGitConnection, kMarkerScope, kMarkerEntity));
  *refreshed = false;
  if (!state) return Status::Ok();
  if (state->cursor == marker) {
    *refreshed = true;
    return Status::Ok();
  }
  return FailedPreconditionError(fmt::format(
      "{} already holds a demo organisation made with `{}`; this run asks for `{}`. The two would "
      "mix, so nothing was written: run `sei demo {}` to refresh the existing demo, or pass "
      "--db with a new file",
      store_->Describe(), MarkerAsFlags(state->cursor), MarkerAsFlags(marker),
      MarkerAsFlags(state->cursor)));
}

Status DemoGenerator::PutMarker(const std::string& marker, const std::string& status, int64_t at) {
  model::SyncState state;
  state.connection_id = kGitConnection;
  state.scope = kMarkerScope;
  state.entity = kMarkerEntity;
  state.cursor = marker;
  state.status = status;
  state.updated_at = at;
  return store_->PutSyncState(state);
}

Status DemoGenerator::WriteConnections(const DemoWindow& window, const std::string& marker) {
  struct Def {
    const char* id;
    const char* source;
    const char* name;
    const char* url;
  };
  const Def defs[] = {
      {kGitConnection, "git", "Demo git repositories", kGitHubHost},
      {kGitHubConnection, "github", "Demo GitHub organisation", kGitHubHost},
      {kJiraConnection, "jira", "Demo Jira", kJiraHost},
      {kCiConnection, "ci", "Demo CI/CD", kCiHost},
      {kPagerConnection, "pagerduty", "Demo incident pager", kPagerHost},
  };
  std::vector<model::Connection> rows;
  for (const Def& d : defs) {
    model::Connection c;
    c.id = d.id;
    c.source = d.source;
    c.name = d.name;
    c.base_url = d.url;
    c.config = fmt::format(R"({{"generator":"sei demo","marker":"{}"}})", marker);
    c.created_at = window.sim_start;
    c.updated_at = window.end;
    rows.push_back(std::move(c));
  }
  return store_->Upsert(rows);
}

bool DemoGenerator::TargetsMet(const DemoCounts& c) const {
  if (!options_.scale) return true;
  const ScaleTargets& t = options_.targets;
  return c.commits >= t.commits && c.prs >= t.prs && c.deployments >= t.deployments;
}

Result<DemoSummary> DemoGenerator::Run() {
  DemoSummary summary;
  SEI_ASSIGN_OR_RETURN(summary.window, ResolveWindow(options_));
  summary.marker = OptionsMarker(options_);
  SEI_RETURN_IF_ERROR(CheckMarker(summary.marker, &summary.refreshed));
  SEI_RETURN_IF_ERROR(PutMarker(summary.marker, "in_progress", summary.window.end));
  SEI_RETURN_IF_ERROR(WriteConnections(summary.window, summary.marker));
  const UnitGenerator generator(options_, summary.window);
  std::future<UnitData> next =
      std::async(std::launch::async, [&generator] { return generator.Generate(0); });
  int64_t written = 0;
  for (int unit = 0;; ++unit) {
    UnitData data = next.get();
    summary.counts.Add(data.counts);
    const bool more = !TargetsMet(summary.counts);
    if (more) {
      next = std::async(std::launch::async,
                        [&generator, unit] { return generator.Generate(unit + 1); });
    }
    if (unit == 0) {
      const int64_t total = options_.scale ? std::max(options_.targets.commits, data.counts.commits)
                                           : data.counts.commits;
      progress_->Begin("demo commits", total);
    }
    DemoWriter writer(store_, cancel_, [&](int64_t n) { progress_->Update(written += n); });
    Status s = writer.Write(&data);
    if (!s.ok()) {
      progress_->End();
      return s;
    }
    if (!more) break;
  }
  progress_->End();
  SEI_RETURN_IF_ERROR(PutMarker(summary.marker, "complete", summary.window.end));
  return summary;
}

}  // namespace sei::demo
