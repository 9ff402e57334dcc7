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
#include <string>
#include <string_view>

namespace sei::metrics::flow {

enum class Investment { kFeature = 0, kBug, kTask, kIncident, kOther, kEpic };
inline constexpr std::array<const char*, 5> kInvestmentKeys = {"feature", "bug", "task", "incident",
                                                               "other"};

Investment InvestmentOf(std::string_view type);
const char* InvestmentKey(Investment i);

// Reads the labels (trimmed, non-empty) of one issue's `labels` text, one
// at a time, without allocating unless a label holds a JSON escape.
class LabelReader {
 public:
  explicit LabelReader(std::string_view text);
  // The next label, valid until the following call; false at the end.
  bool Next(std::string_view* label);

 private:
  std::string_view text_;
  size_t pos_ = 0;
  bool json_ = false;
  std::string scratch_;  // an unescaped label
};

// Calls `fn(std::string_view)` with each label in `text`.
template <class Fn>
void ForEachLabel(std::string_view text, Fn&& fn) {
  LabelReader reader(text);
  std::string_view label;
  while (reader.Next(&label)) fn(label);
}

}  // namespace sei::metrics::flow
