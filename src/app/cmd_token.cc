// `sei token create | list | revoke`: API tokens for the server (issue 5,
// "Access"). `create` prints the token alone on stdout, once; only its hash
// is stored. Every write is recorded in the audit log.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/access_cli.h"
#include "app/commands.h"
#include "app/store_factory.h"
#include "auth/token_service.h"
#include "auth/user_service.h"
#include "common/clock.h"
#include "common/strings.h"

namespace sei::app {

namespace {

struct TokenArgs {
  std::string role;
  std::string name;
  std::string user;
  std::string expires = "never";
  std::string format = "text";
  std::string id;
};

// "30d", "12h", "90m" -> seconds; "never" -> none.
Result<std::optional<int64_t>> ParseExpiry(const std::string& text) {
  if (text == "never" || text.empty()) return std::optional<int64_t>();
  const char unit = text.back();
  const std::string digits = text.substr(0, text.size() - 1);
  const int64_t per = unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 : 0;
  if (per == 0 || digits.empty() || digits.size() > 6 ||
      digits.find_first_not_of("0123456789") != std::string::npos || std::stoll(digits) == 0) {
    return InvalidArgumentError("--expires '" + text +
                                "' is not a duration; use a number of days, hours or minutes "
                                "(30d, 12h, 90m) or never");
  }
  return std::optional<int64_t>(std::stoll(digits) * per);
}

Status RunCreate(const Globals& g, const TokenArgs& a) {
  SEI_ASSIGN_OR_RETURN(auth::Role role, auth::ParseRole(a.role));
  SEI_ASSIGN_OR_RETURN(std::optional<int64_t> ttl, ParseExpiry(a.expires));
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  std::optional<std::string> user_id;
  if (!a.user.empty()) {
    SEI_ASSIGN_OR_RETURN(std::optional<model::User> user,
                         auth::UserService(*store).FindByEmail(a.user));
    if (!user) return NotFoundError("no user with email " + a.user + " (see `sei user list`)");
    user_id = user->id;
  }
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  std::optional<int64_t> expires_at;
  if (ttl) expires_at = now + *ttl;
  auth::TokenService tokens(*store);
  SEI_ASSIGN_OR_RETURN(auth::CreatedToken created,
                       tokens.Create(role, a.name, user_id, expires_at));
  SEI_RETURN_IF_ERROR(
      RecordCliAudit(*store, "token.create", "token:" + created.id,
                     fmt::format("role {}, name \"{}\", user {}, expires {}", created.token.role,
                                 created.token.name, user_id.value_or("-"),
                                 expires_at ? ShortTime(expires_at) : "never")));
  std::printf("%s\n", created.plaintext.c_str());
  std::fflush(stdout);
  if (!g.quiet) {
    std::fprintf(stderr,
                 "sei: created API token %s (role %s, expires %s). It is shown once: store it "
                 "now. Send it as `Authorization: Bearer <token>`.\n",
                 created.id.c_str(), created.token.role.c_str(),
                 expires_at ? ShortTime(expires_at).c_str() : "never");
  }
  return Status::Ok();
}

Status RunList(const Globals& g, const TokenArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_ASSIGN_OR_RETURN(std::vector<model::ApiToken> tokens, auth::TokenService(*store).List());
  if (a.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const model::ApiToken& t : tokens) {
      out.push_back(
          {{"id", t.id},
           {"name", t.name},
           {"prefix", t.prefix},
           {"role", t.role},
           {"user_id", t.user_id ? nlohmann::json(*t.user_id) : nlohmann::json()},
           {"created_at", t.created_at},
           {"expires_at", t.expires_at ? nlohmann::json(*t.expires_at) : nlohmann::json()},
           {"last_used_at", t.last_used_at ? nlohmann::json(*t.last_used_at) : nlohmann::json()},
           {"revoked_at", t.revoked_at ? nlohmann::json(*t.revoked_at) : nlohmann::json()}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  if (tokens.empty()) {
    std::printf("No API tokens. Create one with `sei token create --role admin`.\n");
    return Status::Ok();
  }
  std::printf("%-15s %-20s %-9s %-8s %-16s %-16s %-16s %s\n", "ID", "NAME", "PREFIX", "ROLE",
              "CREATED", "LAST USED", "EXPIRES", "REVOKED");
  for (const model::ApiToken& t : tokens) {
    std::printf("%-15s %s %-9s %-8s %-16s %-16s %-16s %s\n", t.id.c_str(),
                PadRight(t.name, 20).c_str(), t.prefix.c_str(), t.role.c_str(),
                ShortTime(t.created_at).c_str(), ShortTime(t.last_used_at).c_str(),
                ShortTime(t.expires_at).c_str(), ShortTime(t.revoked_at).c_str());
  }
  return Status::Ok();
}

Status RunRevoke(const Globals& g, const TokenArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_RETURN_IF_ERROR(auth::TokenService(*store).Revoke(a.id));
  SEI_RETURN_IF_ERROR(RecordCliAudit(*store, "token.revoke", "token:" + a.id, "revoked"));
  if (!g.quiet) std::printf("Revoked API token %s: it no longer works.\n", a.id.c_str());
  return Status::Ok();
}

}  // namespace

void AddTokenCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<TokenArgs>();
  CLI::App* token =
      root.add_subcommand("token", "API tokens for `sei serve`: create (shown once), list, revoke");
  token->require_subcommand(1);

  CLI::App* create = token->add_subcommand(
      "create", "Create an API token and print it alone on stdout (only its hash is stored)");
  create->add_option("--role", args->role, "admin, manager, member or viewer (see docs/api.md)")
      ->required();
  create->add_option("--name", args->name, "What the token is for (shown in `sei token list`)");
  create->add_option("--user", args->user,
                     "The user (email) the token acts as: their person and teams decide whose "
                     "metrics a manager or member sees");
  create->add_option("--expires", args->expires,
                     "Lifetime: 30d, 12h, 90m, or never (default never)");
  create->footer(
      "\nThe token is printed once, alone on stdout; notes go to stderr.\n"
      "Examples:\n"
      "  sei token create --role admin --name bootstrap\n"
      "  TOKEN=$(sei token create --role viewer --name grafana --expires 90d)\n"
      "  sei token create --role manager --user ann@example.com --expires 30d\n"
      "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/v1/teams");
  out->push_back({create, [args](const Globals& g) { return RunCreate(g, *args); }});

  CLI::App* list = token->add_subcommand(
      "list", "List API tokens: id, name, prefix, role, created, last used, expiry, revoked");
  list->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  list->footer(
      "\nThe tokens themselves are never shown (they are not stored); the prefix is their\n"
      "first 8 characters, to tell them apart.\n"
      "Examples:\n  sei token list\n  sei token list --format json");
  out->push_back({list, [args](const Globals& g) { return RunList(g, *args); }});

  CLI::App* revoke =
      token->add_subcommand("revoke", "Revoke an API token by id: it stops working at once");
  revoke->add_option("ID", args->id, "Token id (tk-..., from `sei token list`)")->required();
  revoke->footer("\nExample:\n  sei token revoke tk-3f9a0c12b7e4");
  out->push_back({revoke, [args](const Globals& g) { return RunRevoke(g, *args); }});
}

}  // namespace sei::app
