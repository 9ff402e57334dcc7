// TerminalProgress: a one-line progress bar on stderr ("commits done/total,
// rate, ETA"), redrawn at most 10 times a second and erased when done. Used
// only when stderr is a terminal; CI and pipes get NullProgress.
//
// Thread safety: one thread at a time.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "common/progress.h"

namespace sei::app {

class TerminalProgress : public Progress {
 public:
  explicit TerminalProgress(std::FILE* out = stderr) : out_(out) {}
  ~TerminalProgress() override;

  void Begin(std::string_view label, int64_t total) override;
  void Update(int64_t done) override;
  void End() override;

  // The line drawn for a state (exposed for tests).
  static std::string Render(std::string_view label, int64_t done, int64_t total, double seconds,
                            int width);

 private:
  void Draw(bool force);

  std::FILE* out_;
  std::string label_;
  int64_t total_ = 0;
  int64_t done_ = 0;
  bool active_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace sei::app
