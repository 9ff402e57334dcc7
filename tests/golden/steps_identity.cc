// Golden pipeline step "identity": identity resolution over the case's rows
// (accounts, identity_overrides, each repo's .mailmap), exactly as
// `sei identity resolve` runs it (identity/identity_service.h), with the
// case's settings (bot_pattern) and a fixed clock. Org sync is not part of
// it: a case writes teams and team_members rows itself. Memberships a case
// writes against its own person ids follow the resolved people (the
// accounts' person_id says which), so a case may name people "p1", "p2".
//
//   steps: [identity]          # then e.g. [identity, link]
#include "fakes/fake_clock.h"
#include "golden/golden_case.h"
#include "identity/identity_service.h"

namespace sei::golden {
namespace {

Status RunIdentityStep(Store& store, const metrics::MetricsSettings& settings) {
  static const FakeClock kClock(1'700'000'000'000);
  identity::ServiceOptions options;
  options.resolver.bot_pattern = settings.bot_pattern;
  SEI_ASSIGN_OR_RETURN(identity::ServiceReport report,
                       identity::IdentityService(store, kClock).Resolve(options));
  if (!report.resolution.issues.empty()) {
    const identity::OverrideIssue& issue = report.resolution.issues.front();
    return FailedPreconditionError("identity override " + issue.override_id +
                                   " is not applied: " + issue.message);
  }
  return Status::Ok();
}

const bool kRegistered = [] {
  Steps()["identity"] = RunIdentityStep;
  return true;
}();

}  // namespace
}  // namespace sei::golden
