#include "api/connection_scheduler.h"

#include <algorithm>
#include <cstdio>

#include "api/entity_json.h"
#include "collectors/github/github_settings.h"
#include "common/time.h"

namespace sei::api {

using nlohmann::json;

std::optional<int64_t> ScheduledInterval(const model::Connection& c, std::string* why) {
  if (c.source != "github") {
    *why = c.source == "git" ? "git repositories are collected when asked (sei collect git, POST "
                               "/api/v1/connections/git:local/collect)"
                             : c.source + " sends webhooks or uses the push API";
    return std::nullopt;
  }
  auto settings = collectors::github::ParseGithubSettings(c.config.value_or(""));
  if (!settings.ok()) {
    *why = "its config is invalid: " + settings.status().message();
    return std::nullopt;
  }
  if (auto p = collectors::github::GithubSettingsProblem(*settings)) {
    *why = *p;
    return std::nullopt;
  }
  if (settings->interval_seconds <= 0) {
    *why = "interval_seconds is 0: synced only when asked";
    return std::nullopt;
  }
  return settings->interval_seconds;
}

Result<ConnectionSchedule> ScheduleOf(Store& store, const model::Connection& c, int64_t now,
                                      bool busy) {
  ConnectionSchedule s;
  s.interval_seconds = ScheduledInterval(c, &s.why_unscheduled);
  ScanOptions where;
  where.where = {{"connection_id", c.id}};
  where.order_by = "id";
  where.descending = true;
  where.limit = 50;
  SEI_ASSIGN_OR_RETURN(std::vector<model::CollectionRun> runs,
                       store.List<model::CollectionRun>(where));
  // A reconversion (`sei reconvert --queue`) is not a sync: the schedule
  // follows the last sync.
  for (const model::CollectionRun& r : runs) {
    if (r.scope != "reconvert") {
      s.last_run = r;
      break;
    }
  }
  s.running = busy || (s.last_run && s.last_run->status == "running");
  if (!s.interval_seconds || busy) return s;
  const int64_t interval = *s.interval_seconds;
  if (!s.last_run) {
    s.next_run_at = now;
  } else {
    const model::CollectionRun& r = *s.last_run;
    const int64_t finished = r.finished_at.value_or(r.started_at);
    if (r.status == "failed") {
      s.next_run_at = finished + std::min(interval, kRetrySeconds);
    } else if (r.status == "interrupted") {
      s.next_run_at = finished;
    } else {
      s.next_run_at = r.started_at + interval;
    }
  }
  return s;
}

json ScheduleJson(const ConnectionSchedule& s) {
  json last = nullptr;
  if (s.last_run) {
    const model::CollectionRun& r = *s.last_run;
    last = {{"id", r.id},
            {"scope", r.scope},
            {"status", r.status},
            {"started_at", FormatRfc3339Utc(r.started_at)},
            {"finished_at", TimeOrNull(r.finished_at)},
            {"items_added", r.items_added},
            {"error", r.error ? json(*r.error) : json(nullptr)}};
  }
  json out = {
      {"interval_seconds", s.interval_seconds ? json(*s.interval_seconds) : json(nullptr)},
      {"next_run_at", s.next_run_at ? json(FormatRfc3339Utc(*s.next_run_at)) : json(nullptr)},
      {"running", s.running},
      {"last_run", last}};
  if (!s.interval_seconds) out["unscheduled"] = s.why_unscheduled;
  return out;
}

Result<int> ConnectionScheduler::RunDue() {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, open_());
  SEI_ASSIGN_OR_RETURN(std::vector<model::Connection> all, store->List<model::Connection>());
  int started = 0;
  for (const model::Connection& c : all) {
    if (!runner_->Collects(c.id)) continue;
    SEI_ASSIGN_OR_RETURN(bool busy, runner_->Busy(*store, c.id));
    if (busy) continue;
    const int64_t now = clock_.NowUnixSeconds();
    SEI_ASSIGN_OR_RETURN(ConnectionSchedule s, ScheduleOf(*store, c, now, false));
    if (!s.next_run_at || *s.next_run_at > now) continue;
    auto locations = runner_->DefaultLocations(*store, c.id);
    Result<std::vector<model::CollectionRun>> runs =
        locations.ok() ? runner_->Start(*store, c.id, *locations) : locations.status();
    if (!runs.ok()) {
      // Busy (a trigger won the race) or shutting down: the next pass sees.
      if (runs.status().code() != StatusCode::kFailedPrecondition &&
          runs.status().code() != StatusCode::kUnavailable && log_ != nullptr) {
        std::fprintf(log_, "sei serve: could not start the scheduled collection of %s: %s\n",
                     c.id.c_str(), runs.status().message().c_str());
      }
      continue;
    }
    ++started;
    if (log_ != nullptr && !runs->empty()) {
      std::fprintf(log_, "sei serve: scheduled collection of %s started (run %lld)\n", c.id.c_str(),
                   static_cast<long long>(runs->front().id));
    }
  }
  return started;
}

void ConnectionScheduler::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void ConnectionScheduler::Loop() {
  for (;;) {
    Result<int> r = RunDue();
    if (!r.ok() && log_ != nullptr) {
      std::fprintf(log_, "sei serve: scheduler: %s\n", r.status().message().c_str());
    }
    std::unique_lock<std::mutex> l(mu_);
    if (cv_.wait_for(l, tick_, [this] { return stop_; })) return;
  }
}

void ConnectionScheduler::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sei::api
