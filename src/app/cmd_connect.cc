// `sei connect SOURCE --name NAME ...` and `sei connections list|delete`:
// connections (configured sources) with their secrets (issue 5, "Access").
// Secrets are read from environment variables, never from the command line
// (which other users can see in the process list), sealed with the secret
// key before they are stored, and never printed. Every write is audited.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/access_cli.h"
#include "app/commands.h"
#include "app/github_job.h"
#include "app/store_factory.h"
#include "auth/connection_service.h"
#include "collectors/github/github_settings.h"
#include "common/clock.h"
#include "common/strings.h"

namespace sei::app {

namespace {

struct ConnectArgs {
  std::string source;
  std::string name;
  std::string base_url;
  std::string token_env;
  std::string webhook_secret_env;
  std::string format = "text";
  std::string id;
  // github
  std::string org;
  std::vector<std::string> repos;
  std::optional<int64_t> interval;
  bool no_mirror = false;
};

// The GitHub settings the flags give, over the stored ones.
Result<std::optional<std::string>> GithubConfig(Store& store, const ConnectArgs& a,
                                                const std::string& name) {
  namespace gh = collectors::github;
  const bool any = !a.org.empty() || !a.repos.empty() || a.interval || a.no_mirror;
  if (!any) return std::optional<std::string>();
  SEI_ASSIGN_OR_RETURN(std::optional<model::Connection> stored,
                       FindOne<model::Connection>(store, "id", "github:" + name));
  SEI_ASSIGN_OR_RETURN(gh::GithubSettings s,
                       gh::ParseGithubSettings(stored ? stored->config.value_or("") : ""));
  if (!a.org.empty()) s.org = a.org;
  for (const std::string& r : a.repos) {
    if (auto p = gh::RepoNameProblem(r)) return InvalidArgumentError("--repo " + *p);
    if (std::find(s.repos.begin(), s.repos.end(), r) == s.repos.end()) s.repos.push_back(r);
  }
  if (a.interval) s.interval_seconds = *a.interval;
  if (a.no_mirror) s.mirror = false;
  if (auto p = gh::GithubSettingsProblem(s)) return InvalidArgumentError(*p);
  SEI_RETURN_IF_ERROR(gh::ParseGithubSettings(gh::GithubSettingsJson(s)).status());
  return std::optional<std::string>(gh::GithubSettingsJson(s));
}

// $VAR's value; an error names the flag when it is unset or empty.
Result<std::string> FromEnv(const char* flag, const std::string& var) {
  const char* v = std::getenv(var.c_str());
  if (v == nullptr || *v == '\0') {
    return InvalidArgumentError(std::string(flag) + " " + var + ": $" + var +
                                " is not set or empty");
  }
  return std::string(v);
}

std::string AsciiLowerName(const std::string& s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

auth::AuditEntry CliEntry() {
  auth::AuditEntry e;
  e.at = SystemClock::Get().NowUnixSeconds();
  e.actor = CliActor();
  e.outcome = "ok";
  return e;
}

std::string SecretsText(const auth::ConnectionInfo& c) {
  std::string out;
  for (const auto& [kind, at] : c.secrets_set) {
    out += (out.empty() ? "" : ", ") + kind + " (" + ShortTime(at) + ")";
  }
  return out.empty() ? "-" : out;
}

Status RunConnect(const Globals& g, const ConnectArgs& a) {
  auth::ConnectionChange change;
  change.source = a.source;
  change.name = a.name;
  const bool github = auth::ConnectionService::NormaliseSource(a.source) == "github";
  if (!github && (!a.org.empty() || !a.repos.empty() || a.interval || a.no_mirror)) {
    return InvalidArgumentError("--org, --repo, --interval and --no-mirror are for github");
  }
  if (change.name.empty()) {
    if (!github || a.org.empty())
      return InvalidArgumentError("--name is required (for github, --org ORG names it)");
    change.name = AsciiLowerName(a.org);  // `sei connect github --org Acme` is github:acme
  }
  if (!a.base_url.empty()) change.base_url = a.base_url;
  if (!a.token_env.empty()) {
    SEI_ASSIGN_OR_RETURN(change.secrets[auth::kTokenSecret], FromEnv("--token-env", a.token_env));
  }
  if (!a.webhook_secret_env.empty()) {
    SEI_ASSIGN_OR_RETURN(change.secrets[auth::kWebhookSecret],
                         FromEnv("--webhook-secret-env", a.webhook_secret_env));
  }
  std::optional<auth::SecretBox> box;
  if (!change.secrets.empty()) {
    SEI_ASSIGN_OR_RETURN(box, auth::SecretBox::Load(g.data_dir));
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  if (github) {
    SEI_ASSIGN_OR_RETURN(std::optional<std::string> config, GithubConfig(*store, a, change.name));
    if (config) change.config = config;
  }
  auth::ConnectionService service(*store, box ? &*box : nullptr);
  bool created = false;
  SEI_ASSIGN_OR_RETURN(
      auth::ConnectionInfo info,
      service.Put(change, SystemClock::Get().NowUnixSeconds(), CliEntry(), &created));
  if (!g.quiet) {
    std::printf("%s connection %s (secrets: %s).\n", created ? "Created" : "Updated",
                info.connection.id.c_str(), SecretsText(info).c_str());
  }
  if (github && !g.quiet && info.connection.config) {
    std::printf("Syncs %s. Run `sei sync %s` now, or `sei serve` syncs it on its interval.\n",
                info.connection.config->c_str(), info.connection.id.c_str());
  }
  return Status::Ok();
}

Status RunList(const Globals& g, const ConnectArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_RETURN_IF_ERROR(ApplyConfigConnections(g, *store));  // sources.github
  SEI_ASSIGN_OR_RETURN(auto all, auth::ConnectionService(*store, nullptr).List());
  if (a.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : all) {
      out.push_back({{"id", c.connection.id},
                     {"source", c.connection.source},
                     {"name", c.connection.name},
                     {"base_url", c.connection.base_url ? nlohmann::json(*c.connection.base_url)
                                                        : nlohmann::json()},
                     {"created_at", c.connection.created_at},
                     {"updated_at", c.connection.updated_at},
                     {"secrets_set", c.secrets_set}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  if (all.empty()) {
    std::printf("No connections. Add one with `sei connect SOURCE --name NAME`.\n");
    return Status::Ok();
  }
  std::printf("%-24s %-10s %-30s %-16s %s\n", "ID", "SOURCE", "BASE URL", "UPDATED", "SECRETS SET");
  for (const auto& c : all) {
    std::printf("%s %-10s %s %-16s %s\n", PadRight(c.connection.id, 24).c_str(),
                c.connection.source.c_str(),
                PadRight(c.connection.base_url.value_or("-"), 30).c_str(),
                ShortTime(c.connection.updated_at).c_str(), SecretsText(c).c_str());
  }
  return Status::Ok();
}

Status RunDelete(const Globals& g, const ConnectArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_ASSIGN_OR_RETURN(bool found,
                       auth::ConnectionService(*store, nullptr).Delete(a.id, CliEntry()));
  if (!found) {
    return NotFoundError("no connection '" + a.id + "' (`sei connections list` shows them)");
  }
  if (!g.quiet) std::printf("Deleted connection %s and its secrets.\n", a.id.c_str());
  return Status::Ok();
}

}  // namespace

void AddConnectCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<ConnectArgs>();
  CLI::App* connect = root.add_subcommand(
      "connect", "Create or update a connection (a source) and its write-only secrets");
  connect
      ->add_option("SOURCE", args->source,
                   "git, github, gitlab, bitbucket, azure-devops, jira, linear, jenkins, "
                   "circleci, pagerduty, sonarqube, snyk, or push (generic: the push API and "
                   "the generic webhook receiver)")
      ->required();
  connect->add_option("--name", args->name,
                      "The connection's name: 1 to 64 of a-z, 0-9, '_', '-'; its id is "
                      "SOURCE:NAME (required, except github with --org)");
  connect->add_option("--org", args->org,
                      "github: sync every repository of this organisation (or user); the "
                      "connection's name defaults to it");
  connect->add_option("--repo", args->repos, "github: sync this repository (OWNER/NAME; repeat)");
  connect->add_option("--interval", args->interval,
                      "github: seconds between syncs in `sei serve` (default 3600; 0: only "
                      "`sei sync` or POST .../collect)");
  connect->add_flag("--no-mirror", args->no_mirror,
                    "github: do not clone the repositories (no commits from them)");
  connect->add_option("--base-url", args->base_url,
                      "API base URL (GitHub Enterprise, self-hosted GitLab, Jira Server)");
  connect->add_option("--token-env", args->token_env,
                      "The source's API token is in $VAR (sealed before it is stored)");
  connect->add_option("--webhook-secret-env", args->webhook_secret_env,
                      "The webhook secret is in $VAR: /webhooks/SOURCE/NAME accepts deliveries "
                      "signed with it");
  connect->footer(
      "\nRunning it again with the same SOURCE and NAME updates the connection; secrets not\n"
      "given are kept. Secrets come from the environment, never the command line; they are\n"
      "sealed with SEI_SECRET_KEY or DATA_DIR/secret.key and never shown again.\n"
      "Examples:\n"
      "  GITHUB_TOKEN=... sei connect github --org acme --token-env GITHUB_TOKEN\n"
      "      (then `sei sync`; GitHub Enterprise: --base-url https://ghe.example.com/api/v3)\n"
      "  GH_HOOK=... sei connect github --name acme --webhook-secret-env GH_HOOK\n"
      "  GL_TOKEN=... sei connect gitlab --name self --base-url https://gitlab.example.com \\\n"
      "      --token-env GL_TOKEN\n"
      "  HOOK=... sei connect generic --name ci --webhook-secret-env HOOK\n"
      "      (then POST /webhooks/generic/ci with X-Sei-Webhook-Secret: $HOOK)\n"
      "  sei connections list\n"
      "\nReference: docs/api.md, \"Connections\".");
  out->push_back({connect, [args](const Globals& g) { return RunConnect(g, *args); }});

  CLI::App* conns = root.add_subcommand(
      "connections", "List or delete connections (which secrets are set, never the secrets)");
  conns->require_subcommand(1);
  CLI::App* list = conns->add_subcommand(
      "list", "Connections: id, source, base URL, last change, which secrets are set and when");
  list->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  list->footer("\nExamples:\n  sei connections list\n  sei connections list --format json");
  out->push_back({list, [args](const Globals& g) { return RunList(g, *args); }});
  CLI::App* del = conns->add_subcommand(
      "delete", "Delete a connection and its secrets (the data collected through it stays)");
  del->add_option("ID", args->id, "Connection id (SOURCE:NAME, from `sei connections list`)")
      ->required();
  del->footer("\nExample:\n  sei connections delete github:acme");
  out->push_back({del, [args](const Globals& g) { return RunDelete(g, *args); }});
}

}  // namespace sei::app
