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

#include "app/commands.h"
#include "app/store_factory.h"
#include "app/terminal_progress.h"
#include "auth/connection_service.h"
#include "collectors/github/github_settings.h"
#include "collectors/github/github_sync.h"
#include "common/clock.h"
#include "common/sleeper.h"
#include "net/curl_http_client.h"
#include "net/retrying_client.h"
#include "net/token_pool.h"

namespace sei::app {

namespace {

struct SyncArgs {
  std::vector<std::string> connections;
  bool full = false;
  std::string ca_bundle;
};

std::vector<std::string> SplitTokens(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Status SyncGithub(const Globals& g, const SyncArgs& a, Store& store, const model::Connection& c) {
  namespace gh = collectors::github;
  SEI_ASSIGN_OR_RETURN(gh::GithubSettings settings, gh::ParseGithubSettings(c.config.value_or("")));
  std::vector<std::string> tokens;
  std::optional<auth::SecretBox> box;
  auto sealed = auth::ConnectionService(store, nullptr).Get(c.id);
  if (sealed.ok() && *sealed && (*sealed)->secrets_set.count(auth::kTokenSecret) > 0) {
    SEI_ASSIGN_OR_RETURN(box, auth::SecretBox::Load(g.data_dir));
    SEI_ASSIGN_OR_RETURN(std::optional<std::string> token,
                         auth::ConnectionService(store, &*box).Secret(c.id, auth::kTokenSecret));
    if (token) tokens = SplitTokens(*token);
  }
  net::CurlHttpClientOptions copt;
  copt.ca_bundle_path = a.ca_bundle;
  net::CurlHttpClient curl(copt);
  net::TokenPool pool(tokens);
  net::RetryingClient http(curl, SystemClock::Get(), RealSleeper::Get(), {}, &pool);
  gh::SyncOptions opt;
  opt.connection_id = c.id;
  opt.api_url = gh::ApiUrl(c.base_url);
  opt.settings = settings;
  opt.full = a.full;
  opt.cancel = g.cancel;
  const bool show = g.progress == "always" || (g.progress == "auto" && !g.quiet && isatty(2));
  std::unique_ptr<Progress> progress;
  if (show) progress = std::make_unique<TerminalProgress>(stderr);
  opt.progress = progress.get();
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  SEI_ASSIGN_OR_RETURN(
      int64_t run_id,
      store.BeginRun({0, c.id, settings.org.value_or("repos"), now, {}, "running", 0, {}}));
  gh::GithubSync sync(store, http, opt);
  Result<gh::SyncReport> r = sync.Run();
  if (!r.ok()) {
    const bool cancelled = r.status().code() == StatusCode::kCancelled;
    store
        .FinishRun(run_id, cancelled ? "interrupted" : "failed", 0, r.status().message(),
                   SystemClock::Get().NowUnixSeconds())
        .IgnoreError();
    return Status(r.status().code(), c.id + ": " + r.status().message());
  }
  SEI_RETURN_IF_ERROR(store.FinishRun(run_id, "complete", r->rows, std::nullopt,
                                      SystemClock::Get().NowUnixSeconds()));
  if (!g.quiet) {
    std::printf(
        "%s: %zu repositories, %lld requests, %lld pages, %lld rows%s%s.\n", c.id.c_str(),
        r->repos.size(), static_cast<long long>(r->requests), static_cast<long long>(r->pages),
        static_cast<long long>(r->rows),
        r->full ? fmt::format(", full reconciliation ({} deleted)", r->deleted).c_str() : "",
        r->item_errors.empty()
            ? ""
            : fmt::format(", {} invalid items skipped", r->item_errors.size()).c_str());
    for (size_t i = 0; i < r->item_errors.size() && i < 10; ++i) {
      std::fprintf(stderr, "  skipped: %s\n", r->item_errors[i].c_str());
    }
  }
  return Status::Ok();
}

Status RunSync(const Globals& g, const SyncArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_ASSIGN_OR_RETURN(std::vector<model::Connection> all, store->List<model::Connection>());
  std::vector<model::Connection> chosen;
  for (const std::string& id : a.connections) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.id == id; });
    if (it == all.end()) {
      return NotFoundError("no connection '" + id + "' (`sei connections list` shows them)");
    }
    if (it->source != "github") {
      return InvalidArgumentError(id + " is a " + it->source +
                                  " connection: `sei sync` syncs github connections (git: "
                                  "`sei collect git`)");
    }
    chosen.push_back(*it);
  }
  if (a.connections.empty()) {
    for (const auto& c : all) {
      if (c.source == "github") chosen.push_back(c);
    }
  }
  if (chosen.empty()) {
    return FailedPreconditionError(
        "no GitHub connection to sync: add one with `sei connect github --org ORG "
        "--token-env GITHUB_TOKEN`");
  }
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

}  // namespace

void AddSyncCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<SyncArgs>();
  CLI::App* sync = root.add_subcommand(
      "sync", "Sync remote connections now (GitHub): what changed since the last sync");
  sync->add_option("CONNECTION", args->connections,
                   "Connection ids (github:acme); default: every GitHub connection");
  sync->add_flag("--full", args->full,
                 "List everything again (not only what changed) and delete the pull requests "
                 "and issues the source no longer has");
  sync->add_option("--ca-bundle", args->ca_bundle,
                   "CA certificates (PEM) to verify the source's TLS certificate with (GitHub "
                   "Enterprise behind a private CA); default: the system's");
  sync->footer(
      "\nA sync stopped at any point (Ctrl-C, a network failure) continues where it stopped\n"
      "when run again. Rate limits are honoured from GitHub's headers; proxies come from\n"
      "https_proxy / no_proxy. Each sync is a collection run (GET /api/v1/collection-runs).\n"
      "Examples:\n"
      "  GITHUB_TOKEN=... sei connect github --org acme --token-env GITHUB_TOKEN\n"
      "  sei sync\n"
      "  sei sync github:acme --full");
  out->push_back({sync, [args](const Globals& g) { return RunSync(g, *args); }});
}

}  // namespace sei::app
