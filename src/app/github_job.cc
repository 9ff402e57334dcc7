#include "app/github_job.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "auth/connection_service.h"
#include "collectors/github/github_settings.h"
#include "common/clock.h"
#include "common/sleeper.h"
#include "net/curl_http_client.h"
#include "net/retrying_client.h"
#include "net/token_pool.h"

namespace sei::app {

namespace gh = collectors::github;

namespace {

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

const GithubSourceConfig* Declared(const Globals& g, const model::Connection& c) {
  if (c.source != "github") return nullptr;
  for (const GithubSourceConfig& s : g.config.github_sources) {
    if (s.name == c.name) return &s;
  }
  return nullptr;
}

Result<std::vector<std::string>> Tokens(const Globals& g, Store& store,
                                        const model::Connection& c) {
  if (const GithubSourceConfig* d = Declared(g, c); d != nullptr && d->token_env) {
    const char* v = std::getenv(d->token_env->c_str());
    if (v == nullptr || *v == '\0') {
      return FailedPreconditionError("the environment variable " + *d->token_env +
                                     " (token_env of sources.github at " + d->where +
                                     ") is not set: export it with the GitHub token");
    }
    return SplitTokens(v);
  }
  std::vector<std::string> tokens;
  SEI_ASSIGN_OR_RETURN(auto sealed, auth::ConnectionService(store, nullptr).Get(c.id));
  if (!sealed || sealed->secrets_set.count(auth::kTokenSecret) == 0) return tokens;
  SEI_ASSIGN_OR_RETURN(auth::SecretBox box, auth::SecretBox::Load(g.data_dir));
  SEI_ASSIGN_OR_RETURN(std::optional<std::string> token,
                       auth::ConnectionService(store, &box).Secret(c.id, auth::kTokenSecret));
  if (token) tokens = SplitTokens(*token);
  return tokens;
}

Result<gh::SyncReport> Sync(const Globals& g, Store& store, const model::Connection& c,
                            const GithubJobOptions& o, GithubMirrorReport* mirrored) {
  SEI_ASSIGN_OR_RETURN(gh::GithubSettings settings, gh::ParseGithubSettings(c.config.value_or("")));
  if (auto p = gh::GithubSettingsProblem(settings)) {
    return FailedPreconditionError(*p + " (change it with `sei connect github --name " + c.name +
                                   " ...`)");
  }
  SEI_ASSIGN_OR_RETURN(std::vector<std::string> tokens, Tokens(g, store, c));
  net::CurlHttpClientOptions copt;
  copt.ca_bundle_path = o.ca_bundle;
  copt.read_timeout = o.read_timeout;
  net::CurlHttpClient curl(copt);
  net::TokenPool pool(tokens);
  net::RetryOptions ropt;
  ropt.max_attempts = std::max(1, o.max_attempts);
  net::RetryingClient http(curl, SystemClock::Get(), RealSleeper::Get(), ropt, &pool);
  gh::SyncOptions opt;
  opt.connection_id = c.id;
  opt.api_url = gh::ApiUrl(c.base_url);
  opt.settings = settings;
  opt.full = o.full;
  opt.cancel = o.cancel;
  opt.progress = o.progress;
  gh::GithubSync sync(store, http, opt);
  Result<gh::SyncReport> r = sync.Run();
  if (!r.ok() || !settings.mirror) return r;
  GithubMirrorOptions mo;
  mo.token = tokens.empty() ? "" : tokens.front();
  mo.ca_bundle = o.ca_bundle;
  mo.cancel = o.cancel;
  mo.progress = o.progress;
  SEI_ASSIGN_OR_RETURN(*mirrored, MirrorGithubRepos(g, store, c.id, r->repos, mo));
  if (mirrored->Failed() > 0) {
    return UnavailableError(
        fmt::format("{} of {} repositories could not be mirrored (the API data and the other "
                    "repositories' commits are stored; the next sync tries again): {}",
                    mirrored->Failed(), mirrored->repos.size(), mirrored->Failures()));
  }
  return r;
}

}  // namespace

Status ApplyConfigConnections(const Globals& g, Store& store) {
  for (const GithubSourceConfig& d : g.config.github_sources) {
    auth::ConnectionService service(store, nullptr);
    SEI_ASSIGN_OR_RETURN(auto found, service.Get("github:" + d.name));
    if (found && found->connection.config == d.settings_json &&
        found->connection.base_url == d.base_url) {
      continue;
    }
    auth::ConnectionChange change;
    change.source = "github";
    change.name = d.name;
    change.base_url = d.base_url;
    change.config = d.settings_json;
    auth::AuditEntry audit;
    audit.at = SystemClock::Get().NowUnixSeconds();
    audit.actor = "config:" + g.config.file;
    audit.outcome = "ok";
    Result<auth::ConnectionInfo> put = service.Put(change, audit.at, audit);
    if (!put.ok()) {
      return Status(put.status().code(),
                    d.where + ": sources.github '" + d.name + "': " + put.status().message());
    }
  }
  return Status::Ok();
}

Result<std::vector<model::Connection>> ChooseGithubConnections(
    const std::vector<model::Connection>& all, const std::vector<std::string>& ids,
    const std::string& not_github, const std::string& none) {
  std::vector<model::Connection> chosen;
  for (const std::string& id : ids) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.id == id; });
    if (it == all.end()) {
      return NotFoundError("no connection '" + id + "' (`sei connections list` shows them)");
    }
    if (it->source != "github") {
      return InvalidArgumentError(id + " is a " + it->source + " connection: " + not_github);
    }
    chosen.push_back(*it);
  }
  if (ids.empty()) {
    for (const auto& c : all) {
      if (c.source == "github") chosen.push_back(c);
    }
  }
  if (chosen.empty()) return FailedPreconditionError(none);
  return chosen;
}

std::string GithubRunScope(const model::Connection& c) {
  auto settings = gh::ParseGithubSettings(c.config.value_or(""));
  if (settings.ok() && settings->org) return *settings->org;
  return "repos";
}

Result<gh::SyncReport> RunGithubJob(const Globals& g, Store& store, const model::Connection& c,
                                    const GithubJobOptions& o) {
  int64_t run_id = o.run_id;
  if (run_id == 0) {
    SEI_ASSIGN_OR_RETURN(run_id, store.BeginRun({0,
                                                 c.id,
                                                 GithubRunScope(c),
                                                 SystemClock::Get().NowUnixSeconds(),
                                                 {},
                                                 "running",
                                                 0,
                                                 {}}));
  }
  GithubMirrorReport mirrored;
  Result<gh::SyncReport> r = Sync(g, store, c, o, &mirrored);
  if (o.mirror_report != nullptr) *o.mirror_report = mirrored;
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  if (!r.ok()) {
    const bool cancelled = r.status().code() == StatusCode::kCancelled;
    store.FinishRun(run_id, cancelled ? "interrupted" : "failed", 0, r.status().message(), now)
        .IgnoreError();
    return Status(r.status().code(), c.id + ": " + r.status().message());
  }
  const int64_t added = r->rows + mirrored.CommitsAdded();
  if (o.link && added > 0) {
    Result<metrics::link::LinkSummary> linked =
        metrics::link::Linker(store, g.config.metrics).Run();
    if (!linked.ok()) {
      const std::string why =
          "synced, but linking failed (run `sei link` to retry): " + linked.status().message();
      store.FinishRun(run_id, "failed", added, why, SystemClock::Get().NowUnixSeconds())
          .IgnoreError();
      return Status(linked.status().code(), c.id + ": " + why);
    }
    if (o.link_summary != nullptr) *o.link_summary = std::move(*linked);
  }
  SEI_RETURN_IF_ERROR(store.FinishRun(run_id, "complete", added, std::nullopt,
                                      SystemClock::Get().NowUnixSeconds()));
  return r;
}

std::string ReconvertLocation(const ReconvertRequest& r) {
  return nlohmann::json({{"entity", r.entity}, {"scope", r.scope}, {"link", r.link}}).dump();
}

Result<ReconvertRequest> ParseReconvertLocation(const std::string& location) {
  const auto j = nlohmann::json::parse(location, nullptr, false);
  ReconvertRequest r;
  if (!j.is_object() || !j.value("entity", nlohmann::json()).is_string() ||
      !j.value("scope", nlohmann::json()).is_string() ||
      !j.value("link", nlohmann::json()).is_boolean()) {
    return InvalidArgumentError(
        "a reconvert job's location is not {\"entity\", \"scope\", "
        "\"link\"}: " +
        location.substr(0, 200));
  }
  r.entity = j["entity"].get<std::string>();
  r.scope = j["scope"].get<std::string>();
  r.link = j["link"].get<bool>();
  if (!r.entity.empty() && !gh::IsReconvertEntity(r.entity)) {
    return InvalidArgumentError("a reconvert job names an unknown entity '" + r.entity + "'");
  }
  return r;
}

Result<gh::ReconvertReport> ReconvertGithub(const Globals& g, Store& store,
                                            const std::vector<model::Connection>& chosen,
                                            const std::vector<model::Connection>& all,
                                            const ReconvertRequest& r,
                                            std::optional<metrics::link::LinkSummary>* linked) {
  gh::ReconvertOptions o;
  for (const model::Connection& c : chosen) {
    Result<gh::GithubSettings> settings = gh::ParseGithubSettings(c.config.value_or(""));
    if (!settings.ok()) {
      return InvalidArgumentError(
          c.id + ": its config does not read: " + settings.status().message() +
          " (change it with `sei connect github --name " + c.name + " ...`)");
    }
    o.connections.push_back({c.id, std::move(*settings)});
  }
  // The webhook receiver's rule for deliveries to /webhooks/github.
  const auto github =
      std::count_if(all.begin(), all.end(), [](const auto& c) { return c.source == "github"; });
  o.default_webhook_connection = "github:webhooks";
  if (github == 1) {
    for (const auto& c : all) {
      if (c.source == "github") o.default_webhook_connection = c.id;
    }
  }
  o.entity = r.entity;
  o.scope = r.scope;
  o.cancel = r.cancel;
  o.progress = r.progress;
  gh::GithubReconvert reconvert(store, std::move(o));
  SEI_ASSIGN_OR_RETURN(gh::ReconvertReport report, reconvert.Run());
  // As after a sync: the links (deployments to commits and PRs, CI
  // deployments) follow the rows just made.
  if (r.link && report.rows > 0) {
    Result<metrics::link::LinkSummary> summary =
        metrics::link::Linker(store, g.config.metrics).Run();
    if (!summary.ok()) {
      return Status(summary.status().code(),
                    "reconverted, but linking failed (run `sei link` to retry): " +
                        summary.status().message());
    }
    if (linked != nullptr) *linked = *summary;
  }
  return report;
}

}  // namespace sei::app
