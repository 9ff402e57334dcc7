// Small helpers the linker's parts share: result and outcome vocabulary,
// case folding. Internal to src/metrics/link.
//
// Thread safety: pure functions.
#pragma once

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace sei::metrics::link {

inline std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// What a CI job or pipeline run came to.
enum class Outcome { kSuccess, kFailure, kCancelled, kSkipped, kRunning };

// Maps the result vocabularies of the CI sources (any case) to an Outcome;
// no result yet means running unless the status says it is done.
inline Outcome OutcomeOf(const std::optional<std::string>& result, std::string_view status) {
  const std::string r = Lower(result.value_or(""));
  if (r == "success" || r == "succeeded" || r == "successful" || r == "passed") {
    return Outcome::kSuccess;
  }
  if (r == "failure" || r == "failed" || r == "error" || r == "errored" || r == "timed_out" ||
      r == "timeout") {
    return Outcome::kFailure;
  }
  if (r == "cancelled" || r == "canceled" || r == "aborted") return Outcome::kCancelled;
  if (r == "skipped" || r == "manual" || r == "not_run" || r == "neutral") {
    return Outcome::kSkipped;
  }
  const std::string s = Lower(status);
  if (r.empty() && (s == "done" || s == "completed" || s == "finished")) return Outcome::kSkipped;
  return Outcome::kRunning;
}

// deployment_commits rows the linker reads as inputs and never rewrites:
// "explicit" (a source listed the commits) and "pushed" (the push API's
// "commits", src/collectors/push). Every other link_method is derived.
inline bool IsInputShipMethod(std::string_view link_method) {
  return link_method == "explicit" || link_method == "pushed";
}

// A deployment counts as shipped when its result is "success" (any case).
inline bool IsSuccess(std::string_view result) { return Lower(result) == "success"; }
// success, failure or rolled_back: a deployment that ran against its
// environment (cancelled and in-progress ones did not finish).
inline bool ReachedProduction(std::string_view result) {
  const std::string r = Lower(result);
  return r == "success" || r == "failure" || r == "rolled_back";
}

}  // namespace sei::metrics::link
