// Progress: how long-running work (collection) reports how far it got,
// without knowing whether anyone is watching. The app supplies a terminal
// progress bar when stderr is a terminal and NullProgress otherwise (CI, pipes).
//
// Thread safety: implementations must accept calls from any one thread at a
// time; the collector calls them from its writer thread only.
#pragma once

#include <cstdint>
#include <string_view>

namespace sei {

class Progress {
 public:
  virtual ~Progress() = default;
  // Starts a phase of `total` units (0 when unknown), e.g. ("commits", 50000).
  virtual void Begin(std::string_view label, int64_t total) = 0;
  // Units done so far in the current phase (absolute, not a delta).
  virtual void Update(int64_t done) = 0;
  // Ends the current phase.
  virtual void End() = 0;
};

class NullProgress : public Progress {
 public:
  void Begin(std::string_view, int64_t) override {}
  void Update(int64_t) override {}
  void End() override {}
};

}  // namespace sei
