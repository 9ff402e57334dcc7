#include "metrics/bottlenecks/bottlenecks.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "metrics/core/drill.h"
#include "metrics/core/pr_facts.h"
#include "metrics/core/stats.h"

namespace sei::metrics::bottlenecks {

namespace {

// Stage name -> the values of its duration in a range (seconds).
using StageValues = std::map<std::string, std::vector<double>>;

constexpr const char* kPrStages[] = {"coding", "pickup", "review", "deploy"};
// A change against the previous period worth a sentence.
constexpr double kNotable = 0.25;

StageValues PrStages(const Dataset& ds, const ResolvedScope& s, const TimeRange& r,
                     std::vector<std::pair<const DsPr*, PrFacts>>* kept) {
  StageValues v;
  for (const char* k : kPrStages) v[k];
  for (size_t i = 0; i < ds.prs.size(); ++i) {
    const DsPr& p = ds.prs[i];
    if (!p.merged_at || !r.Contains(*p.merged_at) || !ds.PrInScope(s, p)) continue;
    const PrFacts& f = ds.pr_facts[i];
    if (f.coding) v["coding"].push_back(static_cast<double>(*f.coding));
    if (f.pickup) v["pickup"].push_back(static_cast<double>(*f.pickup));
    if (f.review) v["review"].push_back(static_cast<double>(*f.review));
    if (f.deploy) v["deploy"].push_back(static_cast<double>(*f.deploy));
    if (kept) kept->push_back({&p, f});
  }
  return v;
}

// Time each done-in-range issue spent in each in-progress status.
StageValues IssueStatuses(const Dataset& ds, const ResolvedScope& s, const TimeRange& r) {
  StageValues v;
  for (const DsIssue& issue : ds.issues) {
    if (!issue.resolved_at || !r.Contains(*issue.resolved_at) || !ds.IssueInScope(s, issue)) {
      continue;
    }
    std::map<std::string, double> spent;
    for (uint32_t i = issue.changes.begin; i < issue.changes.end; ++i) {
      const DsStatusChange& c = ds.status_changes[i];
      if (c.to_category != "in_progress") continue;
      const int64_t end =
          i + 1 < issue.changes.end ? ds.status_changes[i + 1].at : *issue.resolved_at;
      if (end > c.at) spent[c.to_status] += static_cast<double>(end - c.at);
    }
    for (const auto& [status, t] : spent) v[status].push_back(t);
  }
  return v;
}

std::string Pct(double x) { return fmt::format("{:.0f}%", std::round(x * 100)); }

std::string Duration(double s) {
  if (s < 3600) return fmt::format("{:.0f}m", s / 60);
  if (s < 86400) return fmt::format("{:.1f}h", s / 3600);
  return fmt::format("{:.1f}d", s / 86400);
}

// One metric from the stage values now and before: parts per stage (median,
// share of the medians' sum, previous median), the slowest stage's median
// as the value, and call-outs.
Metric Build(const char* key, const char* name, const char* what, StageValues now,
             StageValues before) {
  Metric m;
  m.key = key;
  m.name = name;
  m.unit = "seconds";
  m.statistic = "median";
  double sum = 0;
  int64_t n = 0;
  for (auto& [stage, values] : now) {
    Distribution d = Summarize(&values);
    std::optional<double> prev = Median(&before[stage]);
    m.parts.push_back({stage, d.p50, d, std::nullopt, "", prev});
    if (d.p50) sum += *d.p50;
    n = std::max(n, d.n);
  }
  std::stable_sort(m.parts.begin(), m.parts.end(), [](const MetricPart& a, const MetricPart& b) {
    return a.value.value_or(-1) > b.value.value_or(-1);
  });
  for (MetricPart& p : m.parts) {
    if (p.value && sum > 0) p.share = *p.value / sum;
  }
  m.distribution.n = n;
  m.completeness.total = m.completeness.measured = n;
  if (m.parts.empty() || !m.parts.front().value) {
    m.notes.push_back(std::string("no ") + what + " in range");
    return m;
  }
  const MetricPart& top = m.parts.front();
  m.value = top.value;
  m.notes.push_back(fmt::format("{} holds work longest: median {} ({} of the stage medians)",
                                top.key, Duration(*top.value), Pct(top.share.value_or(0))));
  for (const MetricPart& p : m.parts) {
    if (!p.value || !p.previous || *p.previous <= 0) continue;
    const double change = *p.value / *p.previous - 1;
    if (std::fabs(change) < kNotable) continue;
    m.notes.push_back(fmt::format("{} {} {} against the previous period ({} -> {})", p.key,
                                  change > 0 ? "rose" : "fell", Pct(std::fabs(change)),
                                  Duration(*p.previous), Duration(*p.value)));
  }
  return m;
}

}  // namespace

Result<Report> ComputeBottlenecks(const Dataset& ds, const ResolvedScope& scope,
                                  const Query& query) {
  Report r;
  const TimeRange prev = query.range.Previous();
  if (query.Wants("bottlenecks.pr_stage")) {
    std::vector<std::pair<const DsPr*, PrFacts>> kept;
    StageValues now = PrStages(ds, scope, query.range, &kept);
    Metric m = Build("bottlenecks.pr_stage", "Slowest PR stage", "merged PRs", now,
                     PrStages(ds, scope, prev, nullptr));
    if (query.drill && m.value) {
      // The PRs that waited longest in the slowest stage.
      const std::string stage = m.parts.front().key;
      auto pick = [&](const PrFacts& f) {
        return stage == "coding"   ? f.coding
               : stage == "pickup" ? f.pickup
               : stage == "review" ? f.review
                                   : f.deploy;
      };
      std::vector<std::pair<int64_t, const DsPr*>> rows;
      for (const auto& [p, f] : kept) {
        if (auto v = pick(f)) rows.push_back({*v, p});
      }
      std::sort(rows.begin(), rows.end(),
                [](const auto& a, const auto& b) { return a.first > b.first; });
      for (size_t i = 0; i < rows.size() && i < 50; ++i) {
        m.rows.push_back(PrRow(ds, *rows[i].second, *rows[i].second->merged_at,
                               static_cast<double>(rows[i].first)));
      }
    }
    r.metrics.push_back(std::move(m));
  }
  if (query.Wants("bottlenecks.issue_status")) {
    r.metrics.push_back(Build("bottlenecks.issue_status", "Slowest issue status", "issues done",
                              IssueStatuses(ds, scope, query.range),
                              IssueStatuses(ds, scope, prev)));
  }
  return r;
}

}  // namespace sei::metrics::bottlenecks
