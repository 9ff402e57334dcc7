#include "app/derive.h"

#include <fmt/format.h>

#include <chrono>

#include "common/clock.h"
#include "common/strings.h"
#include "identity/identity_service.h"
#include "metrics/link/linker.h"

namespace sei::app {

std::string DeriveReport::OneLine() const {
  return fmt::format(
      "{} people from {} accounts; {} deployments linked to {} changes; {} of {} incidents "
      "linked ({:.1f} s)",
      WithThousands(people), WithThousands(accounts), WithThousands(deployments_linked),
      WithThousands(changes), WithThousands(incidents_linked), WithThousands(incidents), seconds);
}

Result<DeriveReport> Derive(const Globals& g, Store& store) {
  const auto start = std::chrono::steady_clock::now();
  DeriveReport r;
  identity::ServiceOptions options;
  options.resolver = g.config.identity;
  options.resolver.bot_pattern = g.config.metrics.bot_pattern;
  if (!g.config.file.empty()) options.org = &g.config.org;  // no config: leave teams alone
  identity::IdentityService service(store, SystemClock::Get());
  SEI_ASSIGN_OR_RETURN(identity::ServiceReport who, service.Resolve(options));
  r.people = static_cast<int64_t>(who.resolution.people.size());
  r.accounts = static_cast<int64_t>(who.resolution.accounts.size());
  metrics::link::Linker linker(store, g.config.metrics);
  SEI_ASSIGN_OR_RETURN(metrics::link::LinkSummary links, linker.Run());
  r.deployments_linked = links.successful_deployments;
  r.changes = links.pr_changes + links.direct_changes;
  r.incidents = links.incidents;
  for (const auto& [method, n] : links.incidents_by_method) r.incidents_linked += n;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace sei::app
