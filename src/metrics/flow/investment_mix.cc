// flow.investment_mix.type, .type_points, .label and .label_points: where
// the done work went, by investment category (investment.h) and by label.
#include <algorithm>
#include <deque>
#include <string>
#include <unordered_map>

#include "metrics/flow/flow_metrics.h"
#include "metrics/flow/investment.h"

namespace sei::metrics::flow {

namespace {

constexpr size_t kMaxLabelParts = 20;

struct Share {
  std::string key;
  int64_t issues = 0;
  double points = 0;
};

// The done issues of the mix (epics left out), by investment category and label.
struct Mix {
  std::vector<Idx> issues;
  int64_t epics = 0, with_points = 0;
  double points = 0;
  std::vector<Share> types;   // kInvestmentKeys order
  std::vector<Share> labels;  // by issues, then name
  Share unlabelled{"(no label)", 0, 0};
};

// Counts one issue under each of its labels (or "(no label)").
class LabelCounter {
 public:
  explicit LabelCounter(Mix* mix) : mix_(*mix) {}
  void Add(const DsIssue& issue, double points) {
    bool any = false;
    ForEachLabel(issue.labels ? std::string_view(*issue.labels) : std::string_view(),
                 [&](std::string_view label) {
                   auto it = index_.find(label);
                   if (it == index_.end()) {
                     names_.emplace_back(label);
                     it = index_.emplace(names_.back(), mix_.labels.size()).first;
                     mix_.labels.push_back({names_.back(), 0, 0});
                   }
                   ++mix_.labels[it->second].issues;
                   mix_.labels[it->second].points += points;
                   any = true;
                 });
    if (!any) {
      ++mix_.unlabelled.issues;
      mix_.unlabelled.points += points;
    }
  }

 private:
  Mix& mix_;
  std::deque<std::string> names_;  // the keys' storage: deque elements never move
  std::unordered_map<std::string_view, size_t> index_;
};

Mix Gather(const FlowInputs& in, bool labels) {
  Mix mix;
  for (const char* k : kInvestmentKeys) mix.types.push_back({k, 0, 0});
  LabelCounter counter(&mix);
  for (const DoneIssue& d : in.done) {
    const DsIssue& issue = in.ds.issues[static_cast<size_t>(d.issue)];
    const Investment inv = InvestmentOf(issue.type);
    if (inv == Investment::kEpic) {
      ++mix.epics;
      continue;
    }
    mix.issues.push_back(d.issue);
    const double pts = issue.points.value_or(0);
    mix.with_points += issue.points.has_value();
    mix.points += pts;
    Share& t = mix.types[static_cast<size_t>(inv)];
    ++t.issues;
    t.points += pts;
    if (labels) counter.Add(issue, pts);
  }
  std::sort(mix.labels.begin(), mix.labels.end(), [](const Share& a, const Share& b) {
    return a.issues != b.issues ? a.issues > b.issues : a.key < b.key;
  });
  return mix;
}

void AddRows(const FlowInputs& in, const Mix& mix, bool points, Metric* m) {
  if (!in.query.drill) return;
  for (Idx i : mix.issues) {
    const DsIssue& issue = in.ds.issues[static_cast<size_t>(i)];
    DrillRow row =
        IssueRow(issue, std::nullopt, points ? issue.points : std::optional<double>(1.0));
    row.fields.emplace_back("type", issue.type);
    row.fields.emplace_back("investment", InvestmentKey(InvestmentOf(issue.type)));
    row.fields.emplace_back("labels", issue.labels.value_or(""));
    m->rows.push_back(std::move(row));
  }
}

Metric MixMetric(const FlowInputs& in, const Mix& mix, const std::vector<Share>& shares,
                 bool points, bool by_label) {
  Metric m =
      by_label
          ? (points ? NewMetric("flow.investment_mix.label_points",
                                "Investment mix by label (points)", "points", "share")
                    : NewMetric("flow.investment_mix.label", "Investment mix by label", "count",
                                "share"))
          : (points ? NewMetric("flow.investment_mix.type_points", "Investment mix (points)",
                                "points", "share")
                    : NewMetric("flow.investment_mix.type", "Investment mix", "count", "share"));
  const double whole = points ? mix.points : static_cast<double>(mix.issues.size());
  const int64_t n = static_cast<int64_t>(mix.issues.size());
  if (in.has_issues && (!points || mix.with_points > 0)) m.value = whole;
  m.distribution.n = points ? mix.with_points : n;
  const size_t shown = by_label ? std::min(shares.size(), kMaxLabelParts) : shares.size();
  auto add_part = [&](const Share& s) {
    MetricPart p;
    p.key = s.key;
    p.value = points ? s.points : static_cast<double>(s.issues);
    p.share = Ratio(*p.value, whole);
    m.parts.push_back(std::move(p));
  };
  for (size_t i = 0; i < shown; ++i) add_part(shares[i]);
  if (by_label && mix.unlabelled.issues > 0) add_part(mix.unlabelled);
  if (shown < shares.size()) {
    m.notes.push_back(std::to_string(shares.size() - shown) +
                      " less frequent labels are not shown (drill down for every issue)");
  }
  m.completeness.total = n;
  m.completeness.measured = points ? mix.with_points : n;
  if (points) m.completeness.NoteMissing(n - mix.with_points, n, "done issues have no points");
  if (mix.epics > 0) {
    m.notes.push_back(std::to_string(mix.epics) +
                      " done epic(s) left out: their work is counted in their issues");
  }
  AddRows(in, mix, points, &m);
  return m;
}

}  // namespace

void AddInvestmentMix(const FlowInputs& in, Report* report) {
  const bool type = in.query.Wants("flow.investment_mix.type");
  const bool type_points = in.query.Wants("flow.investment_mix.type_points");
  const bool label = in.query.Wants("flow.investment_mix.label");
  const bool label_points = in.query.Wants("flow.investment_mix.label_points");
  if (!type && !type_points && !label && !label_points) return;
  const Mix mix = Gather(in, label || label_points);
  if (type) report->metrics.push_back(MixMetric(in, mix, mix.types, false, false));
  if (type_points) report->metrics.push_back(MixMetric(in, mix, mix.types, true, false));
  if (label) report->metrics.push_back(MixMetric(in, mix, mix.labels, false, true));
  if (label_points) report->metrics.push_back(MixMetric(in, mix, mix.labels, true, true));
}

}  // namespace sei::metrics::flow
