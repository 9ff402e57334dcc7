// IdentityService and OrgSync through a real SQLite store: one atomic write,
// idempotent re-runs, merge and undo (and the metrics Dataset following),
// splits refusing merges, .mailmaps read from the repos, memberships of
// other sources following merges, and the config's teams and projects:
// membership dates, replacing old config rows, unmatched entries.
#include "identity/identity_service.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include "metrics/core/dataset_loader.h"
#include "model/git.h"
#include "model/work.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei::identity {
namespace {

using sei::testing::TempDir;

model::Account Acc(const std::string& id, const std::string& source,
                   std::optional<std::string> email, std::optional<std::string> login,
                   std::optional<std::string> name, int64_t first_seen) {
  model::Account a;
  a.id = id;
  a.connection_id = source + ":1";
  a.source = source;
  a.email = std::move(email);
  a.login = std::move(login);
  a.name = std::move(name);
  a.first_seen_at = first_seen;
  a.last_seen_at = first_seen;
  return a;
}

model::IdentityOverride Override(const std::string& id, const std::string& action,
                                 const std::string& a, std::optional<std::string> b) {
  return {id, action, a, std::move(b), std::nullopt, 100, std::nullopt, std::nullopt};
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    clock_.SetUnixMillis(1'700'000'000'000);
    ASSERT_TRUE(store_
                    ->Upsert(std::vector<model::Account>{
                        Acc("git:ann", "git", "ann@example.com", {}, "Ann Lee", 10),
                        Acc("gh:ann", "github", "ann@example.com", "annlee", "Ann Lee", 20),
                        Acc("git:ann-home", "git", "ann@home.example", {}, "ann", 30),
                        Acc("git:bob", "git", "bob@example.com", {}, "Bob Roe", 40),
                        Acc("jira:sam", "jira", "sam@example.com", "sam", "Sam A", 50),
                        Acc("gh:sam", "github", {}, "sam", "Sam B", 60),
                    })
                    .ok());
  }

  Result<ServiceReport> Resolve(ServiceOptions options = {}) {
    return IdentityService(*store_, clock_).Resolve(options);
  }
  std::string PersonOf(const std::string& account) {
    auto links = store_->List<model::IdentityLink>();
    for (const auto& l : *links) {
      if (l.account_id == account) return l.person_id;
    }
    return "";
  }
  template <class T>
  std::string Dump() {
    std::string out;
    auto rows = store_->List<T>();
    for (const T& r : *rows) {
      for (const model::Value& v : model::ToRow(r)) out += model::ValueToString(v) + "|";
      out += "\n";
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  FakeClock clock_;
};

TEST_F(ServiceTest, WritesPeopleAccountsAndLinksAndRerunChangesNothing) {
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->resolution.people.size(), 5u);
  EXPECT_EQ(PersonOf("gh:ann"), "person:ann@example.com");
  auto accounts = store_->List<model::Account>();
  for (const auto& a : *accounts) EXPECT_TRUE(a.person_id) << a.id;
  const std::string people = Dump<model::Person>(), links = Dump<model::IdentityLink>(),
                    accs = Dump<model::Account>();
  clock_.AdvanceMillis(3'600'000);
  ASSERT_TRUE(Resolve().ok());
  EXPECT_EQ(Dump<model::Person>(), people);
  EXPECT_EQ(Dump<model::IdentityLink>(), links);
  EXPECT_EQ(Dump<model::Account>(), accs);
}

TEST_F(ServiceTest, MergeAndUndoMoveAccountsAndTheDatasetFollows) {
  ASSERT_TRUE(Resolve().ok());
  const std::string home = PersonOf("git:ann-home");
  ASSERT_NE(home, PersonOf("git:ann"));
  ServiceOptions merge;
  merge.add_overrides.push_back(Override("ov-1", "merge", "git:ann-home", "git:ann"));
  ASSERT_TRUE(Resolve(merge).ok());
  EXPECT_EQ(PersonOf("git:ann-home"), "person:ann@example.com");
  auto ds = metrics::LoadDataset(*store_, {});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ((*ds)->PersonOfAccount("git:ann-home"), (*ds)->PersonOfAccount("git:ann"));
  EXPECT_EQ(store_->List<model::IdentityOverride>()->size(), 1u);

  ServiceOptions undo;
  undo.remove_overrides.push_back("ov-1");
  ASSERT_TRUE(Resolve(undo).ok());
  EXPECT_EQ(PersonOf("git:ann-home"), home);  // the id it had before the merge
  EXPECT_TRUE(store_->List<model::IdentityOverride>()->empty());
  ds = metrics::LoadDataset(*store_, {});
  ASSERT_TRUE(ds.ok());
  EXPECT_NE((*ds)->PersonOfAccount("git:ann-home"), (*ds)->PersonOfAccount("git:ann"));
  // The person only the merge made is gone.
  auto people = store_->List<model::Person>();
  for (const auto& p : *people) EXPECT_NE(p.display_name, "");
  EXPECT_EQ(store_->List<model::Person>()->size(), 5u);

  ServiceOptions again;
  again.remove_overrides.push_back("ov-1");
  auto missing = Resolve(again);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no identity override 'ov-1'"), std::string::npos);
}

TEST_F(ServiceTest, AMergeASplitRefusesIsAnErrorAndWritesNothing) {
  ServiceOptions split;
  split.add_overrides.push_back(Override("ov-1", "split", "gh:ann", "git:ann"));
  ASSERT_TRUE(Resolve(split).ok());
  EXPECT_NE(PersonOf("gh:ann"), PersonOf("git:ann"));
  const std::string before = Dump<model::IdentityLink>();
  ServiceOptions merge;
  merge.add_overrides.push_back(Override("ov-2", "merge", "git:ann", "gh:ann"));
  auto r = Resolve(merge);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("the new merge cannot apply (nothing was written): "
                                      "split ov-1 keeps git:ann and gh:ann apart"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(store_->List<model::IdentityOverride>()->size(), 1u);
  EXPECT_EQ(Dump<model::IdentityLink>(), before);
  auto next = IdentityService(*store_, clock_).NextOverrideId();
  EXPECT_EQ(*next, "ov-2");
}

TEST_F(ServiceTest, ReadsEachReposMailmap) {
  const std::string work = dir_.Sub("repo");
  ASSERT_TRUE(testing::RunGit(dir_.path(), {"init", "-q", work}).ok());
  ASSERT_TRUE(
      testing::WriteFile(work + "/.mailmap", "Ann Lee <ann@example.com> <ann@home.example>\n"));
  model::Repo repo;
  repo.id = "git:local:repo:" + work;
  repo.connection_id = "git:local";
  repo.name = "repo";
  repo.location = work;
  ASSERT_TRUE(store_->UpsertRepo(repo).ok());
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mailmaps, 1);
  EXPECT_EQ(PersonOf("git:ann-home"), "person:ann@example.com");
  EXPECT_EQ(r->resolution.LinksByReason().at("mailmap"), 1);
}

TEST_F(ServiceTest, MembershipsOfOtherSourcesFollowAMerge) {
  ASSERT_TRUE(Resolve().ok());
  const std::string home = PersonOf("git:ann-home");
  ASSERT_TRUE(store_->Upsert(std::vector<model::Team>{{"hr:team:1", "HR team", {}, {}}}).ok());
  ASSERT_TRUE(store_
                  ->Upsert(std::vector<model::TeamMember>{
                      {"hr:team:1", home, std::string("dev"), 5, std::nullopt},
                      {"hr:team:1", "person:nobody", std::nullopt, 5, std::nullopt}})
                  .ok());
  // A merge in which the home account is not the anchor: its person id goes.
  ServiceOptions merge;
  merge.add_overrides.push_back(Override("ov-1", "merge", "git:ann-home", "git:ann"));
  auto r = Resolve(merge);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->remapped_memberships, 1);
  auto members = store_->List<model::TeamMember>();
  ASSERT_EQ(members->size(), 2u);
  std::set<std::string> ids;
  for (const auto& m : *members) ids.insert(m.person_id);
  EXPECT_EQ(ids, (std::set<std::string>{"person:ann@example.com", "person:nobody"}));
}

// ---- Org sync ----

class OrgSyncTest : public ServiceTest {
 protected:
  Result<ServiceReport> Sync(const OrgConfig& org, bool strict = false) {
    ServiceOptions o;
    o.org = &org;
    o.strict = strict;
    return Resolve(o);
  }
  static TeamSpec Team(const std::string& name, std::vector<MemberSpec> members) {
    TeamSpec t;
    t.name = name;
    t.members = std::move(members);
    t.where = "sei.yaml:" + std::to_string(name.size());
    return t;
  }
  static MemberSpec Member(const std::string& who, std::optional<int64_t> joined = std::nullopt,
                           std::optional<int64_t> left = std::nullopt) {
    return {who, joined, left, std::nullopt, "sei.yaml:9"};
  }
};

TEST_F(OrgSyncTest, MembersResolveByEmailLoginAccountOrPersonWithTheirDates) {
  OrgConfig org;
  org.teams.push_back(Team("Engineering", {}));
  org.teams.push_back(Team("Platform", {Member("ANN@example.com", 1000, 2000),
                                        Member("annlee", 3000),  // Ann again, a second spell
                                        Member("git:bob"), Member("person:sam@example.com")}));
  org.teams.back().parent = "engineering";
  auto r = Sync(org);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->org->unmatched.empty()) << r->org->UnmatchedMessage();
  auto teams = store_->List<model::Team>();
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ((*teams)[1].id, "config:team:platform");
  EXPECT_EQ((*teams)[1].parent_team_id, std::optional<std::string>("config:team:engineering"));
  auto members = store_->List<model::TeamMember>();
  ASSERT_EQ(members->size(), 4u);
  std::map<std::pair<std::string, int64_t>, std::optional<int64_t>> got;
  for (const auto& m : *members) got[{m.person_id, m.joined_at}] = m.left_at;
  EXPECT_EQ(got.at({"person:ann@example.com", 1000}), std::optional<int64_t>(2000));
  EXPECT_EQ(got.at({"person:ann@example.com", 3000}), std::nullopt);
  EXPECT_EQ(got.count({"person:bob@example.com", 0}), 1u);
  EXPECT_EQ(got.count({"person:sam@example.com", 0}), 1u);
  // The Dataset places work by these dates.
  auto ds = metrics::LoadDataset(*store_, {});
  ASSERT_TRUE(ds.ok());
  const metrics::Idx ann = (*ds)->PersonOfAccount("git:ann");
  EXPECT_FALSE((*ds)->PersonInTeam(1, ann, 999));
  EXPECT_TRUE((*ds)->PersonInTeam(1, ann, 1000));
  EXPECT_FALSE((*ds)->PersonInTeam(1, ann, 2000));
  EXPECT_TRUE((*ds)->PersonInTeam(1, ann, 3000));
}

TEST_F(OrgSyncTest, ASyncReplacesEveryOldConfigRowAndLeavesOthers) {
  ASSERT_TRUE(store_->Upsert(std::vector<model::Team>{{"hr:team:1", "HR", {}, {}}}).ok());
  ASSERT_TRUE(store_
                  ->Upsert(std::vector<model::TeamMember>{
                      {"hr:team:1", "person:bob@example.com", {}, 0, {}}})
                  .ok());
  OrgConfig first;
  first.teams.push_back(Team("Web", {Member("bob@example.com")}));
  first.teams.push_back(Team("Data", {Member("ann@example.com")}));
  ProjectSpec p;
  p.name = "Shop";
  p.services = {"shop-api"};
  first.projects.push_back(p);
  ASSERT_TRUE(Sync(first).ok());
  EXPECT_EQ(store_->List<model::Team>()->size(), 3u);
  OrgConfig second;
  second.teams.push_back(Team("Web", {Member("ann@example.com")}));
  auto r = Sync(second);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->org->removed_teams, 1);
  EXPECT_EQ(r->org->removed_projects, 1);
  auto teams = store_->List<model::Team>();
  ASSERT_EQ(teams->size(), 2u);
  EXPECT_EQ((*teams)[0].id, "config:team:web");
  EXPECT_EQ((*teams)[1].id, "hr:team:1");
  auto members = store_->List<model::TeamMember>();
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].team_id, "config:team:web");
  EXPECT_EQ((*members)[0].person_id, "person:ann@example.com");
  EXPECT_EQ((*members)[1].team_id, "hr:team:1");
  EXPECT_TRUE(store_->List<model::Project>()->empty());
  EXPECT_TRUE(store_->List<model::ProjectScope>()->empty());
}

TEST_F(OrgSyncTest, UnmatchedEntriesAreListedInOneMessageAndStrictWritesNothing) {
  OrgConfig org;
  org.teams.push_back(Team("Web", {Member("ann@exmaple.com"), Member("nobody"), Member("sam"),
                                   Member("bob@example.com")}));
  org.teams.back().parent = "Frontend";
  ProjectSpec p;
  p.name = "Shop";
  p.repos = {"web"};
  p.where = "sei.yaml:30";
  org.projects.push_back(p);
  auto strict = Sync(org, true);
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("nothing was written"), std::string::npos);
  EXPECT_TRUE(store_->List<model::Team>()->empty());
  EXPECT_TRUE(store_->List<model::Person>()->empty());

  auto r = Sync(org);
  ASSERT_TRUE(r.ok());
  const std::string msg = r->org->UnmatchedMessage();
  EXPECT_NE(msg.find("3 team members in the config match nothing and are left out until they do"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("'ann@exmaple.com' in team Web (sei.yaml:9): no person id, account id, "
                     "account email or person email equals it"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("'nobody' in team Web (sei.yaml:9): no person id, account id or account "
                     "login equals it"),
            std::string::npos)
      << msg;
  // "sam" is a Jira login of one person and a GitHub login of another.
  EXPECT_NE(msg.find("'sam' in team Web (sei.yaml:9): it matches more than one; use an id "
                     "(person:gh:sam, person:sam@example.com)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("1 parent team in the config matches nothing and is left out until it "
                     "does:\n  'Frontend' in team Web"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("'web' in project Shop (sei.yaml:30): no repo id, name or location equals it"),
            std::string::npos)
      << msg;
  auto members = store_->List<model::TeamMember>();
  ASSERT_EQ(members->size(), 1u);  // bob only
  auto teams = store_->List<model::Team>();
  EXPECT_EQ((*teams)[0].parent_team_id, std::nullopt);
}

TEST_F(OrgSyncTest, ProjectReposResolveByIdNameOrLocation) {
  const std::string api = dir_.Sub("api"), web = dir_.Sub("web");
  for (const auto& [id, name, loc] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"git:local:repo:" + api, "api", api},
           {"git:local:repo:" + web, "web", web},
           {"github:1:repo:7", "org/billing", "https://github.com/org/billing"}}) {
    model::Repo r;
    r.id = id;
    r.connection_id = "x";
    r.name = name;
    r.location = loc;
    ASSERT_TRUE(store_->UpsertRepo(r).ok());
  }
  ASSERT_TRUE(store_
                  ->Upsert(std::vector<model::Board>{
                      {"jira:1:board:9", "jira:1", "Checkout", "scrum", {}, {}}})
                  .ok());
  OrgConfig org;
  ProjectSpec p;
  p.name = "Checkout";
  p.repos = {"API", "./web/", "github:1:repo:7", "api"};
  p.boards = {"checkout"};
  p.environments = {"production"};
  p.ci_scopes = {"ci"};
  p.base_dir = dir_.path();
  org.projects.push_back(p);
  auto r = Sync(org);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->org->unmatched.empty()) << r->org->UnmatchedMessage();
  std::set<std::string> scopes;
  auto rows = store_->List<model::ProjectScope>();
  for (const auto& s : *rows) {
    EXPECT_EQ(s.project_id, "config:project:checkout");
    scopes.insert(s.kind + "=" + s.scope_id);
  }
  EXPECT_EQ(scopes,
            (std::set<std::string>{"repo=git:local:repo:" + api, "repo=git:local:repo:" + web,
                                   "repo=github:1:repo:7", "board=jira:1:board:9",
                                   "environment=production", "ci_scope=ci"}));
}

}  // namespace
}  // namespace sei::identity
