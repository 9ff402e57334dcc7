// The write side of `sei serve`, through the real binary on port 0 against a
// real SQLite store made from a real git repository: teams, projects,
// identity merges, connections with write-only secrets, collection
// triggers, per-connection webhooks. Each write is checked for its effect
// (through the read routes or the CLI), for its audit row, and for being
// refused whole (nothing written) when the caller's role or the body is
// wrong. `sei connect` has its own test
// (connect_cli_test.cc).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "model/access.h"
#include "model/delivery.h"
#include "model/meta.h"
#include "model/org.h"
#include "model/review.h"
#include "net/webhook_signature.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/repo_builder.h"
#include "testing/sei_server.h"
#include "testing/test_util.h"

namespace sei {
namespace {

using nlohmann::json;
using testing::HttpReply;
using testing::SeiServer;

const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};
// base64 of 32 bytes: the server's and the CLI's secret key.
const std::string kKeyEnv = "SEI_SECRET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

// A repository at `dir` with `n` commits, alternately by Ann and Bob.
void MakeRepo(const std::string& dir, int n) {
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(testing::RunGit(dir, {"init", "-q", "-b", "main"}).ok());
  for (int i = 0; i < n; ++i) {
    const bool ann = i % 2 == 0;
    ASSERT_TRUE(testing::WriteFile(dir + "/f" + std::to_string(i) + ".txt",
                                   "line " + std::to_string(i) + "\n"));
    ASSERT_TRUE(testing::RunGit(dir, {"add", "."}).ok());
    const std::string who = ann ? "Ann Lee" : "Bob Stone";
    const std::string email = ann ? "ann@example.com" : "bob@example.com";
    const std::string date = "2026-0" + std::to_string(1 + i % 9) + "-10T10:00:00Z";
    auto c = testing::RunGit(
        dir, {"commit", "-q", "-m", "change " + std::to_string(i)}, "",
        {"GIT_AUTHOR_NAME=" + who, "GIT_AUTHOR_EMAIL=" + email, "GIT_COMMITTER_NAME=" + who,
         "GIT_COMMITTER_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
}

class ServeWriteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    MakeRepo(dir_->Sub("repo-a"), 4);
    ASSERT_EQ(Sei({"collect", "git", dir_->Sub("repo-a"), "--name", "alpha"}).exit_code, 0);
    ASSERT_EQ(Sei({"identity", "resolve"}).exit_code, 0);
    server_ =
        new SeiServer(dir_->Sub("sei.db"), {"--poll", "0.2", "--token-cache", "0"}, {kKeyEnv});
    ASSERT_TRUE(server_->started()) << server_->startup_output();
    for (const char* role : {"admin", "manager", "member", "viewer"}) {
      tokens_[role] = Token(role);
    }
    server_->set_token(tokens_["admin"]);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static std::string Token(const std::string& role) {
    auto t = Sei({"token", "create", "--role", role, "--name", "write-test-" + role});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    std::string tok = t.out;
    while (!tok.empty() && (tok.back() == '\n' || tok.back() == '\r')) tok.pop_back();
    return tok;
  }
  static testing::CommandResult Sei(std::vector<std::string> args,
                                    std::vector<std::string> env = {}) {
    std::vector<std::string> argv = {testing::BinaryDir() + "/bin/sei", "--db", dir_->Sub("sei.db"),
                                     "--progress", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    env.push_back(kKeyEnv);
    return testing::RunCommand(argv, dir_->path(), env);
  }
  static json Json(const HttpReply& r) { return json::parse(r.body, nullptr, false); }
  static std::unique_ptr<sqlite::SqliteStore> Store() {
    auto s = sqlite::SqliteStore::Open(dir_->Sub("sei.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  static std::vector<model::AuditEntry> Audit() { return *Store()->List<model::AuditEntry>(); }
  static HttpReply As(const std::string& role, const std::string& method, const std::string& target,
                      const std::string& body = "") {
    std::map<std::string, std::string> h = kJson;
    h["Authorization"] = "Bearer " + tokens_[role];
    return server_->Send(method, target, body, h);
  }
  static HttpReply Admin(const std::string& method, const std::string& target,
                         const std::string& body = "") {
    return As("admin", method, target, body);
  }
  // Waits for the metrics to reload until `pred` holds for GET `target`.
  template <class Pred>
  static json Eventually(const std::string& target, Pred pred) {
    json j;
    for (int i = 0; i < 100; ++i) {
      j = Json(server_->Get(target));
      if (pred(j)) return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return j;
  }
  static std::set<std::string> Fields(const HttpReply& r) {
    std::set<std::string> out;
    const json j = Json(r);
    for (const auto& d : j["error"]["details"]) out.insert(d["field"].get<std::string>());
    return out;
  }
  // The id of the person whose name is `name`.
  static std::string PersonId(const std::string& name) {
    const json people = Json(server_->Get("/api/v1/people"));
    for (const auto& p : people["people"]) {
      if (p["name"] == name) return p["id"].get<std::string>();
    }
    return "";
  }
  static const json* Find(const json& items, const std::string& id) {
    for (const auto& x : items) {
      if (x["id"] == id) return &x;
    }
    return nullptr;
  }

  static testing::TempDir* dir_;
  static SeiServer* server_;
  static std::map<std::string, std::string> tokens_;
};
testing::TempDir* ServeWriteTest::dir_ = nullptr;
SeiServer* ServeWriteTest::server_ = nullptr;
std::map<std::string, std::string> ServeWriteTest::tokens_;

TEST_F(ServeWriteTest, TeamsAreCreatedChangedStaffedAndDeletedWithAudit) {
  const size_t audit_before = Audit().size();
  HttpReply made = Admin("POST", "/api/v1/teams", R"({"name": "Platform Core"})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Json(made)["id"], "api:team:platform-core");
  HttpReply child = Admin(
      "POST", "/api/v1/teams",
      R"({"name": "Storage", "id": "storage", "parent": "Platform Core", "description": "db"})");
  ASSERT_EQ(child.status, 201) << child.body;
  EXPECT_EQ(Json(child)["parent_id"], "api:team:platform-core");
  EXPECT_EQ(Admin("POST", "/api/v1/teams", R"({"name": "Storage", "id": "storage"})").status, 409);
  // A parent cycle is refused.
  HttpReply cycle =
      Admin("PATCH", "/api/v1/teams/api:team:platform-core", R"({"parent": "api:team:storage"})");
  EXPECT_EQ(cycle.status, 400) << cycle.body;
  EXPECT_EQ(Fields(cycle), std::set<std::string>{"parent"});
  HttpReply renamed = Admin("PATCH", "/api/v1/teams/api:team:storage",
                            R"({"name": "Storage Team", "description": null})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_TRUE(Json(renamed)["description"].is_null());

  const std::string ann = PersonId("Ann Lee");
  ASSERT_FALSE(ann.empty());
  HttpReply joined =
      Admin("POST", "/api/v1/teams/api:team:storage/members",
            R"({"person": ")" + ann + R"(", "role": "lead", "joined_at": "2026-01-01T00:00:00Z"})");
  ASSERT_EQ(joined.status, 201) << joined.body;
  EXPECT_EQ(
      Admin("POST", "/api/v1/teams/api:team:storage/members", R"({"person": ")" + ann + R"("})")
          .status,
      409);  // already a member
  HttpReply left = Admin("POST", "/api/v1/teams/api:team:storage/members/" + ann + "/end",
                         R"({"left_at": "2026-03-01T00:00:00Z"})");
  ASSERT_EQ(left.status, 200) << left.body;
  ASSERT_EQ(Json(left)["members"].size(), 1u);  // history kept
  EXPECT_EQ(Json(left)["members"][0]["left_at"], "2026-03-01T00:00:00Z");

  // The read routes show it once the metrics reloaded.
  json teams = Eventually("/api/v1/teams", [](const json& j) {
    const json* t = Find(j["teams"], "api:team:storage");
    // A reload between the join and its end shows the open membership first.
    return t != nullptr && (*t)["name"] == "Storage Team" && !(*t)["members"].empty() &&
           !(*t)["members"][0]["left_at"].is_null();
  });
  const json* t = Find(teams["teams"], "api:team:storage");
  ASSERT_NE(t, nullptr) << teams.dump();
  EXPECT_EQ((*t)["members"][0]["left_at"], "2026-03-01T00:00:00Z");
  EXPECT_EQ((*t)["members"][0]["current"], false);
  EXPECT_EQ((*t)["parent_id"], "api:team:platform-core");

  EXPECT_EQ(Admin("DELETE", "/api/v1/teams/api:team:platform-core").status, 409);  // has a child
  EXPECT_EQ(Admin("DELETE", "/api/v1/teams/api:team:storage").status, 204);
  EXPECT_EQ(Admin("DELETE", "/api/v1/teams/api:team:platform-core").status, 204);
  EXPECT_EQ(Admin("DELETE", "/api/v1/teams/api:team:storage").status, 404);

  std::vector<std::string> actions;
  const auto audit = Audit();
  for (size_t i = audit_before; i < audit.size(); ++i) {
    actions.push_back(audit[i].action);
    EXPECT_EQ(audit[i].actor.rfind("token:", 0), 0u) << audit[i].actor;
    EXPECT_EQ(audit[i].remote_addr.value_or(""), "127.0.0.1");
    EXPECT_EQ(audit[i].outcome, "ok");
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"team.create", "team.create", "team.update",
                                               "team.member.add", "team.member.end", "team.delete",
                                               "team.delete"}));
  EXPECT_EQ(audit[audit_before].target, "team:api:team:platform-core");
}

TEST_F(ServeWriteTest, ProjectsGroupReposAndServices) {
  HttpReply made = Admin("POST", "/api/v1/projects",
                         R"({"name": "Checkout", "repos": ["alpha"], "services": ["api"],
                             "environments": ["production"]})");
  ASSERT_EQ(made.status, 201) << made.body;
  const json p = Json(made);
  EXPECT_EQ(p["id"], "api:project:checkout");
  ASSERT_EQ(p["repos"].size(), 1u);
  EXPECT_EQ(p["repos"][0].get<std::string>().rfind("git:local:repo:", 0), 0u);
  json projects = Eventually("/api/v1/projects", [](const json& j) {
    return Find(j["projects"], "api:project:checkout") != nullptr;
  });
  const json* shown = Find(projects["projects"], "api:project:checkout");
  ASSERT_NE(shown, nullptr) << projects.dump();
  EXPECT_EQ((*shown)["repos"][0]["name"], "alpha");
  EXPECT_EQ((*shown)["services"], json::array({"api"}));

  HttpReply scopes =
      Admin("PUT", "/api/v1/projects/api:project:checkout/scopes", R"({"ci_scopes": ["ci-1"]})");
  ASSERT_EQ(scopes.status, 200) << scopes.body;
  EXPECT_TRUE(Json(scopes)["repos"].empty());
  EXPECT_EQ(Json(scopes)["ci_scopes"], json::array({"ci-1"}));
  HttpReply bad = Admin("PUT", "/api/v1/projects/api:project:checkout/scopes",
                        R"({"repos": ["nope", 7], "boards": "x"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Fields(bad), (std::set<std::string>{"repos[0]", "repos[1]", "boards"}));
  EXPECT_EQ(Admin("PATCH", "/api/v1/projects/api:project:checkout", R"({"name": "Pay"})").status,
            200);
  EXPECT_EQ(Admin("DELETE", "/api/v1/projects/api:project:checkout").status, 204);
  EXPECT_EQ(Admin("DELETE", "/api/v1/projects/api:project:checkout").status, 404);
  const auto audit = Audit();
  std::set<std::string> actions;
  for (const auto& e : audit) actions.insert(e.action);
  for (const char* a : {"project.create", "project.scopes", "project.update", "project.delete"}) {
    EXPECT_EQ(actions.count(a), 1u) << a;
  }
}

TEST_F(ServeWriteTest, OtherRolesAreRefusedAndNothingIsWritten) {
  const size_t audit_before = Audit().size();
  const size_t teams_before = Store()->List<model::Team>()->size();
  const std::vector<std::tuple<std::string, std::string, std::string>> writes = {
      {"POST", "/api/v1/teams", R"({"name": "Sneaky"})"},
      {"POST", "/api/v1/projects", R"({"name": "Sneaky"})"},
      {"POST", "/api/v1/identity/merges", R"({"account": "a", "other": "b"})"},
      {"GET", "/api/v1/identity/overrides", ""},
      {"POST", "/api/v1/connections", R"({"source": "github", "name": "x", "token": "t"})"},
      {"GET", "/api/v1/connections", ""},
  };
  for (const char* role : {"manager", "member", "viewer"}) {
    for (const auto& [method, target, body] : writes) {
      HttpReply r = As(role, method, target, body);
      EXPECT_EQ(r.status, 403) << role << " " << method << " " << target << ": " << r.body;
    }
    // Collection triggers: admins and managers; managers not of new paths.
    HttpReply collect = As(role, "POST", "/api/v1/connections/git:local/collect",
                           R"({"repos": ["/tmp/somewhere-new"]})");
    EXPECT_EQ(collect.status, 403) << role << ": " << collect.body;
  }
  EXPECT_EQ(Store()->List<model::Team>()->size(), teams_before);
  EXPECT_TRUE(Store()->List<model::Connection>()->empty() ||
              Find(Json(Admin("GET", "/api/v1/connections"))["connections"], "github:x") ==
                  nullptr);
  EXPECT_EQ(Audit().size(), audit_before);
  // Without a token: 401.
  EXPECT_EQ(server_->Send("POST", "/api/v1/teams", "{}", {{"Authorization", ""}}).status, 401);
}

TEST_F(ServeWriteTest, BadBodiesListEveryFieldAndWriteNothing) {
  const size_t audit_before = Audit().size();
  HttpReply r = Admin("POST", "/api/v1/teams",
                      R"({"name": 5, "id": "Bad Id", "parent": "nobody", "colour": "red"})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Fields(r), (std::set<std::string>{"name", "id", "parent", "colour"}));
  EXPECT_NE(Json(r)["error"]["message"].get<std::string>().find("nothing was written"),
            std::string::npos);
  EXPECT_EQ(Admin("POST", "/api/v1/teams", "{not json").status, 400);
  EXPECT_EQ(Admin("POST", "/api/v1/teams", "[1]").status, 400);
  EXPECT_EQ(server_->Send("POST", "/api/v1/teams", R"({"name": "x"})", {}).status, 415);
  HttpReply long_name =
      Admin("POST", "/api/v1/projects", R"({"name": ")" + std::string(300, 'n') + R"("})");
  EXPECT_EQ(Fields(long_name), std::set<std::string>{"name"});
  HttpReply conn = Admin("POST", "/api/v1/connections",
                         R"({"source": "gitbucket", "name": "Bad Name", "token": "",
                             "base_url": "ftp://x", "extra": 1})");
  ASSERT_EQ(conn.status, 400) << conn.body;
  EXPECT_EQ(Fields(conn), (std::set<std::string>{"source", "name", "token", "base_url", "extra"}));
  HttpReply merge = Admin("POST", "/api/v1/identity/merges", R"({"account": "nobody@nowhere"})");
  ASSERT_EQ(merge.status, 400) << merge.body;
  EXPECT_EQ(Fields(merge), (std::set<std::string>{"account", "other"}));
  HttpReply member = Admin("POST", "/api/v1/teams", R"({"name": "Keep"})");
  ASSERT_EQ(member.status, 201);
  HttpReply bad_member = Admin("POST", "/api/v1/teams/api:team:keep/members",
                               R"({"person": "nobody", "joined_at": "yesterday"})");
  EXPECT_EQ(Fields(bad_member), (std::set<std::string>{"person", "joined_at"}));
  EXPECT_EQ(Admin("DELETE", "/api/v1/teams/api:team:keep").status, 204);
  // Only the team made and deleted here was audited.
  EXPECT_EQ(Audit().size(), audit_before + 2);
}

TEST_F(ServeWriteTest, UsersAreAddedChangedAndSignInWithTheirRole) {
  const std::string ann = PersonId("Ann Lee");
  ASSERT_FALSE(ann.empty());
  const std::string password = "correct horse battery";
  HttpReply added = Admin("POST", "/api/v1/users",
                          json({{"email", " Carol@Example.com"},
                                {"name", "Carol"},
                                {"role", "manager"},
                                {"person_id", ann},
                                {"password", password}})
                              .dump());
  ASSERT_EQ(added.status, 201) << added.body;
  const json u = Json(added);
  const std::string id = u["id"].get<std::string>();
  EXPECT_EQ(u["email"], "carol@example.com");
  EXPECT_EQ(u["role"], "manager");
  EXPECT_EQ(u["person_id"], ann);
  EXPECT_EQ(u["password_set"], true);
  EXPECT_EQ(added.body.find(password), std::string::npos);
  EXPECT_EQ(added.body.find("argon2"), std::string::npos);
  const json users = Json(Admin("GET", "/api/v1/users"));
  const json* listed = Find(users["users"], id);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ((*listed)["password_set"], true);

  auto login = [&] {
    return server_->Send("POST", "/api/v1/login",
                         json({{"email", "carol@example.com"}, {"password", password}}).dump(),
                         kJson);
  };
  HttpReply session = login();
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(Json(session)["role"], "manager");
  const std::map<std::string, std::string> as_carol = {
      {"Authorization", "Bearer " + Json(session)["token"].get<std::string>()}};
  EXPECT_EQ(server_->Send("GET", "/api/v1/users", "", as_carol).status, 403);  // not an admin

  // Taken email, bad bodies, other roles, unknown ids: refused, nothing written.
  const size_t audit_before = Audit().size();
  EXPECT_EQ(Admin("POST", "/api/v1/users",
                  R"({"email": "carol@example.com", "name": "C", "role": "viewer"})")
                .status,
            409);
  HttpReply bad = Admin("POST", "/api/v1/users", R"({"email": 5, "role": "king", "extra": 1})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Fields(bad), (std::set<std::string>{"email", "name", "role", "extra"}));
  HttpReply short_pw = Admin("POST", "/api/v1/users",
                             R"({"email": "d@example.com", "name": "D", "role": "viewer",
                                 "password": "short", "team_id": "nope"})");
  ASSERT_EQ(short_pw.status, 400) << short_pw.body;
  EXPECT_NE(short_pw.body.find("at least 10 characters"), std::string::npos);
  EXPECT_NE(short_pw.body.find("no team 'nope'"), std::string::npos);
  EXPECT_EQ(Admin("PATCH", "/api/v1/users/" + id, R"({"disabled": "yes"})").status, 400);
  EXPECT_EQ(Admin("PATCH", "/api/v1/users/u-none", R"({"name": "x"})").status, 404);
  EXPECT_EQ(As("manager", "POST", "/api/v1/users",
               R"({"email": "e@example.com", "name": "E", "role": "admin"})")
                .status,
            403);
  EXPECT_EQ(As("member", "PATCH", "/api/v1/users/" + id, R"({"role": "admin"})").status, 403);
  EXPECT_EQ(Audit().size(), audit_before);

  // Lowered and cleared: the session acts with the lesser role at once.
  HttpReply changed =
      Admin("PATCH", "/api/v1/users/" + id, R"({"role": "viewer", "person_id": null})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Json(changed)["role"], "viewer");
  EXPECT_TRUE(Json(changed)["person_id"].is_null());
  EXPECT_EQ(Json(changed)["name"], "Carol");
  EXPECT_EQ(server_
                ->Send("POST", "/api/v1/teams", R"({"name": "Carols"})",
                       {{"Authorization", as_carol.at("Authorization")},
                        {"Content-Type", "application/json"}})
                .status,
            403);

  // Disabled: the session and sign-in stop; enabled again with a new password.
  ASSERT_EQ(Admin("PATCH", "/api/v1/users/" + id, R"({"disabled": true})").status, 200);
  EXPECT_EQ(server_->Send("GET", "/api/v1/org", "", as_carol).status, 401);
  EXPECT_EQ(login().status, 401);
  HttpReply enabled = Admin("PATCH", "/api/v1/users/" + id,
                            json({{"disabled", false}, {"password", password + "!"}}).dump());
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_TRUE(Json(enabled)["disabled_at"].is_null());
  EXPECT_EQ(login().status, 401);  // the old password no longer works
  EXPECT_EQ(
      server_
          ->Send("POST", "/api/v1/login",
                 json({{"email", "carol@example.com"}, {"password", password + "!"}}).dump(), kJson)
          .status,
      200);

  // Audited, never with the password.
  std::vector<std::string> actions;
  for (const auto& e : Audit()) {
    if (e.target != "user:" + id) continue;
    actions.push_back(e.action);
    EXPECT_EQ(e.detail.value_or("").find(password), std::string::npos);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"user.add", "user.update", "user.update", "user.update"}));
}

TEST_F(ServeWriteTest, UnknownIdsAre404) {
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"PATCH", "/api/v1/teams/api:team:none"},
           {"DELETE", "/api/v1/teams/api:team:none"},
           {"POST", "/api/v1/teams/api:team:none/members"},
           {"POST", "/api/v1/teams/api:team:none/members/p-1/end"},
           {"PATCH", "/api/v1/projects/api:project:none"},
           {"PUT", "/api/v1/projects/api:project:none/scopes"},
           {"DELETE", "/api/v1/projects/api:project:none"},
           {"DELETE", "/api/v1/identity/overrides/ov-999"},
           {"GET", "/api/v1/connections/github:none"},
           {"PATCH", "/api/v1/connections/github:none"},
           {"DELETE", "/api/v1/connections/github:none"},
           {"POST", "/api/v1/connections/github:none/collect"},
           {"GET", "/api/v1/collection-runs/999999"},
           {"GET", "/api/v1/collection-runs/abc"}}) {
    HttpReply r = Admin(method, target, method == "DELETE" || method == "GET" ? "" : "{}");
    EXPECT_EQ(r.status, 404) << method << " " << target << ": " << r.body;
  }
}

TEST_F(ServeWriteTest, ConfigTeamsBelongToTheConfig) {
  ASSERT_TRUE(Store()->Upsert(std::vector<model::Team>{{"config:team:ops", "Ops", {}, {}}}).ok());
  HttpReply r = Admin("PATCH", "/api/v1/teams/config:team:ops", R"({"name": "Hijacked"})");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("config file"), std::string::npos);
  EXPECT_EQ(Admin("DELETE", "/api/v1/teams/config:team:ops").status, 409);
  EXPECT_EQ(Store()->List<model::Team>()->size() > 0, true);
}

TEST_F(ServeWriteTest, IdentityMergeSplitAndUndoActLikeTheCommandLine) {
  const size_t people_before = Json(server_->Get("/api/v1/people"))["people"].size();
  HttpReply merged = Admin("POST", "/api/v1/identity/merges",
                           R"({"account": "ann@example.com", "other": "bob@example.com",
                               "name": "Ann and Bob"})");
  ASSERT_EQ(merged.status, 201) << merged.body;
  const std::string ov = Json(merged)["override"]["id"].get<std::string>();
  json after = Eventually("/api/v1/people",
                          [&](const json& j) { return j["people"].size() + 1 == people_before; });
  EXPECT_EQ(after["people"].size() + 1, people_before);
  auto cli = Sei({"identity", "overrides", "--format", "json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find(ov), std::string::npos) << cli.out;
  json listed = Json(Admin("GET", "/api/v1/identity/overrides"));
  ASSERT_EQ(listed["overrides"].size(), 1u);
  EXPECT_EQ(listed["overrides"][0]["created_by"].get<std::string>().rfind("token:", 0), 0u);
  HttpReply undone = Admin("DELETE", "/api/v1/identity/overrides/" + ov);
  ASSERT_EQ(undone.status, 200) << undone.body;
  Eventually("/api/v1/people", [&](const json& j) { return j["people"].size() == people_before; });
  HttpReply split = Admin("POST", "/api/v1/identity/splits", R"({"account": "ann@example.com"})");
  ASSERT_EQ(split.status, 201) << split.body;
  const std::string ov2 = Json(split)["override"]["id"].get<std::string>();
  ASSERT_EQ(Admin("DELETE", "/api/v1/identity/overrides/" + ov2).status, 200);
  std::vector<std::string> actions;
  for (const auto& e : Audit()) {
    if (e.action.rfind("identity.", 0) == 0) actions.push_back(e.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"identity.merge", "identity.undo", "identity.split",
                                               "identity.undo"}));
}

TEST_F(ServeWriteTest, ConnectionSecretsAreWriteOnly) {
  const std::string token = "ghp_writeonlytoken_0123456789";
  const std::string hook = "hook-secret-never-shown-42";
  HttpReply made =
      Admin("POST", "/api/v1/connections",
            R"({"source": "github", "name": "acme", "base_url": "https://ghe.example.com",
                             "token": ")" +
                token + R"(", "webhook_secret": ")" + hook + R"("})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Json(made)["id"], "github:acme");
  EXPECT_TRUE(Json(made)["secrets"]["token"]["set"].get<bool>());
  HttpReply again = Admin("POST", "/api/v1/connections", R"({"source": "github", "name": "acme"})");
  EXPECT_EQ(again.status, 200);  // idempotent by source and name
  EXPECT_TRUE(Json(again)["secrets"]["webhook_secret"]["set"].get<bool>());
  HttpReply cleared =
      Admin("PATCH", "/api/v1/connections/github:acme", R"({"token": null, "base_url": null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_FALSE(Json(cleared)["secrets"]["token"]["set"].get<bool>());
  EXPECT_TRUE(Json(cleared)["base_url"].is_null());
  for (const HttpReply& r : {made, again, cleared, Admin("GET", "/api/v1/connections"),
                             Admin("GET", "/api/v1/connections/github:acme")}) {
    EXPECT_EQ(r.body.find(token), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find(hook), std::string::npos) << r.body;
  }
  auto cli = Sei({"connections", "list", "--format", "json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("github:acme"), std::string::npos);
  EXPECT_EQ(cli.out.find(hook), std::string::npos);
  // Not in the database file in clear, nor in any audit row.
  const std::string db =
      testing::ReadFile(dir_->Sub("sei.db")) + testing::ReadFile(dir_->Sub("sei.db-wal"));
  EXPECT_EQ(db.find(token), std::string::npos);
  EXPECT_EQ(db.find(hook), std::string::npos);
  for (const auto& e : Audit()) {
    EXPECT_EQ(e.detail.value_or("").find(hook), std::string::npos);
  }
  // A per-connection webhook with that connection's secret.
  const std::string body = R"({"zen": "Design for failure.", "hook_id": 2})";
  auto github = [&](const std::string& target, const std::string& secret, const std::string& id) {
    return server_->Send("POST", target, body,
                         {{"Content-Type", "application/json"},
                          {"X-Hub-Signature-256", "sha256=" + net::HmacSha256Hex(secret, body)},
                          {"X-GitHub-Delivery", id},
                          {"X-GitHub-Event", "ping"}});
  };
  HttpReply ok = github("/webhooks/github/acme", hook, "acme-1");
  ASSERT_EQ(ok.status, 202) << ok.body;
  EXPECT_EQ(github("/webhooks/github/acme", "wrong", "acme-2").status, 401);
  EXPECT_EQ(github("/webhooks/github/other", hook, "acme-3").status, 401);  // no secret
  EXPECT_EQ(github("/webhooks/github", hook, "acme-4").status, 401);        // no source-wide secret
  ScanOptions where;
  where.where = {{"id", Json(ok)["raw_id"].get<int64_t>()}};
  auto raw = Store()->List<model::RawPayload>(where);
  ASSERT_EQ(raw->size(), 1u);
  EXPECT_EQ((*raw)[0].connection_id, "github:acme");  // namespaced under the connection
  EXPECT_EQ(Admin("DELETE", "/api/v1/connections/github:acme").status, 204);
  EXPECT_EQ(github("/webhooks/github/acme", hook, "acme-5").status, 401);
  std::set<std::string> actions;
  for (const auto& e : Audit()) actions.insert(e.action);
  for (const char* a : {"connection.create", "connection.update", "connection.delete"}) {
    EXPECT_EQ(actions.count(a), 1u) << a;
  }
}

TEST_F(ServeWriteTest, GithubWebhooksAreConvertedLikeASync) {
  auto made = Sei({"connect", "github", "--name", "hooked", "--webhook-secret-env", "HOOK"},
                  {"HOOK=gh-hook-secret"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string dir = testing::SharedFixturesDir() + "/payloads/github_webhooks/";
  if (testing::SharedFixturesDir().empty()) GTEST_SKIP() << "no ../shared/fixtures";
  int n = 0;
  auto deliver = [&](const std::string& file, const std::string& event, const std::string& sig) {
    const std::string body = testing::ReadFile(dir + file);
    return server_->Send(
        "POST", "/webhooks/github/hooked", body,
        {{"Content-Type", "application/json"},
         {"X-Hub-Signature-256",
          sig.empty() ? "sha256=" + net::HmacSha256Hex("gh-hook-secret", body) : sig},
         {"X-GitHub-Delivery", "hooked-" + std::to_string(++n)},
         {"X-GitHub-Event", event}});
  };
  // Every webhook fixture: signed ones are accepted (converted, or said not handled);
  // unsigned and forged ones are refused.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.find(".headers.") != std::string::npos || entry.path().extension() != ".json")
      continue;
    const std::string event = file.substr(0, file.find("__"));
    HttpReply ok = deliver(file, event, "");
    ASSERT_EQ(ok.status, 202) << file << ": " << ok.body;
    const json c = Json(ok)["converted"];
    EXPECT_FALSE(c.contains("error")) << file << ": " << ok.body;
    EXPECT_EQ(deliver(file, event, "sha256=" + std::string(64, '0')).status, 401) << file;
    EXPECT_EQ(deliver(file, event, "none").status, 401) << file;
  }
  // The opened PR is stored under the connection, as a sync would store it.
  ScanOptions where;
  where.where = {{"connection_id", std::string("github:hooked")}};
  auto prs = Store()->List<model::PullRequest>(where);
  ASSERT_TRUE(prs.ok());
  ASSERT_FALSE(prs->empty());
  bool opened = false;
  for (const auto& p : *prs) opened |= p.id == "github:hooked:pr:Codertocat/Hello-World/2";
  EXPECT_TRUE(opened);

  // Releases (the project's payloads): published, then another deleted.
  const std::string own = testing::SourceDir() + "/tests/fixtures/github/";
  auto deliver_own = [&](const std::string& file) {
    const std::string body = testing::ReadFile(own + file);
    return server_->Send(
        "POST", "/webhooks/github/hooked", body,
        {{"Content-Type", "application/json"},
         {"X-Hub-Signature-256", "sha256=" + net::HmacSha256Hex("gh-hook-secret", body)},
         {"X-GitHub-Delivery", "hooked-" + std::to_string(++n)},
         {"X-GitHub-Event", "release"}});
  };
  ASSERT_EQ(deliver_own("release__published.json").status, 202);
  ASSERT_EQ(deliver_own("release__deleted.json").status, 202);
  auto releases = *Store()->List<model::Release>(where);
  ASSERT_EQ(releases.size(), 1u);
  EXPECT_EQ(releases[0].id, "github:hooked:release:152003301");
  EXPECT_EQ(releases[0].tag_name, "v2.1.0");

  // Each converted delivery is marked so, with the connection its rows
  // went to; `sei reconvert` makes the same rows from them again.
  ScanOptions archived;
  archived.where = {{"connection_id", std::string("github:hooked")}};
  size_t marked = 0;
  const auto deliveries = *Store()->List<model::RawPayload>(archived);
  for (const auto& raw : deliveries) {
    if (!raw.converted_at) continue;
    ++marked;
    EXPECT_NE(raw.context.value_or("").find("\"connection_id\":\"github:hooked\""),
              std::string::npos)
        << raw.id;
  }
  EXPECT_GT(marked, 20u);
  auto rows = [&] {
    auto store = Store();
    std::vector<std::string> out;
    const auto prs_now = *store->List<model::PullRequest>(where);
    for (const auto& p : prs_now) {
      out.push_back(p.id + " " + p.state + " " + std::to_string(p.raw_id.value_or(0)));
    }
    const auto releases_now = *store->List<model::Release>(where);
    for (const auto& r : releases_now) {
      out.push_back(r.id + " " + r.tag_name + " " + std::to_string(r.raw_id.value_or(0)));
    }
    const auto deployments_now = *store->List<model::Deployment>(where);
    for (const auto& d : deployments_now) {
      out.push_back(d.id + " " + d.result + " " + std::to_string(d.raw_id.value_or(0)));
    }
    return out;
  };
  const auto before = rows();
  {
    auto store = Store();
    for (const char* table : {"pull_requests", "releases", "deployments"}) {
      ASSERT_TRUE(
          store->db()
              ->Exec(std::string("DELETE FROM ") + table + " WHERE connection_id = 'github:hooked'")
              .ok());
    }
  }
  ASSERT_TRUE(rows().empty());
  auto again = Sei({"reconvert", "github:hooked", "--entity", "webhooks"});
  ASSERT_EQ(again.exit_code, 0) << again.err << again.out;
  EXPECT_NE(again.out.find("webhook deliveries"), std::string::npos) << again.out;
  EXPECT_EQ(rows(), before);
}

TEST_F(ServeWriteTest, GenericWebhookPerConnectionFromSeiConnect) {
  auto made = Sei({"connect", "generic", "--name", "hooks", "--webhook-secret-env", "HOOK"},
                  {"HOOK=generic-hook-secret"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string body = R"({"kind": "incident", "id": "inc-77", "title": "Down",
    "created_at": "2026-05-01T08:00:00Z"})";
  auto hook = [&](const std::string& secret, const std::string& id) {
    return server_->Send("POST", "/webhooks/generic/hooks", body,
                         {{"Content-Type", "application/json"},
                          {"X-Sei-Webhook-Secret", secret},
                          {"X-Sei-Delivery", id}});
  };
  EXPECT_EQ(hook("wrong", "g-1").status, 401);
  HttpReply ok = hook("generic-hook-secret", "g-2");
  ASSERT_EQ(ok.status, 202) << ok.body;
  json incidents = Eventually(
      "/api/v1/incidents?since=2026-04-01&until=2026-06-01",
      [](const json& j) { return Find(j["items"], "push:hooks:incident:inc-77") != nullptr; });
  EXPECT_NE(Find(incidents["items"], "push:hooks:incident:inc-77"), nullptr) << incidents.dump();
}

TEST_F(ServeWriteTest, TriggeredCollectionCollectsARealRepository) {
  const std::string repo = dir_->Sub("repo-b");
  MakeRepo(repo, 6);
  HttpReply started =
      Admin("POST", "/api/v1/connections/git:local/collect", R"({"repos": [")" + repo + R"("]})");
  ASSERT_EQ(started.status, 202) << started.body;
  const int64_t run = Json(started)["run_id"].get<int64_t>();
  json status;
  for (int i = 0; i < 200; ++i) {
    status = Json(Admin("GET", "/api/v1/collection-runs/" + std::to_string(run)));
    if (status["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(status["status"], "complete") << status.dump();
  EXPECT_EQ(status["items_added"], 6);
  EXPECT_EQ(status["connection_id"], "git:local");
  json repos = Eventually("/api/v1/repos", [&](const json& j) {
    for (const auto& r : j["repos"]) {
      if (r["location"] == repo) return true;
    }
    return false;
  });
  std::string repo_id;
  for (const auto& r : repos["repos"]) {
    if (r["location"] == repo) repo_id = r["id"].get<std::string>();
  }
  ASSERT_FALSE(repo_id.empty()) << repos.dump();
  // Its commits are in the metrics.
  json code = Json(server_->Get("/api/v1/metrics/code?repo=" + repo_id +
                                "&since=2025-12-01&until=2026-12-01&metric=code.churn"));
  EXPECT_NE(code.dump().find("\"n\":6"), std::string::npos) << code.dump();
  auto stats = Sei({"stats", "--repo", repo, "--format", "json"});
  EXPECT_NE(stats.out.find("\"commits\": 6"), std::string::npos) << stats.out;

  // A manager may collect a stored repository again; a run that finds
  // nothing new is complete with nothing added.
  HttpReply again =
      As("manager", "POST", "/api/v1/connections/git:local/collect", R"({"repos": ["alpha"]})");
  ASSERT_TRUE(again.status == 202 || again.status == 409) << again.body;
  HttpReply busy = Admin("POST", "/api/v1/connections/git:local/collect", "");
  EXPECT_TRUE(busy.status == 202 || busy.status == 409) << busy.body;
  // A bad path is a failed run, not a failed request.
  for (int i = 0; i < 100; ++i) {
    HttpReply bad = Admin("POST", "/api/v1/connections/git:local/collect",
                          R"({"repos": ["/nonexistent/repo"]})");
    if (bad.status == 409) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    ASSERT_EQ(bad.status, 202) << bad.body;
    const std::string id = std::to_string(Json(bad)["run_id"].get<int64_t>());
    for (int j = 0; j < 100; ++j) {
      status = Json(Admin("GET", "/api/v1/collection-runs/" + id));
      if (status["status"] != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(status["status"], "failed") << status.dump();
    EXPECT_FALSE(status["error"].is_null());
    break;
  }
  bool audited = false;
  for (const auto& e : Audit()) audited = audited || e.action == "collection.trigger";
  EXPECT_TRUE(audited);
  // Sources without a collector in this version say so.
  ASSERT_EQ(Admin("POST", "/api/v1/connections", R"({"source": "jira", "name": "j"})").status, 201);
  EXPECT_EQ(Admin("POST", "/api/v1/connections/jira:j/collect", "").status, 501);
}

}  // namespace
}  // namespace sei
