// flow.sprint_velocity.points, flow.sprint_velocity.issues and
// flow.planning_accuracy, from the figures of each sprint (sprint_figures.h).
#include <string>

#include "metrics/flow/flow_metrics.h"
#include "metrics/flow/sprint_figures.h"

namespace sei::metrics::flow {

namespace {

// Reads one number (points or issues) out of an Amount.
using Measure = double (*)(const Amount&);
double Points(const Amount& a) { return a.points; }
double Issues(const Amount& a) { return static_cast<double>(a.issues); }

DrillRow SprintRow(const Dataset& ds, const SprintFigures& f, std::optional<double> value) {
  const DsSprint& s = ds.sprints[static_cast<size_t>(f.sprint)];
  DrillRow r;
  r.entity = "sprint";
  r.id = s.id;
  r.title = s.name;
  r.at = f.end;
  r.value = value;
  if (s.board != kNone)
    r.fields.emplace_back("board", ds.boards[static_cast<size_t>(s.board)].name);
  const std::pair<const char*, const Amount*> amounts[] = {
      {"committed", &f.committed},
      {"completed", &f.completed},
      {"completed_committed", &f.completed_committed},
      {"added", &f.added},
      {"removed", &f.removed},
      {"carried_over", &f.carried_over}};
  for (const auto& [name, a] : amounts) {
    r.fields.emplace_back(std::string(name) + "_issues", std::to_string(a->issues));
    if (f.has_points())
      r.fields.emplace_back(std::string(name) + "_points", FieldNumber(a->points));
  }
  return r;
}

MetricPart SumPart(const char* key, double value) {
  MetricPart p;
  p.key = key;
  p.value = value;
  return p;
}

void NoteSprints(const SprintSelection& sel, Metric* m) {
  if (sel.active > 0) {
    m->notes.push_back(std::to_string(sel.active) +
                       " sprint(s) ending in the range are still active and not measured");
  }
}

// Per-sprint values of one measure, and the sums behind the parts.
struct VelocityFigures {
  std::vector<double> values;
  std::vector<std::vector<double>> per_bucket;
  double sums[6] = {0, 0, 0, 0, 0, 0};  // kPartKeys order
  int64_t issues = 0, with_points = 0, sprints_without_points = 0;
};
constexpr const char* kPartKeys[6] = {"committed", "completed",    "added",
                                      "removed",   "carried_over", "completed_committed"};

// Adds one sprint; returns its velocity (nullopt: no points to count).
std::optional<double> Add(const FlowInputs& in, const SprintFigures& f, bool points,
                          VelocityFigures* v) {
  const Measure measure = points ? Points : Issues;
  v->issues += f.issues;
  v->with_points += f.issues_with_points;
  if (points && !f.has_points()) {
    ++v->sprints_without_points;
    return std::nullopt;
  }
  const double completed = measure(f.completed);
  v->values.push_back(completed);
  const int b = in.buckets.Of(f.end);
  if (b >= 0) v->per_bucket[static_cast<size_t>(b)].push_back(completed);
  const Amount* amounts[6] = {&f.committed, &f.completed,    &f.added,
                              &f.removed,   &f.carried_over, &f.completed_committed};
  for (int i = 0; i < 6; ++i) v->sums[i] += measure(*amounts[i]);
  return completed;
}

void Velocity(const FlowInputs& in, const SprintSelection& sel, bool points, Report* report) {
  Metric m =
      points
          ? NewMetric("flow.sprint_velocity.points", "Sprint velocity (points)", "points", "median")
          : NewMetric("flow.sprint_velocity.issues", "Sprint velocity (issues)", "count", "median");
  VelocityFigures v;
  v.per_bucket.resize(in.buckets.size());
  for (const SprintFigures& f : sel.sprints) {
    const std::optional<double> value = Add(in, f, points, &v);
    if (in.query.drill) m.rows.push_back(SprintRow(in.ds, f, value));
  }
  m.distribution = Summarize(&v.values);
  m.value = m.distribution.p50;
  if (m.value) {
    for (int i = 0; i < 6; ++i) m.parts.push_back(SumPart(kPartKeys[i], v.sums[i]));
  }
  m.completeness.total = static_cast<int64_t>(sel.sprints.size());
  m.completeness.measured = m.distribution.n;
  if (points) {
    m.completeness.NoteMissing(v.sprints_without_points, m.completeness.total,
                               "sprints have no issue with points");
    m.completeness.NoteMissing(v.issues - v.with_points, v.issues, "sprint issues have no points");
  }
  NoteSprints(sel, &m);
  if (in.query.series) m.series = MedianSeries(in.buckets, &v.per_bucket);
  report->metrics.push_back(std::move(m));
}

// Completed committed work over committed work: by points when every
// committed issue has points, else by counts.
struct Accuracy {
  std::optional<double> value;
  bool by_points = false;
  std::optional<double> by_count;
};

Accuracy AccuracyOf(const SprintFigures& f) {
  Accuracy a;
  if (f.committed.issues == 0) return a;
  a.by_count =
      static_cast<double>(f.completed_committed.issues) / static_cast<double>(f.committed.issues);
  a.by_points = f.committed_without_points == 0 && f.committed.points > 0;
  a.value = a.by_points ? f.completed_committed.points / f.committed.points : a.by_count;
  return a;
}

MetricPart MedianPart(const char* key, std::vector<double>* values) {
  MetricPart p;
  p.key = key;
  p.distribution = Summarize(values);
  p.value = p.distribution.p50;
  return p;
}

void PlanningAccuracy(const FlowInputs& in, const SprintSelection& sel, Report* report) {
  Metric m = NewMetric("flow.planning_accuracy", "Planning accuracy", "ratio", "median");
  std::vector<double> values, by_points, by_count;
  std::vector<std::vector<double>> per_bucket(in.buckets.size());
  int64_t counted_by_issues = 0;
  for (const SprintFigures& f : sel.sprints) {
    const Accuracy a = AccuracyOf(f);
    if (in.query.drill) {
      DrillRow row = SprintRow(in.ds, f, a.value);
      if (a.value) row.fields.emplace_back("basis", a.by_points ? "points" : "issues");
      m.rows.push_back(std::move(row));
    }
    if (!a.value) continue;
    values.push_back(*a.value);
    by_count.push_back(*a.by_count);
    if (a.by_points) by_points.push_back(*a.value);
    if (!a.by_points) ++counted_by_issues;
    const int b = in.buckets.Of(f.end);
    if (b >= 0) per_bucket[static_cast<size_t>(b)].push_back(*a.value);
  }
  m.distribution = Summarize(&values);
  m.value = m.distribution.p50;
  if (!values.empty()) {
    m.parts.push_back(MedianPart("points", &by_points));
    m.parts.push_back(MedianPart("issues", &by_count));
  }
  m.completeness.total = static_cast<int64_t>(sel.sprints.size());
  m.completeness.measured = m.distribution.n;
  m.completeness.NoteMissing(m.completeness.total - m.completeness.measured, m.completeness.total,
                             "sprints have no committed issue");
  m.completeness.NoteMissing(counted_by_issues, m.distribution.n,
                             "sprints are measured by issue counts (some committed issues have no "
                             "points)");
  NoteSprints(sel, &m);
  if (in.query.series) m.series = MedianSeries(in.buckets, &per_bucket);
  report->metrics.push_back(std::move(m));
}

}  // namespace

void AddSprintMetrics(const FlowInputs& in, Report* report) {
  const bool points = in.query.Wants("flow.sprint_velocity.points");
  const bool issues = in.query.Wants("flow.sprint_velocity.issues");
  const bool accuracy = in.query.Wants("flow.planning_accuracy");
  if (!points && !issues && !accuracy) return;
  const SprintSelection sel = SelectSprints(in.ds, in.scope, in.query.range);
  if (points) Velocity(in, sel, true, report);
  if (issues) Velocity(in, sel, false, report);
  if (accuracy) PlanningAccuracy(in, sel, report);
}

}  // namespace sei::metrics::flow
