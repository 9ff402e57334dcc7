// ServeCollector: what `sei serve` collects when the API triggers a
// collection (api/collection_runner.h): git repositories, with the git
// collector and the config's collection settings, into the connection
// git:local. It is the app's because only the app sees concrete collectors.
//
// Thread safety: Collect from one runner thread at a time per connection;
// the other methods from any thread.
#pragma once

#include <string>

#include "api/collection_runner.h"
#include "app/commands.h"

namespace sei::app {

class ServeCollector : public api::RepoCollector {
 public:
  explicit ServeCollector(const Globals& g) : g_(g) {}

  bool Collects(const std::string& connection_id) const override;
  Result<std::vector<std::string>> DefaultLocations(Store& store) override;
  Status Collect(Store& store, const std::string& location, int64_t run_id,
                 const std::atomic<bool>* cancel) override;

 private:
  const Globals& g_;
};

}  // namespace sei::app
