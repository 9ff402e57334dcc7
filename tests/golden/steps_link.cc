// The "link" golden step: runs the linker (src/metrics/link) on the case's
// store with the case's settings, as `sei link` does.
#include "golden/golden_case.h"
#include "metrics/link/linker.h"

namespace sei::golden {
namespace {

const bool kRegistered = [] {
  Steps()["link"] = [](Store& store, const metrics::MetricsSettings& settings) -> Status {
    metrics::link::Linker linker(store, settings);
    SEI_ASSIGN_OR_RETURN(metrics::link::LinkSummary summary, linker.Run());
    (void)summary;
    return Status::Ok();
  };
  return true;
}();

}  // namespace
}  // namespace sei::golden
