// What a metric is asked for: a scope (organisation, team, project, repo,
// person), a half-open time range [since, until) in UTC, and a granularity
// for series (day, week starting Monday, calendar month; all UTC).
//
// Scopes are written "org", "team:<id or name>", "project:<id or name>",
// "repo:<id or name>", "person:<id, email or name>"; ParseScope checks the
// shape only, the Dataset resolves names to ids (ResolveScope).
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sei::metrics {

enum class ScopeKind { kOrg, kTeam, kProject, kRepo, kPerson };

std::string_view ScopeKindName(ScopeKind kind);

struct Scope {
  ScopeKind kind = ScopeKind::kOrg;
  std::string id;  // empty for the organisation

  std::string ToString() const;  // "org", "team:platform"
  bool operator==(const Scope&) const = default;
};

// "org" | "team:X" | "project:X" | "repo:X" | "person:X".
Result<Scope> ParseScope(std::string_view text);

enum class Granularity { kDay, kWeek, kMonth };

std::string_view GranularityName(Granularity g);
Result<Granularity> ParseGranularity(std::string_view text);

struct TimeRange {
  int64_t since = 0;  // inclusive, Unix seconds UTC
  int64_t until = 0;  // exclusive

  bool Contains(int64_t t) const { return t >= since && t < until; }
  int64_t Seconds() const { return until - since; }
  double Days() const { return static_cast<double>(until - since) / 86400.0; }
  double Weeks() const { return static_cast<double>(until - since) / (7 * 86400.0); }
  // The range of the same length that ends where this one starts.
  TimeRange Previous() const { return {since - (until - since), since}; }
  bool operator==(const TimeRange&) const = default;
};

// Start of the bucket holding `t`: midnight, Monday midnight, or the first of
// the month (UTC).
int64_t BucketStart(int64_t t, Granularity g);
// Start of the bucket after the one starting at `start`.
int64_t NextBucket(int64_t start, Granularity g);
// Every bucket start that overlaps `range`, in order.
std::vector<int64_t> BucketStarts(const TimeRange& range, Granularity g);

}  // namespace sei::metrics
