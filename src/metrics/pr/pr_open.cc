// Open PRs at the end of the range (their age, and the stale ones), and
// review load: who reviewed how much, and whose work.
#include <algorithm>

#include "metrics/core/drill.h"
#include "metrics/core/stats.h"
#include "metrics/pr/pr_internal.h"

namespace sei::metrics::pr {

namespace {

bool OpenAt(const DsPr& p, int64_t t) {
  if (p.created_at >= t) return false;
  if (p.merged_at && *p.merged_at < t) return false;
  if (p.closed_at && *p.closed_at < t) return false;
  return true;
}

// The latest activity on a PR before `t`: its creation, commits, reviews
// and comments (updated_at only when before t: it moves with every edit).
int64_t LastActivityBefore(const Dataset& ds, const DsPr& p, int64_t t) {
  int64_t last = p.created_at;
  auto take = [&](std::optional<int64_t> v) {
    if (v && *v<t&& * v> last) last = *v;
  };
  take(p.updated_at);
  for (uint32_t i = p.commits.begin; i < p.commits.end; ++i) take(ds.pr_commits[i].authored_at);
  for (uint32_t i = p.reviews.begin; i < p.reviews.end; ++i) take(ds.reviews[i].submitted_at);
  for (uint32_t i = p.comments.begin; i < p.comments.end; ++i) take(ds.comments[i].created_at);
  return last;
}

std::pair<Metric, Metric> OpenPrs(const Flow& f) {
  Metric age, stale;
  age.key = "pr.open_age";
  age.name = "Age of open PRs";
  age.unit = "seconds";
  age.statistic = "median";
  stale.key = "pr.stale";
  stale.name = "Stale PRs";
  stale.unit = "count";
  stale.statistic = "count";
  const int64_t t = f.range.until;
  std::vector<double> ages;
  int64_t drafts = 0, stale_n = 0;
  for (const DsPr& p : f.ds.prs) {
    if (p.created_at >= t) break;  // sorted by creation
    if (!OpenAt(p, t) || !f.ds.PrInScope(f.scope, p)) continue;
    const double a = static_cast<double>(t - p.created_at);
    ages.push_back(a);
    if (p.draft) ++drafts;
    if (f.query.drill) age.rows.push_back(PrRow(f.ds, p, p.created_at, a));
    const int64_t idle = t - LastActivityBefore(f.ds, p, t);
    if (idle < f.ds.settings.stale_pr_seconds) continue;
    ++stale_n;
    if (f.query.drill) {
      DrillRow row = PrRow(f.ds, p, p.created_at, static_cast<double>(idle));
      row.fields.push_back({"idle_seconds", std::to_string(idle)});
      stale.rows.push_back(std::move(row));
    }
  }
  const auto open = static_cast<int64_t>(ages.size());
  age.distribution = Summarize(&ages);
  age.value = age.distribution.p50;
  age.parts = {{"open", static_cast<double>(open), {}, {}, "count"},
               {"drafts", static_cast<double>(drafts), {}, Ratio(drafts, open), "count"}};
  age.completeness.total = age.completeness.measured = open;
  stale.value = static_cast<double>(stale_n);
  stale.distribution.n = open;
  stale.parts = {{"open", static_cast<double>(open), {}, {}, "count"},
                 {"stale", static_cast<double>(stale_n), {}, Ratio(stale_n, open), "count"}};
  stale.completeness.total = stale.completeness.measured = open;
  stale.notes.push_back("stale: open with no activity for " +
                        std::to_string(f.ds.settings.stale_pr_seconds / 86400) + " days");
  return {std::move(age), std::move(stale)};
}

Metric ReviewLoad(const Flow& f) {
  Metric m;
  m.key = "pr.review_load";
  m.name = "Review load";
  m.unit = "reviews";
  m.statistic = "sum";
  std::vector<int64_t> by_reviewer(f.ds.people.size(), 0);
  std::vector<uint64_t> pairs;  // reviewer << 32 | author, one per review (drill only)
  int64_t total = 0;
  for (const DsReview& r : f.ds.reviews) {
    if (!f.ds.ReviewInScope(f.scope, r, f.range)) continue;
    const DsPr& p = f.ds.prs[static_cast<size_t>(r.pr)];
    ++total;
    ++by_reviewer[static_cast<size_t>(r.reviewer)];
    if (f.query.drill) {
      pairs.push_back(static_cast<uint64_t>(static_cast<uint32_t>(r.reviewer)) << 32 |
                      static_cast<uint32_t>(p.author));
    }
  }
  std::vector<std::pair<int64_t, Idx>> ranked;
  std::vector<double> per_reviewer;
  for (size_t who = 0; who < by_reviewer.size(); ++who) {
    if (by_reviewer[who] == 0) continue;
    ranked.push_back({by_reviewer[who], static_cast<Idx>(who)});
    per_reviewer.push_back(static_cast<double>(by_reviewer[who]));
  }
  const size_t top = std::min<size_t>(ranked.size(), 20);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  m.value = static_cast<double>(total);
  m.distribution = Summarize(&per_reviewer);
  for (size_t i = 0; i < top; ++i) {
    m.parts.push_back({PersonName(f.ds, ranked[i].second),
                       static_cast<double>(ranked[i].first),
                       {},
                       Ratio(static_cast<double>(ranked[i].first), static_cast<double>(total)),
                       "reviews"});
  }
  m.completeness.total = m.completeness.measured = total;
  std::sort(pairs.begin(), pairs.end());
  for (size_t i = 0; i < pairs.size();) {
    size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    const Idx reviewer = static_cast<Idx>(pairs[i] >> 32);
    const Idx author = static_cast<Idx>(static_cast<int32_t>(pairs[i] & 0xffffffffu));
    DrillRow row;
    row.entity = "review-pair";
    row.id = f.ds.people[static_cast<size_t>(reviewer)].id + ">" +
             (author == kNone ? "" : f.ds.people[static_cast<size_t>(author)].id);
    row.value = static_cast<double>(j - i);
    row.fields = {{"reviewer", PersonName(f.ds, reviewer)}, {"author", PersonName(f.ds, author)}};
    m.rows.push_back(std::move(row));
    i = j;
  }
  return m;
}

}  // namespace

std::vector<Metric> OpenAndLoadMetrics(const Flow& f) {
  std::vector<Metric> out;
  if (f.query.Wants("pr.open_age") || f.query.Wants("pr.stale")) {
    auto [age, stale] = OpenPrs(f);
    if (f.query.Wants("pr.open_age")) out.push_back(std::move(age));
    if (f.query.Wants("pr.stale")) out.push_back(std::move(stale));
  }
  if (f.query.Wants("pr.review_load")) out.push_back(ReviewLoad(f));
  return out;
}

}  // namespace sei::metrics::pr
