// `sei link`: runs the linker (src/metrics/link) — deployments to the
// commits and changes they shipped, commits to pull requests, incidents to
// deployments, deployments from CI — and says what it linked and what it
// could not, in words.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>

#include "app/commands.h"
#include "app/store_factory.h"
#include "common/strings.h"
#include "common/time.h"
#include "metrics/core/settings.h"
#include "metrics/link/linker.h"

namespace sei::app {

namespace {

struct LinkArgs {
  std::string format = "text";
  std::string mode;  // "", "default" or "devlake"
  std::string history_start;
  std::optional<int> window_days;
  std::optional<int64_t> incident_window_hours;
};

int64_t Get(const std::map<std::string, int64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

std::string Share(int64_t part, int64_t whole) {
  if (whole <= 0) return "0%";
  const double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  return p > 0 && p < 1 ? "<1%" : fmt::format("{:.0f}%", p);
}

std::string N(int64_t n) { return WithThousands(n); }

void PrintDeployments(const metrics::link::LinkSummary& s,
                      const metrics::MetricsSettings& settings) {
  const auto& m = s.deployments_by_method;
  std::printf("Deployments: %s", N(s.deployments).c_str());
  if (s.generated_deployments > 0 || s.removed_deployments > 0) {
    std::printf(" (%s made from CI pipelines; %s made earlier and gone, removed)",
                N(s.generated_deployments).c_str(), N(s.removed_deployments).c_str());
  }
  std::printf("\n");
  const int64_t graph = Get(m, "graph"), bounded = Get(m, "first-bounded"),
                unbounded = Get(m, "first-unbounded"), expl = Get(m, "explicit");
  const int64_t linked = graph + bounded + unbounded + expl;
  std::printf("  %s of %s successful deployments are linked to the commits they shipped\n",
              N(linked).c_str(), N(s.successful_deployments).c_str());
  std::printf("    %s by a graph walk from the previous successful deployment\n", N(graph).c_str());
  if (bounded > 0) {
    std::printf("    %s first deployments, counting only commits of the %d days before them\n",
                N(bounded).c_str(), settings.first_deployment_window_days);
  }
  if (unbounded > 0) {
    std::printf("    %s first deployments, counting every earlier commit (DevLake)\n",
                N(unbounded).c_str());
  }
  std::printf("    %s with the commits their source listed (explicit)\n", N(expl).c_str());
  const int64_t no_commit = Get(m, "no-commit"), no_graph = Get(m, "no-graph");
  if (no_commit + no_graph > 0) {
    std::printf(
        "  %s of successful deployments have no linked commit: %s name no commit, %s name a "
        "commit that is not collected\n",
        Share(no_commit + no_graph, s.successful_deployments).c_str(), N(no_commit).c_str(),
        N(no_graph).c_str());
  }
  const int64_t idle = Get(m, "not-successful") + Get(m, "no-time") + Get(m, "devlake-excluded");
  if (idle > 0) {
    std::printf(
        "  %s did not succeed (failed, cancelled, in progress) or have no time, and ship "
        "nothing\n",
        N(idle).c_str());
  }
}

void PrintChanges(const metrics::link::LinkSummary& s) {
  std::printf("Commits shipped: %s, in %s changes (%s pull requests, %s direct commits)\n",
              N(s.commits_shipped).c_str(), N(s.pr_changes + s.direct_changes).c_str(),
              N(s.pr_changes).c_str(), N(s.direct_changes).c_str());
  if (s.explicit_commits_unknown > 0) {
    std::printf(
        "  %s listed commits are neither collected nor part of a known pull request: "
        "shipped, but no change\n",
        N(s.explicit_commits_unknown).c_str());
  }
  const auto& p = s.pr_matches_by_method;
  int64_t total = 0;
  for (const auto& [k, v] : p) total += v;
  std::printf(
      "Commits matched to pull requests: %s (%s by merge sha, %s listed as PR commits, "
      "%s by head sha, %s by rebase chain) across %s pull requests\n",
      N(total).c_str(), N(Get(p, "merge-sha")).c_str(), N(Get(p, "pr-commit")).c_str(),
      N(Get(p, "head-sha")).c_str(), N(Get(p, "rebase-chain")).c_str(), N(s.prs).c_str());
}

void PrintIncidents(const metrics::link::LinkSummary& s, const metrics::MetricsSettings& settings) {
  int64_t linked = 0, unlinked = 0;
  for (const auto& [k, v] : s.incidents_by_method) linked += v;
  for (const auto& [k, v] : s.incidents_unlinked) unlinked += v;
  std::printf("Incidents: %s of %s linked to a deployment", N(linked).c_str(),
              N(s.incidents).c_str());
  const auto& m = s.incidents_by_method;
  if (s.mode == "devlake") {
    std::printf(" (%s to the latest production deployment before them, DevLake)",
                N(Get(m, "devlake-latest")).c_str());
  } else {
    std::printf(
        " (%s by their own deployment id, %s to their service's and %s to their "
        "repository's deployment within %s before)",
        N(Get(m, "explicit")).c_str(), N(Get(m, "service-window")).c_str(),
        N(Get(m, "repo-window")).c_str(),
        HumanDuration(static_cast<double>(settings.incident_window_seconds)).c_str());
  }
  std::printf("\n");
  if (unlinked > 0) {
    std::printf("  %s (%s) unlinked:", N(unlinked).c_str(), Share(unlinked, s.incidents).c_str());
    const char* sep = " ";
    for (const auto& [reason, n] : s.incidents_unlinked) {
      std::printf("%s%s %s", sep, N(n).c_str(), reason.c_str());
      sep = "; ";
    }
    std::printf("\n");
  }
}

// The config's `metrics:` settings, with the command's flags over them.
Result<metrics::MetricsSettings> Settings(const Globals& g, const LinkArgs& args) {
  metrics::MetricsSettings s = g.config.metrics;
  if (args.mode == "devlake") s.mode = metrics::Mode::kDevLake;
  if (args.mode == "default") s.mode = metrics::Mode::kDefault;
  if (!args.history_start.empty()) {
    auto t = ParseTimestamp(args.history_start);
    if (!t.ok()) {
      return InvalidArgumentError(fmt::format(
          "--history-start '{}' is not a date or time; use e.g. 2024-01-01 or 2024-01-01T00:00:00Z",
          args.history_start));
    }
    s.history_start = t->unix_seconds;
  }
  if (args.window_days) s.first_deployment_window_days = *args.window_days;
  if (args.incident_window_hours) s.incident_window_seconds = *args.incident_window_hours * 3600;
  return s;
}

Status RunLink(const Globals& g, const LinkArgs& args) {
  SEI_ASSIGN_OR_RETURN(metrics::MetricsSettings settings, Settings(g, args));
  SEI_ASSIGN_OR_RETURN(
      std::unique_ptr<Store> store,
      OpenExistingStore(g.db, false, "collect data first (`sei collect git PATH`, `sei demo`)"));
  metrics::link::Linker linker(*store, settings);
  SEI_ASSIGN_OR_RETURN(metrics::link::LinkSummary summary, linker.Run());
  if (args.format == "json") {
    std::printf("%s\n", metrics::link::ToJson(summary).dump(2).c_str());
    return Status::Ok();
  }
  if (g.quiet) return Status::Ok();
  std::printf("sei link (%s definitions)\n", summary.mode == "devlake" ? "DevLake" : "default");
  PrintDeployments(summary, settings);
  PrintChanges(summary);
  PrintIncidents(summary, settings);
  std::printf("Done in %s (reading %s, linking %s, writing %s).\n",
              HumanDuration(summary.seconds).c_str(), HumanDuration(summary.load_seconds).c_str(),
              HumanDuration(summary.link_seconds).c_str(),
              HumanDuration(summary.write_seconds).c_str());
  return Status::Ok();
}

}  // namespace

void AddLinkCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<LinkArgs>();
  CLI::App* link = root.add_subcommand(
      "link",
      "Link deployments to the commits and changes they shipped, commits to pull requests, and "
      "incidents to deployments (the data DORA and PR deployment metrics rest on)");
  link->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  link->add_option("--mode", args->mode,
                   "default (our definitions) or devlake (reproduce Apache DevLake's); "
                   "default: the config's metrics.mode")
      ->check(CLI::IsMember({"default", "devlake"}));
  link->add_option("--history-start", args->history_start,
                   "Never count commits authored before this date as shipped (e.g. 2024-01-01)");
  link->add_option("--first-window-days", args->window_days,
                   "A first deployment ships only commits authored this many days before it "
                   "(default 30)")
      ->check(CLI::Range(0, 36500));
  link->add_option("--incident-window-hours", args->incident_window_hours,
                   "Link an incident to a deployment of its service that finished at most this "
                   "long before it (default 24)")
      ->check(CLI::Range(int64_t{0}, int64_t{24 * 365}));
  link->footer(
      "\nRe-running is safe: every derived row is replaced in one transaction.\n"
      "Examples:\n  sei link\n  sei link --format json\n  sei link --mode devlake");
  out->push_back({link, [args](const Globals& g) { return RunLink(g, *args); }});
}

}  // namespace sei::app
