// DeliverySimulator: incidents and quality findings (delivery_sim.cc has
// pipelines and deployments).
#include <fmt/format.h>

#include <algorithm>

#include "demo/delivery_sim.h"
#include "demo/demo_ids.h"
#include "demo/text_gen.h"
#include "demo/work_hours.h"

namespace sei::demo {

namespace {

constexpr const char* kSeverities[] = {"SEV1", "SEV2", "SEV3", "SEV4"};
constexpr double kSeverityWeights[] = {0.05, 0.20, 0.50, 0.25};
constexpr double kRestoreHours[] = {1.0, 2.0, 3.5, 8.0};  // median time to resolve

}  // namespace

void DeliverySimulator::Incident(int64_t created, const model::Deployment* cause,
                                 DeliveryRows* out) {
  if (created >= org_.window.end) return;
  model::Incident i;
  i.id = model::MakeId(kPagerConnection, "incident",
                       fmt::format("{}/{}", repo_.service, ++incidents_));
  i.connection_id = kPagerConnection;
  i.service = repo_.service;
  i.environment = "production";
  i.title = TextGen::IncidentTitle(rng_, repo_.service);
  const size_t sev = rng_.Weighted(kSeverityWeights, 4);
  i.severity = kSeverities[sev];
  i.created_at = created;
  const int64_t ack = created + 30 + static_cast<int64_t>(rng_.Exponential(5 * kMinute));
  const int64_t resolved =
      ack + static_cast<int64_t>(rng_.LogNormal(kRestoreHours[sev] * kHour, 1.1));
  if (cause != nullptr && rng_.Chance(0.2)) i.deployment_id = cause->id;
  if (ack < org_.window.end) i.acknowledged_at = ack;
  if (resolved < org_.window.end) i.resolved_at = resolved;
  i.status = i.resolved_at ? "resolved" : i.acknowledged_at ? "acknowledged" : "triggered";
  if (!i.resolved_at) ++counts_.incidents_open;
  i.url = fmt::format("{}/incidents/{}-{}", kPagerHost, repo_.service, incidents_);
  out->incidents.push_back(std::move(i));
}

void DeliverySimulator::UnrelatedIncidents(DeliveryRows* out) {
  const double months =
      static_cast<double>(org_.window.end - org_.window.sim_start) / (30.4 * kDay);
  const int64_t n = rng_.Poisson(0.35 * months);
  std::vector<int64_t> times;
  for (int64_t k = 0; k < n; ++k) {
    times.push_back(
        org_.window.sim_start +
        static_cast<int64_t>(rng_.Uniform() *
                             static_cast<double>(org_.window.end - org_.window.sim_start)));
  }
  std::sort(times.begin(), times.end());
  for (int64_t t : times) Incident(t, nullptr, out);
  if (open_incident_) {
    const int64_t t = org_.window.end - rng_.UniformInt(6 * kHour, 3 * kDay);
    Incident(t, nullptr, out);
    model::Incident& open = out->incidents.back();
    if (open.resolved_at) {
      open.resolved_at.reset();
      open.status = "acknowledged";
      ++counts_.incidents_open;
    }
  }
}

void DeliverySimulator::Findings(DeliveryRows* out) {
  static constexpr const char* kKinds[] = {"code_smell", "bug", "vulnerability", "hotspot"};
  static constexpr double kKindWeights[] = {0.55, 0.2, 0.1, 0.15};
  static constexpr const char* kRules[] = {"S1192", "S3776", "S2259", "S5332", "S4790", "S1135"};
  static constexpr const char* kMessages[] = {
      "Define a constant instead of duplicating this literal.",
      "Refactor this function to reduce its Cognitive Complexity.",
      "A null pointer dereference may occur here.",
      "Using clear-text protocols is security-sensitive.",
      "Make sure this weak hash algorithm is not used in a sensitive context.",
      "Complete the task associated to this TODO comment."};
  const int64_t n = rng_.UniformInt(2, 6);
  const int64_t span = org_.window.end - org_.window.sim_start;
  for (int64_t k = 0; k < n; ++k) {
    const size_t kind = rng_.Weighted(kKindWeights, 4);
    const size_t rule = rng_.Index(6);
    model::QualityFinding f;
    f.id = model::MakeId(kCiConnection, "finding", fmt::format("{}/{}", repo_.name, k + 1));
    f.connection_id = kCiConnection;
    f.repo_id = repo_.id;
    f.tool = "sonarqube";
    f.kind = kKinds[kind];
    f.severity = kind == 2 ? "critical" : kind == 1 ? "major" : "minor";
    f.rule = fmt::format("{}:{}", "sonar", kRules[rule]);
    f.path = files_.Path(files_.PickFocus(rng_, 1)[0]);
    f.line = rng_.UniformInt(1, 400);
    f.message = kMessages[rule];
    f.created_at = org_.window.sim_start + static_cast<int64_t>(rng_.Uniform() * span);
    const int64_t resolved = f.created_at + static_cast<int64_t>(rng_.LogNormal(12 * kDay, 0.8));
    f.status = rng_.Chance(0.55) && resolved < org_.window.end ? "resolved" : "open";
    if (f.status == "resolved") f.resolved_at = resolved;
    f.url = fmt::format("https://sonar.acme.example/project/issues?id={}", repo_.name);
    out->findings.push_back(std::move(f));
  }
}

}  // namespace sei::demo
