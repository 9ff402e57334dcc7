// ServeCollector: what `sei serve` collects when the API triggers a
// collection (api/collection_runner.h), and what its scheduler runs on each
// connection's interval: git repositories, with the git collector and the
// config's collection settings, into the connection git:local; and syncs of
// GitHub connections (github_job.h). It is the app's because only the app
// sees concrete collectors.
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
  Result<std::vector<std::string>> DefaultLocations(Store& store,
                                                    const std::string& connection_id) override;
  Status Collect(Store& store, const api::CollectJob& job) override;

 private:
  Status Reconvert(Store& store, const api::CollectJob& job);
  const Globals& g_;
};

}  // namespace sei::app
