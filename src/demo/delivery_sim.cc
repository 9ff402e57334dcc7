#include "demo/delivery_sim.h"

#include <fmt/format.h>

#include <algorithm>

#include "demo/demo_ids.h"
#include "demo/text_gen.h"
#include "demo/work_hours.h"

namespace sei::demo {

namespace {

constexpr double kCiFailure = 0.08;
constexpr double kStagingFailure = 0.04;
constexpr int64_t kStagingGap = 3 * kHour;

}  // namespace

DeliverySimulator::DeliverySimulator(const Org& org, int repo, const std::vector<MainTip>& main,
                                     const FileModel& files, bool open_incident)
    : org_(org),
      repo_(org.repos[static_cast<size_t>(repo)]),
      team_(org.teams[static_cast<size_t>(org.repos[static_cast<size_t>(repo)].team)]),
      main_(main),
      files_(files),
      open_incident_(open_incident),
      rng_(Rng::Derive(org.seed, "delivery:" + org.repos[static_cast<size_t>(repo)].id)) {}

DeliveryCounts DeliverySimulator::Run(DeliveryRows* out) {
  Pipelines(out);
  if (repo_.kind == RepoKind::kService) {
    if (org_.profile.weekly_staging) WeeklyStaging(out);
    Production(out);
    UnrelatedIncidents(out);
  }
  Findings(out);
  return counts_;
}

const std::string& DeliverySimulator::TipAt(int64_t t) const {
  auto it = std::upper_bound(main_.begin(), main_.end(), t,
                             [](int64_t v, const MainTip& m) { return v < m.at; });
  return it == main_.begin() ? main_.front().sha : std::prev(it)->sha;
}

namespace {

void AddJob(const model::CiPipeline& p, const char* name, int64_t from, int64_t to,
            const std::string& result, DeliveryRows* out) {
  model::CiJob j;
  j.id = p.id + "/" + name;
  j.pipeline_id = p.id;
  j.name = name;
  j.stage = name;
  j.status = "done";
  j.result = result;
  j.started_at = from;
  j.finished_at = to;
  out->jobs.push_back(std::move(j));
}

}  // namespace

model::CiPipeline DeliverySimulator::MainPipeline(const MainTip& tip, DeliveryRows* out) {
  model::CiPipeline p;
  p.id = model::MakeId(kCiConnection, "pipeline", fmt::format("{}/{}", repo_.name, ++pipelines_));
  p.connection_id = kCiConnection;
  p.ci_scope = repo_.name;
  p.name = "ci";
  p.repo_id = repo_.id;
  p.ref = "refs/heads/main";
  p.commit_sha = tip.sha;
  p.status = "done";
  p.trigger = "push";
  p.created_at = tip.at + rng_.UniformInt(5, 60);
  p.started_at = p.created_at + rng_.UniformInt(10, 120);
  const int64_t build = static_cast<int64_t>(rng_.LogNormal(4 * kMinute, 0.4));
  const int64_t test = static_cast<int64_t>(rng_.LogNormal(6 * kMinute, 0.5));
  p.finished_at = *p.started_at + build + test;
  p.result = rng_.Chance(kCiFailure) ? "failure" : "success";
  p.url = fmt::format("{}/{}/pipelines/{}", kCiHost, repo_.name, pipelines_);
  if (*p.finished_at < org_.window.end - kHour) {
    AddJob(p, "build", *p.started_at, *p.started_at + build, "success", out);
    AddJob(p, "test", *p.started_at + build, *p.finished_at, *p.result, out);
  }
  return p;
}

void DeliverySimulator::Pipelines(DeliveryRows* out) {
  int64_t last_staging = 0;
  for (size_t i = 0; i < main_.size(); ++i) {
    if (main_[i].at < org_.window.sim_start) continue;
    model::CiPipeline p = MainPipeline(main_[i], out);
    if (*p.finished_at >= org_.window.end - kHour) break;
    // Staging gets main after a green run, unless main moved on meanwhile
    // (the next run deploys) or staging was deployed less than 3 hours ago.
    const bool next_landed = i + 1 < main_.size() && main_[i + 1].at <= *p.finished_at;
    if (!org_.profile.weekly_staging && *p.result == "success" && !next_landed &&
        repo_.kind == RepoKind::kService && *p.finished_at - last_staging >= kStagingGap) {
      last_staging = *p.finished_at;
      const std::string result = rng_.Chance(kStagingFailure) ? "failure" : "success";
      const model::Deployment& d = Deploy("staging", *p.finished_at + 20, result, out);
      out->deployments.back().pipeline_id = p.id;
      AddJob(p, "deploy-staging", *d.started_at, *d.finished_at, result, out);
      out->jobs.back().environment = "staging";
      out->jobs.back().is_deployment = true;
    }
    out->pipelines.push_back(std::move(p));
  }
}

void DeliverySimulator::WeeklyStaging(DeliveryRows* out) {
  const int32_t tz = team_.tpl->tz_minutes;
  int64_t day = LocalDay(org_.window.sim_start, tz);
  day -= Weekday(day);
  std::string last;
  for (; AtLocal(day, 0, tz) < org_.window.end; day += 7) {
    const int64_t at = AtLocal(day + std::max(0, team_.tpl->train_weekday - 1), 10 * kHour, tz) +
                       rng_.UniformInt(0, 2 * kHour);
    if (at < org_.window.sim_start || at >= org_.window.end || TipAt(at) == last) continue;
    last = TipAt(at);
    Deploy("staging", at, rng_.Chance(kStagingFailure) ? "failure" : "success", out);
  }
}

std::vector<int64_t> DeliverySimulator::ProductionSchedule() {
  const TeamTemplate& tpl = *team_.tpl;
  std::vector<int64_t> times;
  int64_t day = LocalDay(org_.window.sim_start, tpl.tz_minutes);
  day -= Weekday(day);
  for (; AtLocal(day, 0, tpl.tz_minutes) < org_.window.end; day += 7) {
    for (int wd = 0; wd < 5; ++wd) {
      if (SeasonFactor(day + wd) < 1.0 && rng_.Chance(0.7)) continue;  // change freeze
      const bool train = tpl.daily_deploys || wd == tpl.train_weekday;
      if (train && (tpl.daily_deploys || !rng_.Chance(0.08))) {
        const double from = tpl.daily_deploys ? 11 * kHour : 14 * kHour;
        times.push_back(AtLocal(day + wd, static_cast<int64_t>(from + rng_.Uniform(0, 4 * kHour)),
                                tpl.tz_minutes));
      }
    }
    if (!tpl.daily_deploys && rng_.Chance(0.15)) {  // a hotfix outside the train
      times.push_back(AtLocal(day + rng_.UniformInt(0, 4),
                              static_cast<int64_t>(rng_.Uniform(9.5 * kHour, 17 * kHour)),
                              tpl.tz_minutes));
    }
  }
  std::sort(times.begin(), times.end());
  return times;
}

std::string DeliverySimulator::Result(bool recovery) {
  const TeamTemplate& tpl = *team_.tpl;
  const double fail = recovery ? 0.06 : tpl.prod_failure;
  const double rollback = recovery ? 0.02 : tpl.prod_rollback;
  const double r = rng_.Uniform();
  return r < fail ? "failure" : r < fail + rollback ? "rolled_back" : "success";
}

void DeliverySimulator::Production(DeliveryRows* out) {
  std::string last_success;
  int64_t busy_until = 0;
  for (int64_t scheduled : ProductionSchedule()) {
    if (scheduled < org_.window.sim_start || scheduled >= org_.window.end) continue;
    if (scheduled < busy_until || TipAt(scheduled) == last_success) continue;
    int64_t at = scheduled;
    bool recovery = false;
    for (int attempt = 0; attempt < 4 && at < org_.window.end - kHour; ++attempt) {
      const std::string result = Result(recovery);
      const model::Deployment& d = Deploy("production", at, result, out);
      const bool bad = result != "success";
      const bool buggy = !bad && rng_.Chance(0.02);  // shipped a bug: an incident follows
      if ((result == "rolled_back" && rng_.Chance(0.75)) ||
          (result == "failure" && rng_.Chance(0.2)) || buggy) {
        Incident(*d.finished_at + static_cast<int64_t>(rng_.Exponential(buggy ? 2 * kHour : 900)),
                 &out->deployments.back(), out);
      }
      busy_until = *d.finished_at;
      if (!bad) {  // a buggy release is fixed by a later change, not redeployed
        last_success = *d.commit_sha;
        break;
      }
      at = *d.finished_at + static_cast<int64_t>(rng_.LogNormal(1.5 * kHour, 0.9));
      recovery = true;
    }
  }
}

const model::Deployment& DeliverySimulator::Deploy(const std::string& env, int64_t at,
                                                   const std::string& result, DeliveryRows* out) {
  const bool production = env == "production";
  const int64_t n = ++deploys_[production ? 1 : 0];
  model::Deployment d;
  d.id = model::MakeId(kCiConnection, "deployment", fmt::format("{}/{}/{}", repo_.service, env, n));
  d.connection_id = kCiConnection;
  d.repo_id = repo_.id;
  d.service = repo_.service;
  d.environment = env;
  d.environment_type = env;
  d.commit_sha = TipAt(at);
  d.ref = "refs/heads/main";
  d.result = result;
  d.started_at = at;
  d.finished_at =
      at + static_cast<int64_t>(rng_.LogNormal(production ? 7 * kMinute : 4 * kMinute, 0.4));
  d.url = fmt::format("{}/{}/deployments/{}-{}", kCiHost, repo_.name, env, n);
  // Production (and weekly staging) deploys run their own pipeline; staging
  // after a green main run is a job of that run (Pipelines).
  if (production || org_.profile.weekly_staging) d.pipeline_id = DeployPipeline(d, n, out);
  if (production) {
    ++counts_.production;
    if (result != "success") ++counts_.production_failed;
  } else {
    ++counts_.staging;
  }
  out->deployments.push_back(std::move(d));
  return out->deployments.back();
}

std::string DeliverySimulator::DeployPipeline(const model::Deployment& d, int64_t n,
                                              DeliveryRows* out) {
  model::CiPipeline p;
  p.id = model::MakeId(kCiConnection, "pipeline",
                       fmt::format("{}/deploy-{}-{}", repo_.name, d.environment, n));
  p.connection_id = kCiConnection;
  p.ci_scope = repo_.name;
  p.name = "deploy-" + d.environment;
  p.repo_id = repo_.id;
  p.ref = d.ref;
  p.commit_sha = d.commit_sha;
  p.status = "done";
  p.result = d.result == "success" ? "success" : "failure";
  p.trigger = "manual";
  p.created_at = *d.started_at - 30;
  p.started_at = d.started_at;
  p.finished_at = d.finished_at;
  AddJob(p, "deploy", *d.started_at, *d.finished_at, *p.result, out);
  out->jobs.back().environment = d.environment;
  out->jobs.back().is_deployment = true;
  out->pipelines.push_back(p);
  return p.id;
}

}  // namespace sei::demo
