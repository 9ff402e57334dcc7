// FlowInputs: what every flow metric of one query reads, gathered in one
// pass over the scope's issues: each issue's timeline is built once, done
// issues inside the range are collected with their in-progress times, and
// the cumulative flow (counts per category and per status at each bucket's
// end) is accumulated with difference arrays, so the pass stays linear in
// issues and status changes.
//
// Thread safety: built and read by one thread; the Dataset is only read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/core/bucket_index.h"
#include "metrics/core/dataset.h"
#include "metrics/core/drill.h"
#include "metrics/core/result.h"
#include "metrics/flow/issue_timeline.h"

namespace sei::metrics::flow {

// An issue that became done inside the range.
struct DoneIssue {
  Idx issue = kNone;
  int64_t done_at = 0;
  int bucket = -1;
  ProgressTime progress;      // before done_at
  bool off_status = false;    // its changes do not end in done (done_at from resolved_at)
  bool broken_chain = false;  // its changes do not follow on from each other
};

// A pull request of the scope created before the range's end.
struct ScopePr {
  Idx pr = kNone;
  int64_t created_at = 0;
  std::optional<int64_t> merged_at;
  // When it stopped being work in progress (merged or closed, the first);
  // kForever while open; nullopt when closed with no time.
  std::optional<int64_t> end;
};

// An issue that exists at the range's end, with its state then.
struct IssueAtEnd {
  Idx issue = kNone;
  Category category = Category::kTodo;
  std::string_view status;
  int64_t in_progress = 0;  // seconds in progress up to the range's end
};

class FlowInputs {
 public:
  FlowInputs(const Dataset& ds, const ResolvedScope& scope, const Query& query);

  const Dataset& ds;
  const ResolvedScope& scope;
  const Query& query;
  const BucketIndex buckets;
  const WaitStatuses wait;

  // Some issue of the scope was created before the range's end: counts are
  // real zeros; without one they are missing.
  bool has_issues = false;
  int64_t issues_in_scope = 0;    // created before the range's end
  std::vector<DoneIssue> done;    // became done in the range (by done_at when drilling)
  int64_t done_now = 0;           // of issues_in_scope, done now
  int64_t done_without_time = 0;  // done now, with no instant to place it
  // Of the issues not settled (done for good before the range, whose state in
  // the range is certain): how many have no, or inconsistent, status changes.
  int64_t no_changes = 0, broken_chain = 0, off_status = 0;
  int64_t with_changes = 0;  // of issues_in_scope, with any status change

  // Pull requests (only when a PR metric is wanted), by created_at.
  std::vector<ScopePr> prs;
  std::vector<int64_t> probes;  // the instant each bucket's end state is read: end - 1

  // Cumulative flow at each bucket's end (the state at end - 1 s).
  std::vector<std::array<int64_t, kCategories>> by_category;  // [bucket][category]
  std::vector<std::string_view> statuses;                     // interned status names
  std::vector<Category> status_category;                      // of each, when first seen
  std::vector<std::vector<int64_t>> by_status;                // [status][bucket]
  std::vector<IssueAtEnd> at_end;  // in progress at the end; every issue when drilling

 private:
  bool SettledBefore(const DsIssue& issue, std::string_view* status) const;
  void VisitSettled(Idx i, std::string_view status);
  void Visit(Idx i, const IssueTimeline& t);
  void Finish();
  void CollectPrs();
  void Accumulate(const IssueTimeline& t);
  size_t StatusId(std::string_view status, Category category);

  std::vector<std::array<int64_t, kCategories>> category_diff_;
  std::vector<std::vector<int64_t>> status_diff_;
  bool wants_cfd_ = false;
};

// Helpers shared by the flow metrics.
Metric NewMetric(const char* key, const char* name, const char* unit, const char* statistic);
// Counts per bucket as a series; every value missing when `known` is false
// (the scope has no rows of the kind: nothing to count, not zero).
std::vector<SeriesPoint> CountSeries(const BucketIndex& buckets, const std::vector<int64_t>& counts,
                                     bool known);
// The median of each bucket's values (missing for an empty bucket).
std::vector<SeriesPoint> MedianSeries(const BucketIndex& buckets,
                                      std::vector<std::vector<double>>* per_bucket);
// Completeness of metrics read from every issue's history (WIP, cumulative
// flow): how many issues had no status changes or inconsistent ones.
void NoteIssueHistory(const FlowInputs& in, Completeness* c);
// Formats a number for a drill-down field: "8", "2.5".
std::string FieldNumber(double v);

}  // namespace sei::metrics::flow
