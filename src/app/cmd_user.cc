// `sei user add | list | disable | set-password`: the people who may sign
// in to `sei serve`, each with a role (issue 5, "Access"). Passwords come
// from an environment variable, never the command line (which other users
// can read in `ps`). Every write is recorded in the audit log.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/access_cli.h"
#include "app/commands.h"
#include "app/store_factory.h"
#include "auth/user_service.h"
#include "common/strings.h"
#include "model/org.h"

namespace sei::app {

namespace {

struct UserArgs {
  std::string email;
  std::string name;
  std::string role;
  std::string team;
  std::string person;
  std::string password_env;
  std::string format = "text";
};

Result<std::optional<std::string>> PasswordFromEnv(const std::string& var) {
  if (var.empty()) return std::optional<std::string>();
  const char* value = std::getenv(var.c_str());
  if (value == nullptr || *value == '\0') {
    return InvalidArgumentError("--password-env " + var +
                                ": that environment variable is not set (or empty)");
  }
  return std::optional<std::string>(value);
}

// A team given by id or by name.
Result<std::optional<std::string>> ResolveTeam(Store& store, const std::string& team) {
  if (team.empty()) return std::optional<std::string>();
  SEI_ASSIGN_OR_RETURN(std::vector<model::Team> teams, store.List<model::Team>());
  for (const model::Team& t : teams) {
    if (t.id == team || t.name == team) return std::optional<std::string>(t.id);
  }
  return std::optional<std::string>(team);  // UserService explains that it does not exist
}

Status RunAdd(const Globals& g, const UserArgs& a) {
  SEI_ASSIGN_OR_RETURN(auth::Role role, auth::ParseRole(a.role));
  SEI_ASSIGN_OR_RETURN(std::optional<std::string> password, PasswordFromEnv(a.password_env));
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  auth::NewUser nu{a.email, a.name, role, std::nullopt, std::nullopt, password};
  SEI_ASSIGN_OR_RETURN(nu.team_id, ResolveTeam(*store, a.team));
  if (!a.person.empty()) nu.person_id = a.person;
  SEI_ASSIGN_OR_RETURN(model::User u, auth::UserService(*store).Add(nu));
  SEI_RETURN_IF_ERROR(RecordCliAudit(
      *store, "user.add", "user:" + u.id,
      fmt::format("email {}, role {}, team {}, person {}, password {}", u.email, u.role,
                  u.team_id.value_or("-"), u.person_id.value_or("-"), password ? "set" : "none")));
  if (!g.quiet) {
    std::printf(
        "Added user %s <%s> (%s), id %s%s\n", u.name.c_str(), u.email.c_str(), u.role.c_str(),
        u.id.c_str(),
        password ? "" : "; no password: they can use tokens only (sei token create --user)");
  }
  return Status::Ok();
}

nlohmann::json Opt(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
nlohmann::json Opt(const std::optional<int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

Status RunList(const Globals& g, const UserArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_ASSIGN_OR_RETURN(std::vector<model::User> users, auth::UserService(*store).List());
  if (a.format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const model::User& u : users) {
      out.push_back({{"id", u.id},
                     {"name", u.name},
                     {"email", u.email},
                     {"role", u.role},
                     {"team_id", Opt(u.team_id)},
                     {"person_id", Opt(u.person_id)},
                     {"created_at", u.created_at},
                     {"disabled_at", Opt(u.disabled_at)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  if (users.empty()) {
    std::printf("No users. Add one with `sei user add --email E --name N --role R`.\n");
    return Status::Ok();
  }
  std::printf("%-15s %s %s %-8s %-16s %-16s %s\n", "ID", PadRight("EMAIL", 28).c_str(),
              PadRight("NAME", 20).c_str(), "ROLE", "TEAM", "PERSON", "DISABLED");
  for (const model::User& u : users) {
    std::printf("%-15s %s %s %-8s %-16s %-16s %s\n", u.id.c_str(), PadRight(u.email, 28).c_str(),
                PadRight(u.name, 20).c_str(), u.role.c_str(), u.team_id.value_or("-").c_str(),
                u.person_id.value_or("-").c_str(), ShortTime(u.disabled_at).c_str());
  }
  return Status::Ok();
}

Status RunDisable(const Globals& g, const UserArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  auth::UserService users(*store);
  SEI_RETURN_IF_ERROR(users.Disable(a.email));
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> u, users.FindByEmail(a.email));
  SEI_RETURN_IF_ERROR(RecordCliAudit(*store, "user.disable", "user:" + (u ? u->id : a.email),
                                     "email " + auth::UserService::NormaliseEmail(a.email)));
  if (!g.quiet) {
    std::printf("Disabled %s: their tokens and sessions stop working now.\n", a.email.c_str());
  }
  return Status::Ok();
}

Status RunSetPassword(const Globals& g, const UserArgs& a) {
  SEI_ASSIGN_OR_RETURN(std::optional<std::string> password, PasswordFromEnv(a.password_env));
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  auth::UserService users(*store);
  SEI_RETURN_IF_ERROR(users.SetPassword(a.email, password.value_or("")));
  SEI_ASSIGN_OR_RETURN(std::optional<model::User> u, users.FindByEmail(a.email));
  SEI_RETURN_IF_ERROR(
      RecordCliAudit(*store, "user.set-password", "user:" + (u ? u->id : a.email), "password set"));
  if (!g.quiet) std::printf("Set the password of %s.\n", a.email.c_str());
  return Status::Ok();
}

void AddAddCommand(CLI::App* user, const std::shared_ptr<UserArgs>& args,
                   std::vector<Command>* out) {
  CLI::App* add = user->add_subcommand("add", "Add a user who may sign in to `sei serve`");
  add->add_option("--email", args->email, "Their email (unique; how they sign in)")->required();
  add->add_option("--name", args->name, "Their display name")->required();
  add->add_option("--role", args->role, "admin, manager, member or viewer (see docs/api.md)")
      ->required();
  add->add_option("--team", args->team,
                  "A team (id or name) they manage (manager) or belong to (member), besides "
                  "the teams of their person");
  add->add_option("--person", args->person,
                  "The person they are (an id from `sei identity list`): their own metrics, "
                  "and their teams from the team memberships");
  add->add_option("--password-env", args->password_env,
                  "Read their password (at least 10 characters) from this environment "
                  "variable; without it they use tokens only");
  add->footer(
      "\nExamples:\n"
      "  sei user add --email ann@example.com --name 'Ann Lee' --role manager --team Platform\n"
      "  SEI_PW='a long passphrase' sei user add --email bob@example.com --name Bob \\\n"
      "      --role member --person person:bob --password-env SEI_PW");
  out->push_back({add, [args](const Globals& g) { return RunAdd(g, *args); }});
}

}  // namespace

void AddUserCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<UserArgs>();
  CLI::App* user = root.add_subcommand(
      "user", "Users of `sei serve` and their roles: add, list, disable, set-password");
  user->require_subcommand(1);
  AddAddCommand(user, args, out);

  CLI::App* list = user->add_subcommand("list", "List users (never their passwords)");
  list->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  list->footer("\nExamples:\n  sei user list\n  sei user list --format json");
  out->push_back({list, [args](const Globals& g) { return RunList(g, *args); }});

  CLI::App* disable = user->add_subcommand(
      "disable", "Disable a user: they cannot sign in, and their tokens stop working");
  disable->add_option("EMAIL", args->email, "Their email")->required();
  disable->footer("\nExample:\n  sei user disable bob@example.com");
  out->push_back({disable, [args](const Globals& g) { return RunDisable(g, *args); }});

  CLI::App* pw = user->add_subcommand("set-password", "Set or replace a user's password");
  pw->add_option("EMAIL", args->email, "Their email")->required();
  pw->add_option("--password-env", args->password_env,
                 "Read the new password from this environment variable")
      ->required();
  pw->footer(
      "\nExample:\n  SEI_PW='a new passphrase' sei user set-password bob@example.com "
      "--password-env SEI_PW");
  out->push_back({pw, [args](const Globals& g) { return RunSetPassword(g, *args); }});
}

}  // namespace sei::app
