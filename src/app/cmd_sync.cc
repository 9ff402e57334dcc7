// `sei sync [CONNECTION...] [--full]`: one sync of remote connections now
// (GitHub: collectors/github/github_sync.h) — what `sei serve` runs on each
// connection's interval. Each sync is a collection_runs row (running, then
// complete or failed with its error), so `sei status` and
// GET /api/v1/collection-runs show it. The token is the connection's sealed
// secret (`sei connect github ... --token-env VAR`); several tokens, comma
// separated, are rotated by their remaining quota. Never printed.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/connection_scheduler.h"
#include "app/commands.h"
#include "app/github_job.h"
#include "app/store_factory.h"
#include "app/terminal_progress.h"
#include "common/clock.h"
#include "common/time.h"

namespace sei::app {

namespace {

struct SyncArgs {
  std::vector<std::string> connections;
  bool full = false;
  std::string ca_bundle;
  double timeout = 60;
  int retries = 4;
  bool no_link = false;
};

Status SyncGithub(const Globals& g, const SyncArgs& a, Store& store, const model::Connection& c) {
  GithubJobOptions o;
  o.full = a.full;
  o.ca_bundle = a.ca_bundle;
  o.cancel = g.cancel;
  o.read_timeout = std::chrono::milliseconds(static_cast<int64_t>(a.timeout * 1000));
  o.max_attempts = a.retries + 1;
  const bool show = g.progress == "always" || (g.progress == "auto" && !g.quiet && isatty(2));
  std::unique_ptr<Progress> progress;
  if (show) progress = std::make_unique<TerminalProgress>(stderr);
  o.progress = progress.get();
  GithubMirrorReport mirrored;
  o.mirror_report = &mirrored;
  o.link = !a.no_link;
  std::optional<metrics::link::LinkSummary> linked;
  o.link_summary = &linked;
  SEI_ASSIGN_OR_RETURN(collectors::github::SyncReport r, RunGithubJob(g, store, c, o));
  if (!g.quiet) {
    std::printf(
        "%s: %zu repositories, %lld requests (%lld unchanged), %lld pages, %lld rows%s%s.\n",
        c.id.c_str(), r.repos.size(), static_cast<long long>(r.requests),
        static_cast<long long>(r.not_modified), static_cast<long long>(r.pages),
        static_cast<long long>(r.rows),
        r.full ? fmt::format(", full reconciliation ({} deleted)", r.deleted).c_str() : "",
        r.item_errors.empty()
            ? ""
            : fmt::format(", {} invalid items skipped", r.item_errors.size()).c_str());
    for (size_t i = 0; i < r.item_errors.size() && i < 10; ++i) {
      std::fprintf(stderr, "  skipped: %s\n", r.item_errors[i].c_str());
    }
    if (!mirrored.repos.empty()) std::printf("%s: %s.\n", c.id.c_str(), mirrored.OneLine().c_str());
    if (linked) {
      std::printf(
          "%s: linked %lld deployments (%lld commits shipped) and %lld PRs to commits in %.1fs.\n",
          c.id.c_str(), static_cast<long long>(linked->deployments),
          static_cast<long long>(linked->commits_shipped), static_cast<long long>(linked->prs),
          linked->seconds);
    }
  }
  return Status::Ok();
}

Status RunSync(const Globals& g, const SyncArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_RETURN_IF_ERROR(ApplyConfigConnections(g, *store));
  SEI_ASSIGN_OR_RETURN(std::vector<model::Connection> all, store->List<model::Connection>());
  SEI_ASSIGN_OR_RETURN(
      std::vector<model::Connection> chosen,
      ChooseGithubConnections(all, a.connections,
                              "`sei sync` syncs github connections (git: `sei collect git`)",
                              "no GitHub connection to sync: add one with `sei connect github "
                              "--org ORG --token-env GITHUB_TOKEN`"));
  Status first = Status::Ok();
  for (const auto& c : chosen) {
    Status s = SyncGithub(g, a, *store, c);
    if (!s.ok()) {
      if (s.code() == StatusCode::kCancelled) return s;
      std::fprintf(stderr, "sei sync: %s\n", s.message().c_str());
      if (first.ok()) first = s;
    }
  }
  return first;
}

std::string Duration(int64_t s) {
  if (s < 0) s = -s;
  if (s < 120) return fmt::format("{}s", s);
  if (s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s < 2 * 3600) return fmt::format("{}m", s / 60);
  if (s < 2 * 86400) return fmt::format("{}h", s / 3600);
  return fmt::format("{}d", s / 86400);
}

std::string When(int64_t t, int64_t now) {
  const std::string iso = FormatRfc3339Utc(t);
  if (t > now) return iso + " (in " + Duration(t - now) + ")";
  if (t == now) return iso + " (now)";
  return iso + " (" + Duration(now - t) + " ago)";
}

struct StatusArgs {
  std::string format = "text";
};

Status RunStatus(const Globals& g, const StatusArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_RETURN_IF_ERROR(ApplyConfigConnections(g, *store));
  SEI_ASSIGN_OR_RETURN(std::vector<model::Connection> all, store->List<model::Connection>());
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  nlohmann::json items = nlohmann::json::array();
  std::string text;
  for (const model::Connection& c : all) {
    SEI_ASSIGN_OR_RETURN(api::ConnectionSchedule s, api::ScheduleOf(*store, c, now, false));
    nlohmann::json j = api::ScheduleJson(s);
    j["id"] = c.id;
    j["source"] = c.source;
    items.push_back(j);
    text += c.id + "\n";
    text += "  schedule:  " +
            (s.interval_seconds ? "every " + Duration(*s.interval_seconds)
                                : "when asked (" + s.why_unscheduled + ")") +
            "\n";
    if (s.last_run) {
      const model::CollectionRun& r = *s.last_run;
      text += fmt::format("  last run:  {} {}, {} ({}), {} items\n", r.id, r.status,
                          When(r.started_at, now), r.scope, r.items_added);
      if (r.finished_at) {
        text += "  finished:  " + When(*r.finished_at, now) + " (took " +
                Duration(*r.finished_at - r.started_at) + ")\n";
      }
      if (r.error) text += "  error:     " + *r.error + "\n";
    } else {
      text += "  last run:  none\n";
    }
    if (s.next_run_at) {
      text += "  next run:  " + When(*s.next_run_at, now) +
              (*s.next_run_at <= now ? ", as soon as `sei serve` runs" : ", by `sei serve`") + "\n";
    } else if (s.running) {
      text += "  next run:  after the running one\n";
    }
  }
  if (a.format == "json") {
    std::printf("%s\n", nlohmann::json{{"connections", items}}.dump(2).c_str());
  } else if (all.empty()) {
    std::printf(
        "No connections yet: `sei collect git PATH` collects a repository, `sei connect github "
        "--org ORG --token-env GITHUB_TOKEN` adds GitHub.\n");
  } else {
    std::fputs(text.c_str(), stdout);
  }
  return Status::Ok();
}

}  // namespace

void AddSyncCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<SyncArgs>();
  CLI::App* sync = root.add_subcommand(
      "sync", "Sync remote connections now (GitHub): what changed since the last sync");
  sync->add_option("CONNECTION", args->connections,
                   "Connection ids (github:acme); default: every GitHub connection");
  sync->add_flag("--no-link", args->no_link,
                 "Do not run the linker after the sync (sei link: deployments to commits and "
                 "PRs, incidents to deployments); by default it runs when the sync wrote rows");
  sync->add_flag("--full", args->full,
                 "List everything again (not only what changed) and delete the pull requests "
                 "and issues the source no longer has");
  sync->add_option("--ca-bundle", args->ca_bundle,
                   "CA certificates (PEM) to verify the source's TLS certificate with, for the "
                   "API and the repositories' clones (GitHub Enterprise behind a private CA); "
                   "default: the system's");
  sync->add_option("--timeout", args->timeout,
                   "Seconds a request may go without receiving a byte before it is retried (60)")
      ->check(CLI::Range(0.1, 3600.0));
  sync->add_option("--retries", args->retries,
                   "Times a request is sent again after a network error or a 5xx, with "
                   "exponential back-off and jitter (4)")
      ->check(CLI::Range(0, 20));
  sync->footer(
      "\nA sync stopped at any point (Ctrl-C, a network failure) continues where it stopped\n"
      "when run again. Rate limits are honoured from GitHub's headers; proxies come from\n"
      "https_proxy / no_proxy. Each sync is a collection run (GET /api/v1/collection-runs).\n"
      "Each repository is then mirrored (cloned, later fetched, under the data directory) and\n"
      "its commits stored with it, unless the connection says mirror: false (clones do not\n"
      "go through a proxy).\n"
      "Examples:\n"
      "  GITHUB_TOKEN=... sei connect github --org acme --token-env GITHUB_TOKEN\n"
      "  sei sync\n"
      "  sei sync github:acme --full");
  out->push_back({sync, [args](const Globals& g) { return RunSync(g, *args); }});

  auto status_args = std::make_shared<StatusArgs>();
  CLI::App* status = root.add_subcommand(
      "status",
      "Show each connection's schedule, last collection run (with its error) and next run");
  status->add_option("--format", status_args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  status->footer(
      "\nRead from the store: works with or without `sei serve` running. A GitHub connection\n"
      "runs every interval_seconds after its last run began; a failed one is retried after\n"
      "at most 5 minutes; an interrupted one at once. The same is in GET /api/v1/connections.\n"
      "Examples:\n"
      "  sei status\n"
      "  sei status --format json");
  out->push_back({status, [status_args](const Globals& g) { return RunStatus(g, *status_args); }});
}

}  // namespace sei::app
