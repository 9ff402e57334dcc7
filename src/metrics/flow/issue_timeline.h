// IssueTimeline: an issue's history as consecutive segments, each with its
// status category (todo, in progress, done) and status name, from the
// issue's creation onwards. Issue cycle time, lead time, WIP, flow
// efficiency, cumulative flow and sprint completion all read it, so they
// agree on what state an issue was in at any instant.
//
// How the history is rebuilt (docs/metrics.md, "Issue history"):
//  - status changes in time order (ties in store order); each one's
//    `to_category`/`to_status` holds from its instant until the next change;
//  - before the first change the issue is in that change's `from_*` state,
//    or todo when the change does not say;
//  - a change dated before the issue's creation counts from the creation;
//  - without any change, a done issue was todo until `resolved_at`, then
//    done; any other issue has been in its current state since creation;
//  - when the changes end in another category than the issue's current one
//    (changes missing), a done issue becomes done at `resolved_at`;
//  - the issue became done at the start of its final run of done segments:
//    re-opening and closing again moves it; an issue not done now is not done.
//
// Thread safety: one timeline per thread (it reuses its buffer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/core/dataset.h"

namespace sei::metrics::flow {

enum class Category : uint8_t { kTodo = 0, kInProgress = 1, kDone = 2 };
inline constexpr int kCategories = 3;

// "in_progress" -> in progress, "done" -> done, anything else -> todo.
Category CategoryOf(std::string_view name);
std::string_view CategoryName(Category c);

struct Segment {
  int64_t start = 0;
  int64_t end = kForever;  // exclusive
  Category category = Category::kTodo;
  std::string_view status;  // empty when unknown
};

// Statuses that count as waiting inside the in-progress category
// (settings.wait_statuses, compared case-insensitively).
class WaitStatuses {
 public:
  explicit WaitStatuses(const std::vector<std::string>& names);
  bool Contains(std::string_view status) const;

 private:
  std::vector<std::string> lower_;
};

// Time spent in the in-progress category before some instant.
struct ProgressTime {
  bool started = false;  // any in-progress segment before the instant
  int64_t total = 0;     // seconds in progress
  int64_t waiting = 0;   // of those, seconds in a waiting status
};

class IssueTimeline {
 public:
  // Rebuilds the timeline for `issue`, reusing the buffer. The timeline
  // points into `ds` and `issue`: they must outlive its use.
  void Build(const Dataset& ds, const DsIssue& issue);

  const std::vector<Segment>& segments() const { return segments_; }
  // When the issue became done for the last time; nullopt when it is not
  // done now, or is done with no instant to place it.
  std::optional<int64_t> done_at() const { return done_at_; }
  bool done() const { return done_; }

  ProgressTime InProgressBefore(int64_t until, const WaitStatuses& wait) const;
  // The segment holding instant `t` (changes at `t` included); nullptr
  // before the issue was created.
  const Segment* At(int64_t t) const;

  // Data quality, for completeness notes.
  bool no_changes() const { return no_changes_; }
  // A change's from_status is not the previous change's to_status.
  bool broken_chain() const { return broken_chain_; }
  // The changes end in another category than the issue's current one.
  bool off_status() const { return off_status_; }

 private:
  void Push(int64_t at, Category category, std::string_view status);
  void BuildWithoutChanges(const DsIssue& issue, Category now);

  std::vector<Segment> segments_;
  std::optional<int64_t> done_at_;
  bool done_ = false;
  bool no_changes_ = false;
  bool broken_chain_ = false;
  bool off_status_ = false;
};

}  // namespace sei::metrics::flow
