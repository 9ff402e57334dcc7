// `sei demo`: writes a seeded, realistic engineering organisation into the
// store (src/demo/, docs/demo.md) and prints what it wrote.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>

#include "app/commands.h"
#include "app/derive.h"
#include "app/store_factory.h"
#include "app/terminal_progress.h"
#include "common/strings.h"
#include "common/time.h"
#include "demo/demo_generator.h"

namespace sei::app {

namespace {

constexpr const char* kDemoFooter =
    "\nThe organisation (docs/demo.md): 6 teams in 6 time zones, 46 people with accounts in git,\n"
    "GitHub and Jira (second emails, GitHub noreply addresses, bots), 30 repositories with\n"
    "commit graphs and release tags, PRs merged with merge commits, squash and rebase, reviews,\n"
    "sprints and issues, CI pipelines, staging and production deployments, incidents. One team\n"
    "deploys daily, one has a review bottleneck, one halves its cycle time over the year.\n"
    "\n"
    "Same seed and options -> identical rows. Running again into the same database rewrites the\n"
    "same rows (no duplicates); a database holding a demo made with other options is refused.\n"
    "Afterwards the demo derives what metrics rest on, as `sei identity resolve` and `sei link`\n"
    "would: accounts merged into people, deployments linked to the changes they shipped,\n"
    "commits to PRs and incidents to deployments. The store is ready for `sei metrics`.\n"
    "\n"
    "Examples:\n"
    "  sei --db demo.db demo                        the default organisation (a few seconds)\n"
    "  sei --db demo.db demo --seed 7               another organisation of the same shape\n"
    "  sei --db demo.db demo --until 2025-06-30 --months 6\n"
    "  sei --db big.db demo --scale                 >= 1,000,000 commits, 200,000 PRs and\n"
    "                                               50,000 deployments (a few minutes)";

struct DemoArgs {
  demo::DemoOptions options;
};

std::unique_ptr<Progress> DemoProgress(const Globals& g) {
  bool show = g.progress == "always" || (g.progress == "auto" && !g.quiet && isatty(2));
  if (show) return std::make_unique<TerminalProgress>(stderr);
  return std::make_unique<NullProgress>();
}

std::string Percent(int64_t part, int64_t whole) {
  return whole == 0 ? "0%"
                    : fmt::format("{:.1f}%",
                                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

void PrintDelivery(const demo::DemoCounts& c);

void PrintSummary(const Globals& g, const demo::DemoSummary& s, double seconds) {
  if (g.quiet) return;
  const demo::DemoCounts& c = s.counts;
  auto n = [](int64_t v) { return WithThousands(v); };
  std::printf("Demo organisation %s %s in %s\n", s.refreshed ? "refreshed in" : "written to",
              g.db.c_str(), HumanDuration(seconds).c_str());
  std::printf("  window        %s to %s (simulated from %s), marker %s\n",
              FormatRfc3339Utc(s.window.start).substr(0, 10).c_str(),
              FormatRfc3339Utc(s.window.end - 1).substr(0, 10).c_str(),
              FormatRfc3339Utc(s.window.sim_start).substr(0, 10).c_str(), s.marker.c_str());
  std::printf("  people        %s in %s teams (%s), %s repositories, %s GitHub/Jira accounts\n",
              n(c.people).c_str(), n(c.teams - c.units).c_str(),
              c.units == 1 ? "one division" : (n(c.units) + " divisions").c_str(),
              n(c.repos).c_str(), n(c.accounts).c_str());
  std::printf("  commits       %s (%s of main's pushed without a PR), %s file changes\n",
              n(c.commits).c_str(), Percent(c.direct_commits, c.commits).c_str(),
              n(c.commit_files).c_str());
  std::printf(
      "  pull requests %s: %s merged (%s merge commits, %s squash, %s rebase), %s closed, %s "
      "open\n",
      n(c.prs).c_str(), n(c.merged[0] + c.merged[1] + c.merged[2]).c_str(), n(c.merged[0]).c_str(),
      n(c.merged[1]).c_str(), n(c.merged[2]).c_str(), n(c.closed).c_str(), n(c.open).c_str());
  std::printf("                %s PR commits, %s reviews, %s comments\n", n(c.pr_commits).c_str(),
              n(c.reviews).c_str(), n(c.comments).c_str());
  PrintDelivery(c);
}

void PrintDelivery(const demo::DemoCounts& c) {
  auto n = [](int64_t v) { return WithThousands(v); };
  std::printf("  planning      %s issues, %s status changes, %s sprints (%s sprint issues)\n",
              n(c.issues).c_str(), n(c.status_changes).c_str(), n(c.sprints).c_str(),
              n(c.sprint_issues).c_str());
  std::printf(
      "  delivery      %s deployments: %s production (%s failed or rolled back), %s staging;"
      " %s CI runs, %s jobs\n",
      n(c.deployments).c_str(), n(c.production).c_str(),
      Percent(c.production_failed, c.production).c_str(), n(c.staging).c_str(),
      n(c.pipelines).c_str(), n(c.jobs).c_str());
  std::printf("  incidents     %s (%s open), %s quality findings\n", n(c.incidents).c_str(),
              n(c.incidents_open).c_str(), n(c.findings).c_str());
  std::fflush(stdout);
}

Status RunDemo(const Globals& g, const DemoArgs& args) {
  SEI_RETURN_IF_ERROR(demo::ValidateOptions(args.options));
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  std::unique_ptr<Progress> progress = DemoProgress(g);
  const auto start = std::chrono::steady_clock::now();
  demo::DemoGenerator generator(store.get(), args.options, progress.get(), g.cancel);
  SEI_ASSIGN_OR_RETURN(demo::DemoSummary summary, generator.Run());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(g, summary, seconds);
  // Identities and links, so `sei metrics` and `sei serve` can use it as is.
  SEI_ASSIGN_OR_RETURN(DeriveReport derived, Derive(g, *store));
  if (!g.quiet) {
    std::printf("  derived       %s\n", derived.OneLine().c_str());
    SEI_ASSIGN_OR_RETURN(demo::DemoWindow w, demo::ResolveWindow(args.options));
    std::printf("Next: sei metrics dora --since 90d --until %s   (families: sei metrics --list)\n",
                FormatRfc3339Utc(w.end).substr(0, 10).c_str());
  }
  return Status::Ok();
}

}  // namespace

void AddDemoCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* demo = root.add_subcommand(
      "demo",
      "Write a seeded, realistic demo organisation (people, teams, repositories, PRs, sprints, "
      "deployments, incidents) into the store");
  demo->add_option("--seed", args->options.seed, "Seed of the organisation (default: 1)");
  demo->add_option("--until", args->options.until,
                   "Last day of the history, YYYY-MM-DD (default: 2026-11-30)");
  demo->add_option("--months", args->options.months,
                   "Calendar months of history before --until (default: 12)")
      ->check(CLI::Range(1, 36));
  demo->add_flag("--scale", args->options.scale,
                 "Grow to at least 1,000,000 commits, 200,000 PRs and 50,000 deployments (more "
                 "divisions of teams, people and repositories)");
  // Hidden, for tests: a smaller organisation's activity, and scale targets.
  demo->add_option("--size", args->options.size, "Activity multiplier")->group("");
  demo->add_option("--scale-commits", args->options.targets.commits, "Scale target")->group("");
  demo->add_option("--scale-prs", args->options.targets.prs, "Scale target")->group("");
  demo->add_option("--scale-deployments", args->options.targets.deployments, "Scale target")
      ->group("");
  demo->footer(kDemoFooter);
  out->push_back({demo, [args](const Globals& g) { return RunDemo(g, *args); }});
}

}  // namespace sei::app
