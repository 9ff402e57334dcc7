// `sei serve`: the REST API, the web app's files and the live metrics, on
// one port. Wires the concrete pieces (SQLite store, metrics cache, access
// control) into src/api's server, then waits for SIGTERM or SIGINT and shuts
// down gracefully: no new connections, requests in flight finish.
#include <pthread.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include "api/api_server.h"
#include "api/connection_scheduler.h"
#include "api/http_server.h"
#include "api/job_worker.h"
#include "api/routes_push.h"
#include "api/token_access.h"
#include "api/write_support.h"
#include "app/commands.h"
#include "app/github_job.h"
#include "app/serve_collector.h"
#include "app/store_factory.h"
#include "auth/connection_service.h"
#include "common/clock.h"
#include "store/sqlite/sqlite_store.h"

namespace sei::app {

namespace {

namespace fs = std::filesystem;

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string web_dir;
  int threads = 0;
  std::string tls_cert, tls_key;
  int64_t max_body_kib = 8192;
  double request_timeout = 15;
  double idle_timeout = 60;
  double shutdown_grace = 20;
  double poll = 2;
  std::string access_log = "-";
  std::vector<std::string> webhook_secret_env;  // SOURCE=VAR
  size_t push_batch = 512;
  int token_cache = 5;
  bool no_schedule = false;
  bool no_worker = false;
  int worker_threads = 1;
};

// "github=GH_HOOK_SECRET" -> secrets["github"] = $GH_HOOK_SECRET.
Status ReadWebhookSecrets(const std::vector<std::string>& specs,
                          std::map<std::string, std::string>* out) {
  for (const std::string& spec : specs) {
    const size_t eq = spec.find('=');
    const std::string source = spec.substr(0, eq);
    if (eq == std::string::npos ||
        (source != "github" && source != "gitlab" && source != "generic")) {
      return InvalidArgumentError("--webhook-secret-env '" + spec +
                                  "': use SOURCE=VAR with SOURCE github, gitlab or generic");
    }
    const char* v = std::getenv(spec.substr(eq + 1).c_str());
    if (v == nullptr || *v == '\0') {
      return InvalidArgumentError("--webhook-secret-env " + spec + ": $" + spec.substr(eq + 1) +
                                  " is not set or empty");
    }
    (*out)[source] = v;
  }
  return Status::Ok();
}

Status ParseListen(const std::string& text, api::ServerOptions* o) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return InvalidArgumentError("--listen '" + text +
                                "' needs HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free "
                                "port)");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
      std::stoi(port) > 65535) {
    return InvalidArgumentError("--listen '" + text + "': the port must be 0 to 65535");
  }
  o->host = host == "localhost" ? "127.0.0.1" : host;
  o->port = static_cast<uint16_t>(std::stoi(port));
  return Status::Ok();
}

// --web-dir, else $SEI_WEB_DIR, else web/dist beside the source tree the
// binary was built in (build/bin/sei -> web/dist), else ./web/dist.
std::string FindWebDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("SEI_WEB_DIR"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path guess = exe.parent_path().parent_path().parent_path() / "web" / "dist";
    if (fs::is_regular_file(guess / "index.html", ec)) return guess.string();
  }
  return fs::is_regular_file("web/dist/index.html", ec) ? "web/dist" : "";
}

// The secret key, loaded on first use: a server that never stores or reads
// a connection secret needs none (and creates no key file).
class LazySecretBox {
 public:
  explicit LazySecretBox(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  Result<const auth::SecretBox*> Get() {
    std::lock_guard<std::mutex> l(mu_);
    if (!box_) {
      SEI_ASSIGN_OR_RETURN(auth::SecretBox box, auth::SecretBox::Load(data_dir_));
      box_.emplace(std::move(box));
    }
    return &*box_;
  }

 private:
  std::string data_dir_;
  std::mutex mu_;  // guards box_
  std::optional<auth::SecretBox> box_;
};

// A connection's webhook secret, opened; the key is loaded only for a
// connection that has one.
Result<std::optional<std::string>> ConnectionWebhookSecret(api::StorePool& stores,
                                                           LazySecretBox& box,
                                                           const std::string& id) {
  SEI_ASSIGN_OR_RETURN(auto store, stores.Acquire());
  SEI_ASSIGN_OR_RETURN(auto info, auth::ConnectionService(*store, nullptr).Get(id));
  if (!info || info->secrets_set.count(auth::kWebhookSecret) == 0) {
    return std::optional<std::string>();
  }
  SEI_ASSIGN_OR_RETURN(const auth::SecretBox* key, box.Get());
  return auth::ConnectionService(*store, key).Secret(id, auth::kWebhookSecret);
}

std::chrono::milliseconds Ms(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

Status RunServe(const Globals& g, const ServeArgs& a) {
  api::ServerOptions so;
  SEI_RETURN_IF_ERROR(ParseListen(a.listen, &so));
  so.threads = a.threads;
  so.tls_cert_file = a.tls_cert;
  so.tls_key_file = a.tls_key;
  so.max_body_bytes = static_cast<size_t>(a.max_body_kib) << 10;
  so.request_timeout = Ms(a.request_timeout);
  so.idle_timeout = Ms(a.idle_timeout);
  so.shutdown_grace = Ms(a.shutdown_grace);

  // The store is created and migrated once here; request handlers and the
  // metrics loader open their own connections to it.
  {
    SEI_ASSIGN_OR_RETURN(auto first, OpenStore(g.db, false));
    SEI_RETURN_IF_ERROR(ApplyConfigConnections(g, *first));  // sources.github
  }
  const std::string db = g.db;
  api::StorePool stores([db]() { return OpenStore(db, false); });
  api::MetricsService metrics(stores.opener(), g.config.metrics, nullptr);

  FILE* log = nullptr;
  if (a.access_log == "-") {
    log = stderr;
  } else if (a.access_log != "off") {
    log = std::fopen(a.access_log.c_str(), "a");
    if (log == nullptr) {
      return PermissionDeniedError("cannot open --access-log '" + a.access_log +
                                   "' for appending: " + std::strerror(errno));
    }
  }
  api::ApiOptions ao;
  ao.version = SEI_VERSION;
  ao.web_dir = FindWebDir(a.web_dir);
  ao.access_log = log;
  ao.schema_version = sqlite::SqliteStore::LatestSchemaVersion();
  auth::AccessSettings access_settings;
  access_settings.individual_metrics = g.config.individual_metrics;
  api::TokenAccess access(&stores, access_settings, a.token_cache);
  api::ApiServer api(ao, &stores, &metrics, &access);
  // Pushes and webhooks are written by one thread with its own store, in
  // batches (api/push_queue.h).
  collectors::push::PushValidator validator(SystemClock::Get());
  SEI_ASSIGN_OR_RETURN(auto writer_store, OpenStore(db, false, /*durable=*/true));
  api::PushQueue queue(std::move(writer_store), SystemClock::Get(), a.push_batch,
                       [&api, &metrics](size_t n) {
                         api.stats().pushes_stored += static_cast<int64_t>(n);
                         metrics.MarkChanged();
                       });
  api::PushContext push{&validator, &queue, {}, {}};
  SEI_RETURN_IF_ERROR(ReadWebhookSecrets(a.webhook_secret_env, &push.webhook_secrets));
  LazySecretBox secret_box(g.data_dir);
  ServeCollector collector(g);
  // Collections run as jobs from the store's queue (api/job_worker.h): on
  // this process's worker, or with --no-worker on `sei worker` processes.
  api::JobWorkerOptions wo;
  wo.threads = a.worker_threads;
  wo.log = g.quiet ? nullptr : stderr;
  wo.on_finished = [&metrics](const model::Job&) { metrics.MarkChanged(); };
  api::JobWorker worker(stores.opener(), &collector, SystemClock::Get(), wo);
  api::CollectionRunner collections(&collector, a.no_worker ? nullptr : &worker);
  api::WriteContext writes;
  writes.secret_box = [&secret_box] { return secret_box.Get(); };
  if (!g.config.file.empty()) writes.org = &g.config.org;  // as `sei identity` does
  writes.resolver = g.config.identity;
  writes.resolver.bot_pattern = g.config.metrics.bot_pattern;
  writes.config_file = g.config.file;
  writes.collections = &collections;
  push.connection_webhook_secret = [&stores, &secret_box](const std::string& id) {
    return ConnectionWebhookSecret(stores, secret_box, id);
  };
  api::AddSystemRoutes(api);
  api::AddMetricsRoutes(api);
  api::AddDataRoutes(api);
  api::AddPushRoutes(api, &push);
  api::AddAccessRoutes(api);
  api::AddEventRoutes(api);
  api::AddAdminRoutes(api);
  api::AddReviewRoutes(api);
  // A stream re-validates its token as often as a cached token would be.
  api.events().set_recheck(std::chrono::seconds(a.token_cache));
  api::AddWriteRoutes(api, &writes);
  api.Seal();
  api.stats().AddGauge({"sei_push_queue_depth", "Pushes waiting for the writer.",
                        [&queue] { return static_cast<double>(queue.depth()); }});
  std::atomic<api::HttpServer*> live{nullptr};
  api.stats().AddGauge(
      {"sei_collection_runs", "Collection runs in the store, by status.", nullptr, "status",
       [&stores] {
         std::vector<std::pair<std::string, double>> out;
         auto store = stores.Acquire();
         if (!store.ok()) return out;
         for (const char* status : {"running", "complete", "failed", "interrupted"}) {
           ScanOptions where;
           where.where = {{"status", model::Value{std::string(status)}}};
           auto n = (*store)->CountRows(model::SpecOf<model::CollectionRun>(), where);
           if (n.ok()) out.push_back({status, static_cast<double>(*n)});
         }
         return out;
       }});
  api.stats().AddGauge({"sei_event_streams", "Open live-update streams (GET /api/v1/events).",
                        [&api] { return static_cast<double>(api.events().size()); }});
  api.stats().AddGauge({"sei_events_sent", "Live-update events sent since the server started.",
                        [&api] { return static_cast<double>(api.events().events_sent.load()); }});
  api.stats().AddGauge({"sei_http_in_flight", "Requests being read, handled or written.", [&live] {
                          api::HttpServer* s = live.load();
                          return s ? static_cast<double>(s->in_flight()) : 0.0;
                        }});

  // Signals are taken by sigwait below, on this thread only: block them
  // before any server thread starts so that every thread inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  metrics.Start(Ms(a.poll));
  // Connections with an interval (GitHub's interval_seconds) are collected
  // when due (api/connection_scheduler.h); checked every few seconds, so a
  // connection added through the API is picked up at once.
  api::ConnectionScheduler scheduler(stores.opener(), &collections, SystemClock::Get(),
                                     std::chrono::seconds(5), g.quiet ? nullptr : stderr);
  if (!a.no_schedule) scheduler.Start();
  if (!a.no_worker) worker.Start();
  SEI_ASSIGN_OR_RETURN(auto server, api::HttpServer::Start(
                                        so, [&api](api::HttpRequest& r) { return api.Handle(r); },
                                        [&api](const api::ExchangeInfo& i) { api.Observe(i); }));
  std::printf(
      "sei serve: listening on %s://%s (store %s%s)\n", server->tls() ? "https" : "http",
      server->address().c_str(), db.c_str(),
      ao.web_dir.empty() ? ", no web app build found" : (", web app " + ao.web_dir).c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&set, &sig);
  if (!g.quiet) {
    std::fprintf(stderr, "sei serve: %s received, finishing %lld request(s) in flight\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT",
                 static_cast<long long>(server->in_flight()));
  }
  server->Shutdown();
  live = nullptr;
  scheduler.Stop();
  collections.Stop();  // the worker's collections in progress end "interrupted"
  queue.Stop();        // what was accepted is written before exit
  metrics.Stop();
  if (log != nullptr && log != stderr) std::fclose(log);
  if (!g.quiet) std::fprintf(stderr, "sei serve: stopped\n");
  return Status::Ok();
}

}  // namespace

void AddServeCommands(CLI::App& root, std::vector<Command>* out) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* s =
      root.add_subcommand("serve", "Serve the REST API, the dashboards and live metrics over HTTP");
  s->add_option("--listen", a->listen,
                "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free port and "
                "prints it)");
  s->add_option("--web-dir", a->web_dir,
                "The web app's build to serve at / (default $SEI_WEB_DIR, else web/dist)");
  s->add_option("--threads", a->threads, "Worker threads (default: one per core, at least 2)")
      ->check(CLI::Range(0, 256));
  s->add_option("--tls-cert", a->tls_cert, "PEM certificate chain: serve HTTPS");
  s->add_option("--tls-key", a->tls_key, "PEM private key of --tls-cert");
  s->add_option("--max-body-kib", a->max_body_kib, "Largest request body accepted, KiB (8192)")
      ->check(CLI::Range(1, 1 << 20));
  s->add_option("--request-timeout", a->request_timeout,
                "Seconds a request may take to arrive, headers and body (15)")
      ->check(CLI::Range(0.05, 3600.0));
  s->add_option("--idle-timeout", a->idle_timeout,
                "Seconds an idle keep-alive connection stays open (60)")
      ->check(CLI::Range(0.05, 86400.0));
  s->add_option("--shutdown-grace", a->shutdown_grace,
                "Seconds requests in flight get to finish on SIGTERM (20)")
      ->check(CLI::Range(0.0, 3600.0));
  s->add_option("--poll", a->poll,
                "Seconds between checks for new data (collections, pushes, sei link); 0: never")
      ->check(CLI::Range(0.0, 3600.0));
  s->add_option("--access-log", a->access_log,
                "Where JSON access-log lines go: - (stderr, default), a file, or off");
  s->add_option("--webhook-secret-env", a->webhook_secret_env,
                "SOURCE=VAR: the webhook secret of github, gitlab or generic is in $VAR "
                "(repeatable); a source without one refuses every delivery. Per-connection secrets "
                "(/webhooks/SOURCE/NAME) are set with `sei connect`");
  s->add_option("--token-cache", a->token_cache,
                "Seconds a verified token is remembered (a revoked token stops working within "
                "this time; 0: check every request; default 5)")
      ->check(CLI::Range(0, 3600));
  s->add_option("--push-batch", a->push_batch,
                "Most pushes stored in one transaction (group commit, default 512)")
      ->check(CLI::Range(1, 100000));
  s->add_flag("--no-schedule", a->no_schedule,
              "Do not sync connections on their interval (only when asked: POST "
              "/api/v1/connections/{id}/collect, or sei sync)");
  s->add_flag("--no-worker", a->no_worker,
              "Run no collection jobs here: `sei worker` processes on the same database take "
              "them (triggers and schedules are still queued by this server)");
  s->add_option("--worker-threads", a->worker_threads,
                "Collection jobs this server's worker runs at once (default 1)")
      ->check(CLI::Range(1, 64));
  s->footer(
      "\nThe API is under /api/v1/ (its OpenAPI document at /api/v1/openapi.json), health at\n"
      "/healthz and /readyz, Prometheus counters at /metrics, the web app at /.\n"
      "Each GitHub connection is synced on its interval (`sei status` shows when next).\n"
      "SIGTERM or Ctrl-C: stops accepting, lets requests in flight finish, then exits.\n"
      "\nExamples:\n"
      "  sei --db demo.db serve\n"
      "  sei serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem\n"
      "  sei serve --listen 127.0.0.1:0          print the free port it bound\n"
      "\nReference: docs/api.md.");
  out->push_back({s, [a](const Globals& g) { return RunServe(g, *a); }});
}

}  // namespace sei::app
