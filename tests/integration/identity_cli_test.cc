// End to end through the real binary and store: collect a repository whose
// history has one person under two emails (joined by its .mailmap), a
// GitHub noreply address, and a bot; resolve identities with a config's
// teams and projects; merge, inspect, undo.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::TempDir;

class IdentityCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string repo = dir_.Sub("repo");
    ASSERT_TRUE(testing::RunGit(dir_.path(), {"init", "-q", "-b", "main", repo}).ok());
    ASSERT_TRUE(
        testing::WriteFile(repo + "/.mailmap", "Ann Lee <ann@example.com> <ann@old.example>\n"));
    ASSERT_TRUE(testing::RunGit(repo, {"add", ".mailmap"}).ok());
    Commit("Ann Lee", "ann@example.com", "2024-01-02T10:00:00Z");
    Commit("ann", "ann@old.example", "2024-01-03T10:00:00Z");
    // A one-word name: the same-name rule would join two "Bob Roe"s (a
    // noreply address is no evidence of a second Bob); this one needs a merge.
    Commit("bobr", "1234+bobr@users.noreply.github.com", "2024-01-04T10:00:00Z");
    Commit("Bob Roe", "bob@example.com", "2024-01-05T10:00:00Z");
    Commit("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com",
           "2024-01-06T10:00:00Z");
    ASSERT_TRUE(testing::WriteFile(dir_.Sub("sei.yaml"),
                                   "db: sei.db\n"
                                   "sources:\n"
                                   "  git:\n"
                                   "    - path: repo\n"
                                   "teams:\n"
                                   "  - name: Platform\n"
                                   "    members:\n"
                                   "      - ann@old.example\n"
                                   "      - {who: bob@example.com, joined: 2024-01-01, left: "
                                   "2024-06-30, role: lead}\n"
                                   "      - carol@example.com\n"
                                   "projects:\n"
                                   "  - name: Checkout\n"
                                   "    repos: [repo]\n"
                                   "    services: [checkout-api]\n"));
    ASSERT_EQ(Sei({"collect", "git"}).exit_code, 0);
  }

  void Commit(const std::string& name, const std::string& email, const std::string& date) {
    const std::vector<std::string> env = {
        "GIT_AUTHOR_NAME=" + name,      "GIT_AUTHOR_EMAIL=" + email, "GIT_COMMITTER_NAME=" + name,
        "GIT_COMMITTER_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,   "GIT_COMMITTER_DATE=" + date};
    ASSERT_TRUE(
        testing::RunGit(dir_.Sub("repo"), {"commit", "-q", "--allow-empty", "-m", date}, "", env)
            .ok());
  }

  CommandResult Sei(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--config",
                                     dir_.Sub("sei.yaml"), "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunCommand(argv, dir_.path());
  }
  json Json(std::vector<std::string> args) {
    CommandResult r = Sei(std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  // person id -> account ids, from `sei identity list --format json`.
  std::map<std::string, std::vector<std::string>> People() {
    std::map<std::string, std::vector<std::string>> out;
    for (const json& p : Json({"identity", "list", "--format", "json"})) {
      for (const json& a : p.at("accounts")) {
        out[p.at("id").get<std::string>()].push_back(a.at("id").get<std::string>());
      }
    }
    return out;
  }

  TempDir dir_;
};

TEST_F(IdentityCliTest, ResolveMergeUndoThroughTheStore) {
  const json summary = Json({"identity", "resolve", "--format", "json"});
  EXPECT_EQ(summary.at("accounts"), 5);
  EXPECT_EQ(summary.at("people"), 4);  // Ann (2 emails), Bob twice, dependabot
  EXPECT_EQ(summary.at("bots"), 1);
  EXPECT_EQ(summary.at("mailmaps"), 1);
  EXPECT_EQ(summary.at("links_by_reason").at("mailmap"), 1);
  const json& config = summary.at("config");
  EXPECT_EQ(config.at("teams"), 1);
  EXPECT_EQ(config.at("memberships"), 2);
  ASSERT_EQ(config.at("unmatched").size(), 1u);
  EXPECT_EQ(config.at("unmatched")[0].at("text"), "carol@example.com");
  auto people = People();
  EXPECT_EQ(people.at("person:ann@example.com").size(), 2u);

  const std::string noreply = "git:local:account:1234+bobr@users.noreply.github.com";
  CommandResult merge = Sei({"identity", "merge", "1234+bobr@users.noreply.github.com",
                             "bob@example.com", "--name", "Bob R.", "--note", "one Bob"});
  ASSERT_EQ(merge.exit_code, 0) << merge.err;
  EXPECT_NE(merge.out.find("override ov-1"), std::string::npos) << merge.out;
  people = People();
  EXPECT_EQ(people.size(), 3u);
  EXPECT_EQ(people.at("person:bob@example.com").size(), 2u);
  const json bob = Json({"identity", "list", "--person", "Bob", "--format", "json"});
  ASSERT_EQ(bob.size(), 1u);
  EXPECT_EQ(bob[0].at("display_name"), "Bob R.");
  const json overrides = Json({"identity", "overrides", "--format", "json"});
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0].at("note"), "one Bob");

  const json teams = Json({"teams", "--format", "json"});
  ASSERT_EQ(teams.size(), 1u);
  const json& members = teams[0].at("members");
  ASSERT_EQ(members.size(), 2u);
  for (const json& m : members) {
    if (m.at("person_id") == "person:bob@example.com") {
      EXPECT_EQ(m.at("joined_at"), 1704067200);  // 2024-01-01
      EXPECT_EQ(m.at("left_at"), 1719792000);    // the end of 2024-06-30
      EXPECT_EQ(m.at("role"), "lead");
    } else {
      EXPECT_EQ(m.at("person_id"), "person:ann@example.com");  // named by her old email
    }
  }
  const json projects = Json({"projects", "--format", "json"});
  ASSERT_EQ(projects.size(), 1u);
  EXPECT_EQ(projects[0].at("scopes").at("service")[0], "checkout-api");

  CommandResult undo = Sei({"identity", "undo", "ov-1"});
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  people = People();
  EXPECT_EQ(people.size(), 4u);
  EXPECT_EQ(people.at("person:1234+bobr@users.noreply.github.com"),
            std::vector<std::string>{noreply});
  EXPECT_TRUE(Json({"identity", "overrides", "--format", "json"}).empty());

  CommandResult missing = Sei({"identity", "undo", "ov-9"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("sei: error: no identity override 'ov-9'"), std::string::npos)
      << missing.err;
  CommandResult strict = Sei({"identity", "resolve", "--strict"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("'carol@example.com' in team Platform"), std::string::npos)
      << strict.err;
}

TEST_F(IdentityCliTest, EveryCommandHasHelpWithExamples) {
  for (std::vector<std::string> args : {std::vector<std::string>{"identity"},
                                        {"identity", "resolve"},
                                        {"identity", "list"},
                                        {"identity", "merge"},
                                        {"identity", "split"},
                                        {"identity", "overrides"},
                                        {"identity", "undo"},
                                        {"teams"},
                                        {"projects"}}) {
    args.push_back("--help");
    CommandResult r = Sei(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Example"), std::string::npos) << args[args.size() - 2] << r.out;
  }
}

}  // namespace
}  // namespace sei
