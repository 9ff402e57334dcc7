// `sei reconvert [CONNECTION...] [--entity E] [--scope REPO]`: converts the
// archived GitHub payloads (raw_payloads) of connections again, without any
// network (collectors/github/github_reconvert.h): after an upgrade whose
// converters changed, or after changing a connection's patterns, the rows
// are made again from what was fetched, in archive order.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>

#include "api/collection_runner.h"
#include "app/commands.h"
#include "app/github_job.h"
#include "app/store_factory.h"
#include "app/terminal_progress.h"
#include "collectors/github/github_reconvert.h"
#include "common/strings.h"
#include "metrics/link/linker.h"

namespace sei::app {

namespace {

namespace gh = collectors::github;

struct ReconvertArgs {
  std::vector<std::string> connections;
  std::string entity;
  std::string scope;
  bool no_link = false;
  bool queue = false;
};

std::string EntityList() {
  std::string out;
  for (const std::string& e : gh::ReconvertEntities()) out += (out.empty() ? "" : ", ") + e;
  return out;
}

Result<std::vector<model::Connection>> Chosen(const ReconvertArgs& a,
                                              const std::vector<model::Connection>& all) {
  return ChooseGithubConnections(
      all, a.connections,
      "`sei reconvert` converts archived GitHub payloads (git history is not archived: `sei "
      "collect git`)",
      "no GitHub connection to reconvert: add one with `sei connect github --org ORG "
      "--token-env GITHUB_TOKEN`, then `sei sync`");
}

void Print(const Globals& g, const gh::ReconvertReport& r) {
  if (!g.quiet) {
    std::printf("%s pages reconverted (%s webhook deliveries), %s rows",
                WithThousands(r.pages).c_str(), WithThousands(r.webhooks).c_str(),
                WithThousands(r.rows).c_str());
    if (r.never_converted > 0) {
      std::printf(
          "; %s pages skipped: never converted (a sync stopped before; the next one "
          "fetched them again)",
          WithThousands(r.never_converted).c_str());
    }
    if (r.not_handled > 0) {
      std::printf("; %s webhook deliveries of events not converted",
                  WithThousands(r.not_handled).c_str());
    }
    if (!r.item_errors.empty()) std::printf(", %zu invalid items skipped", r.item_errors.size());
    std::printf(".\n");
    for (size_t i = 0; i < r.item_errors.size() && i < 10; ++i) {
      std::fprintf(stderr, "  skipped: %s\n", r.item_errors[i].c_str());
    }
  }
  for (size_t i = 0; i < r.page_errors.size() && i < 10; ++i) {
    std::fprintf(stderr, "  not converted: %s\n", r.page_errors[i].c_str());
  }
}

// --queue: a "reconvert" job per connection for the workers (sei worker,
// or sei serve's own), each with its collection run, instead of converting
// here.
Status Enqueue(const Globals& g, Store& store, const std::vector<model::Connection>& chosen,
               const ReconvertRequest& request) {
  api::CollectionRunner runner(nullptr, nullptr);
  const std::string location = ReconvertLocation(request);
  for (const model::Connection& c : chosen) {
    SEI_ASSIGN_OR_RETURN(std::vector<model::CollectionRun> runs,
                         runner.Start(store, c.id, {location}, false, "reconvert"));
    if (!g.quiet) {
      std::printf("%s: reconversion queued (collection run %lld); a worker runs it\n", c.id.c_str(),
                  static_cast<long long>(runs.front().id));
    }
  }
  return Status::Ok();
}

Status RunReconvert(const Globals& g, const ReconvertArgs& a) {
  if (!a.entity.empty() && !gh::IsReconvertEntity(a.entity)) {
    return InvalidArgumentError("unknown --entity '" + a.entity + "': one of " + EntityList() +
                                ", or a webhook event (pull_request, release ...)");
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_RETURN_IF_ERROR(ApplyConfigConnections(g, *store));
  SEI_ASSIGN_OR_RETURN(std::vector<model::Connection> all, store->List<model::Connection>());
  SEI_ASSIGN_OR_RETURN(std::vector<model::Connection> chosen, Chosen(a, all));
  const bool show = g.progress == "always" || (g.progress == "auto" && !g.quiet && isatty(2));
  std::unique_ptr<Progress> progress;
  if (show) progress = std::make_unique<TerminalProgress>(stderr);
  ReconvertRequest request{a.entity, a.scope, !a.no_link, g.cancel, progress.get()};
  if (a.queue) return Enqueue(g, *store, chosen, request);
  std::optional<metrics::link::LinkSummary> linked;
  SEI_ASSIGN_OR_RETURN(gh::ReconvertReport r,
                       ReconvertGithub(g, *store, chosen, all, request, &linked));
  Print(g, r);
  if (linked && !g.quiet) {
    std::printf(
        "Linked %lld deployments (%lld commits shipped) and %lld PRs to commits in %.1fs.\n",
        static_cast<long long>(linked->deployments),
        static_cast<long long>(linked->commits_shipped), static_cast<long long>(linked->prs),
        linked->seconds);
  }
  if (!r.page_errors.empty()) {
    return DataLossError(fmt::format(
        "{} archived pages could not be converted (listed above; first: {}); the others were",
        r.page_errors.size(), r.page_errors.front()));
  }
  return Status::Ok();
}

}  // namespace

void AddReconvertCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<ReconvertArgs>();
  CLI::App* cmd = root.add_subcommand(
      "reconvert",
      "Convert archived GitHub payloads again, without the network (after an upgrade or a "
      "change of patterns)");
  cmd->add_option("CONNECTION", args->connections,
                  "Connection ids (github:acme); default: every GitHub connection");
  cmd->add_option("--entity", args->entity,
                  "Only pages of this listing: " + EntityList() +
                      " (a PR's commits and reviews go with pulls, jobs with runs, statuses "
                      "with deployments), or one webhook event (pull_request ...)");
  cmd->add_option("--scope", args->scope,
                  "Only pages of this scope: a repository (owner/name), an organisation "
                  "(its repository lists), or webhook");
  cmd->add_flag("--queue", args->queue,
                "Queue the reconversion as a job per connection for the workers (sei worker, or "
                "sei serve's own) instead of running it here; GET /api/v1/jobs shows them");
  cmd->add_flag("--no-link", args->no_link,
                "Do not run the linker afterwards (sei link: deployments to commits and PRs, "
                "deployments from CI), as `sei sync` does when it wrote rows");
  cmd->footer(
      "\nEvery page a sync converted is converted again in archive order (later pages win, as\n"
      "they did), with the connection's current patterns, and upserted as the sync upserts;\n"
      "what the sync deleted with a page is deleted again after it. Webhook deliveries\n"
      "archived for the connection are converted too. Nothing is fetched and sync cursors are\n"
      "kept: the next `sei sync` goes on from where the last one stopped. Then, as after a\n"
      "sync, the linker runs (--no-link: not). Idempotent.\n"
      "Examples:\n"
      "  sei reconvert\n"
      "  sei reconvert github:acme --entity deployments\n"
      "  sei reconvert github:acme --scope acme/api --entity pulls\n"
      "  sei reconvert --entity release        # release webhooks received before releases were "
      "stored");
  out->push_back({cmd, [args](const Globals& g) { return RunReconvert(g, *args); }});
}

}  // namespace sei::app
