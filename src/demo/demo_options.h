// DemoOptions: what `sei demo` is asked to generate, the time window it
// covers, and the marker that records both in the store.
//
// The organisation's history ends at the end of day `until` (UTC) and its
// reporting window covers the `months` calendar months before; simulation
// starts six weeks earlier so that work is already in flight when the window
// opens (PRs open, sprints running). Repositories and their first commits are
// older still.
//
// The marker is a canonical text of every option that changes the rows
// ("demo-v1;seed=1;until=2026-11-30;months=12;scale=0;size=1"); the demo
// stores it and refuses to write into a database that holds a demo made with
// another marker, since the two would mix.
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/status.h"

namespace sei::demo {

// What --scale grows the organisation to, at least.
struct ScaleTargets {
  int64_t commits = 1'000'000;
  int64_t prs = 200'000;
  int64_t deployments = 50'000;
};

struct DemoOptions {
  uint64_t seed = 1;
  std::string until = "2026-11-30";  // YYYY-MM-DD
  int months = 12;
  bool scale = false;
  // Hidden (tests): multiplies people's activity (PRs, pushes, bot PRs).
  double size = 1.0;
  // Hidden (tests): what scale mode grows to.
  ScaleTargets targets;
};

struct DemoWindow {
  int64_t sim_start = 0;  // simulation starts (six weeks before start)
  int64_t start = 0;      // reporting window opens (00:00 UTC)
  int64_t end = 0;        // history ends: the day after `until`, 00:00 UTC (exclusive)
};

// Checks ranges and the date; errors name the flag and the accepted values.
Status ValidateOptions(const DemoOptions& options);
Result<DemoWindow> ResolveWindow(const DemoOptions& options);

// The generator's version: bump when the rows it writes for a seed change.
inline constexpr const char* kGeneratorVersion = "demo-v1";

std::string OptionsMarker(const DemoOptions& options);
// "--seed 1 --until 2026-11-30 --months 12 --scale" for a marker (the
// options to pass to reproduce it), for messages.
std::string MarkerAsFlags(const std::string& marker);

}  // namespace sei::demo
