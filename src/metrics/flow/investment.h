// Investment categories and labels of issues, for the investment mix.
//
// Normalised issue types (issues.type) map to investment categories:
//   feature   feature, story, requirement, improvement, enhancement
//   bug       bug, defect
//   task      task, subtask, sub-task, chore, maintenance (tasks and chores)
//   incident  incident
//   other     every other type
// Epics are left out of the mix: they hold other issues, whose work is
// counted on its own (counting both would count it twice).
//
// Labels are stored as a JSON array of strings (`["ui","tech-debt"]`); text
// that is not an array is read as comma-separated labels.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <string_view>

namespace sei::metrics::flow {

enum class Investment { kFeature = 0, kBug, kTask, kIncident, kOther, kEpic };
inline constexpr std::array<const char*, 5> kInvestmentKeys = {"feature", "bug", "task", "incident",
                                                               "other"};

Investment InvestmentOf(std::string_view type);
const char* InvestmentKey(Investment i);

// Calls `fn` with each label (trimmed, non-empty) in `text`.
void ForEachLabel(std::string_view text, const std::function<void(std::string_view)>& fn);

}  // namespace sei::metrics::flow
