// The `sei identity` command group, `sei teams` and `sei projects`: their
// options, help and examples. What they do is in cmd_identity_change.cc
// (resolve, merge, split, undo) and cmd_identity_views.cc (list, overrides,
// teams, projects).
#include <CLI/CLI.hpp>
#include <memory>

#include "app/cmd_identity.h"
#include "app/commands.h"

namespace sei::app {

namespace {

// Argument storage lives as long as the CLI::App (the whole run).
struct IdentityArgs {
  IdentityResolveArgs resolve;
  IdentityListArgs list;
  IdentityMergeArgs merge;
  IdentitySplitArgs split;
  std::string undo;
  FormatArgs overrides, teams, projects;
};

void AddFormat(CLI::App* cmd, std::string* format) {
  cmd->add_option("--format", *format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
}

CLI::App* AddResolve(CLI::App* identity, IdentityArgs* a) {
  CLI::App* c = identity->add_subcommand(
      "resolve",
      "Merge accounts from every tool into people (same email, .mailmap, GitHub noreply "
      "addresses, same login, same full name; your merges and splits win), then apply the "
      "config's teams and projects. Existing people rows (an HR import, the demo) keep their "
      "ids. Prints people, accounts, links by reason, bots, the accounts matched to no one and "
      "why, and unmatched team members.");
  c->add_flag("--strict", a->resolve.strict,
              "Fail, writing nothing, when a config entry (team member, parent team, project "
              "repo or board) matches nothing or an override cannot apply");
  AddFormat(c, &a->resolve.format);
  c->footer(
      "\nRun it after collecting. Without a config file, teams and projects in the store are "
      "left as they are.\n"
      "Rules and confidences: docs/metrics.md, \"People, teams and scopes\".\n"
      "\nExamples:\n"
      "  sei identity resolve\n"
      "  sei --config sei.yaml identity resolve --strict\n"
      "  sei identity resolve --format json");
  return c;
}

CLI::App* AddList(CLI::App* identity, IdentityArgs* a) {
  CLI::App* c = identity->add_subcommand(
      "list",
      "List people with their accounts, and why each account is that person (reason, "
      "confidence, automatic or manual)");
  c->add_option("--person", a->list.person,
                "Only people with this id or email, whose name contains this text, or holding "
                "this account id, email or login");
  AddFormat(c, &a->list.format);
  c->footer(
      "\nExamples:\n"
      "  sei identity list\n"
      "  sei identity list --person ann@example.com\n"
      "  sei identity list --format json > people.json");
  return c;
}

CLI::App* AddMerge(CLI::App* identity, IdentityArgs* a) {
  CLI::App* c = identity->add_subcommand(
      "merge",
      "Say two accounts are the same person. Kept across re-resolution (as override ov-N) "
      "until undone; re-resolves at once. A split between them must be undone first.");
  c->add_option("ACCOUNT", a->merge.account,
                "An account id, a person id, or an email or login only one account has")
      ->required();
  c->add_option("OTHER", a->merge.other,
                "The account to merge it with (same forms), or the id of an existing person "
                "(one resolution did not make, e.g. a new hire from HR) to make it that person")
      ->required();
  c->add_option("--name", a->merge.name,
                "Display name for the merged person (an existing person keeps its own)");
  c->add_option("--note", a->merge.note, "Why (shown by `sei identity overrides`)");
  c->footer(
      "\nExamples:\n"
      "  sei identity merge ann@home.example ann@example.com --name \"Ann Lee\"\n"
      "  sei identity merge al@home.example hr:person:1234\n"
      "  sei identity merge git:local:account:al@old.example github:1:account:42 \\\n"
      "      --note \"old laptop\"");
  return c;
}

CLI::App* AddSplit(CLI::App* identity, IdentityArgs* a) {
  CLI::App* c = identity->add_subcommand(
      "split",
      "Say an account is not the person it was resolved to. With --from OTHER: the two never "
      "share a person, whatever links them. Without: the account takes no automatic link (a "
      "merge can still move it). Kept until undone; re-resolves at once.");
  c->add_option("ACCOUNT", a->split.account,
                "An account id, or an email or login only one account has")
      ->required();
  c->add_option("--from", a->split.from, "The account it must never share a person with");
  c->add_option("--note", a->split.note, "Why (shown by `sei identity overrides`)");
  c->footer(
      "\nExamples:\n"
      "  sei identity split sam@example.com --from github:1:account:77\n"
      "  sei identity split git:local:account:shared@example.com --note \"team mailbox\"");
  return c;
}

void AddOverridesAndUndo(CLI::App* identity, IdentityArgs* a, CLI::App** overrides,
                         CLI::App** undo) {
  *overrides = identity->add_subcommand(
      "overrides", "List your manual merges and splits, newest last, with their ids");
  AddFormat(*overrides, &a->overrides.format);
  (*overrides)->footer("\nExample:\n  sei identity overrides");
  *undo = identity->add_subcommand(
      "undo",
      "Delete a manual merge or split and re-resolve: the accounts move back, and "
      "metrics follow");
  (*undo)
      ->add_option("OVERRIDE_ID", a->undo,
                   "The override's id (ov-N, from `sei identity "
                   "overrides`)")
      ->required();
  (*undo)->footer("\nExample:\n  sei identity undo ov-3");
}

void AddTeamsAndProjects(CLI::App& root, IdentityArgs* a, CLI::App** teams, CLI::App** projects) {
  *teams = root.add_subcommand(
      "teams",
      "List teams and their members with membership dates (from the config, via "
      "`sei identity resolve`, and from other sources)");
  (*teams)->add_option("--team", a->teams.filter, "Only the team with this id or name");
  AddFormat(*teams, &a->teams.format);
  (*teams)->footer(
      "\nA member's work counts for a team from the day they joined to the day they left.\n"
      "\nExamples:\n  sei teams\n  sei teams --team Platform --format json");
  *projects = root.add_subcommand(
      "projects",
      "List projects and what they group: repos, boards, services, environments "
      "and CI scopes");
  (*projects)->add_option("--project", a->projects.filter, "Only the project with this id or name");
  AddFormat(*projects, &a->projects.format);
  (*projects)->footer("\nExamples:\n  sei projects\n  sei projects --format json");
}

}  // namespace

void AddIdentityCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<IdentityArgs>();
  CLI::App* identity = root.add_subcommand(
      "identity",
      "People: merge accounts from every tool into people; inspect, merge, split, "
      "undo");
  identity->require_subcommand(1);
  identity->footer(
      "\nExamples:\n"
      "  sei identity resolve                      after collecting: accounts -> people\n"
      "  sei identity list --person ann            who is Ann, and why\n"
      "  sei identity merge ann@home.example ann@example.com\n"
      "  sei identity undo ov-1");
  CLI::App* resolve = AddResolve(identity, args.get());
  CLI::App* list = AddList(identity, args.get());
  CLI::App* merge = AddMerge(identity, args.get());
  CLI::App* split = AddSplit(identity, args.get());
  CLI::App *overrides = nullptr, *undo = nullptr, *teams = nullptr, *projects = nullptr;
  AddOverridesAndUndo(identity, args.get(), &overrides, &undo);
  AddTeamsAndProjects(root, args.get(), &teams, &projects);
  out->push_back(
      {resolve, [args](const Globals& g) { return RunIdentityResolve(g, args->resolve); }});
  out->push_back({list, [args](const Globals& g) { return RunIdentityList(g, args->list); }});
  out->push_back({merge, [args](const Globals& g) { return RunIdentityMerge(g, args->merge); }});
  out->push_back({split, [args](const Globals& g) { return RunIdentitySplit(g, args->split); }});
  out->push_back(
      {overrides, [args](const Globals& g) { return RunIdentityOverrides(g, args->overrides); }});
  out->push_back({undo, [args](const Globals& g) { return RunIdentityUndo(g, args->undo); }});
  out->push_back({teams, [args](const Globals& g) { return RunTeams(g, args->teams); }});
  out->push_back({projects, [args](const Globals& g) { return RunProjects(g, args->projects); }});
}

}  // namespace sei::app
