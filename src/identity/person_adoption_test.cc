// Existing people rows (person_adopter.h) through IdentityService and a real
// SQLite store: a set of accounts that is an existing person — by email, by
// accounts.person_id, by a merge naming the person — keeps that person's id;
// two existing people in one set become one (memberships moved); an existing
// person with no account stays and is not duplicated; ids are stable across
// re-runs and as accounts are added; undoing a merge with a person lets go.
#include <gtest/gtest.h>

#include <set>

#include "fakes/fake_clock.h"
#include "identity/identity_service.h"
#include "metrics/core/dataset_loader.h"
#include "model/org.h"
#include "store/sqlite/sqlite_store.h"
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
  a.first_seen_at = a.last_seen_at = first_seen;
  return a;
}

model::Person Existing(const std::string& id, const std::string& name,
                       std::optional<std::string> email, int64_t created = 5) {
  return {id, name, std::move(email), false, created};
}

model::TeamMember Member(const std::string& team, const std::string& person) {
  return {team, person, std::string("engineer"), 0, std::nullopt};
}

class AdoptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    clock_.SetUnixMillis(1'700'000'000'000);
  }
  template <class T>
  void Put(std::vector<T> rows) {
    ASSERT_TRUE(store_->Upsert(rows).ok());
  }
  template <class T>
  std::vector<T> All() {
    auto rows = store_->List<T>();
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? std::move(*rows) : std::vector<T>{};
  }
  ServiceReport Resolve(ServiceOptions options = {}) {
    auto r = IdentityService(*store_, clock_).Resolve(options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : ServiceReport{};
  }
  std::string PersonOf(const std::string& account) {
    for (const auto& a : All<model::Account>()) {
      if (a.id == account) return a.person_id.value_or("");
    }
    return "";
  }
  std::vector<std::string> PeopleIds() {
    std::vector<std::string> out;
    for (const auto& p : All<model::Person>()) out.push_back(p.id);
    return out;
  }
  std::optional<model::Person> PersonRow(const std::string& id) {
    for (const auto& p : All<model::Person>()) {
      if (p.id == id) return p;
    }
    return std::nullopt;
  }
  std::multiset<std::string> MembersOf(const std::string& team) {
    std::multiset<std::string> out;
    for (const auto& m : All<model::TeamMember>()) {
      if (m.team_id == team) out.insert(m.person_id);
    }
    return out;
  }
  std::string Dump() {
    std::string out;
    const auto add = [&](const auto& rows) {
      for (const auto& r : rows) {
        for (const model::Value& v : model::ToRow(r)) out += model::ValueToString(v) + "|";
        out += "\n";
      }
    };
    add(*store_->List<model::Person>());
    add(*store_->List<model::Account>());
    add(*store_->List<model::IdentityLink>());
    add(*store_->List<model::TeamMember>());
    return out;
  }

  TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  FakeClock clock_;
};

TEST_F(AdoptionTest, AnExistingPersonIsAdoptedByEmailAndTeamScopesLineUp) {
  Put(std::vector<model::Person>{Existing("demo:person:adam", "Adam Novak", "adam@acme.example")});
  Put(std::vector<model::Team>{{"demo:team:a", "A", std::nullopt, std::nullopt}});
  Put(std::vector<model::TeamMember>{Member("demo:team:a", "demo:person:adam")});
  Put(std::vector<model::Account>{
      Acc("git:adam", "git", " Adam@ACME.example", {}, "adam novak", 10),
      Acc("gh:adam", "github", {}, "anovak", "Adam Novak", 20),
      Acc("jira:adam", "jira", "adam@acme.example", {}, "Adam Novak", 30),
  });
  ServiceReport r = Resolve();
  EXPECT_EQ(r.resolution.adopted, 1);
  EXPECT_EQ(PeopleIds(), std::vector<std::string>{"demo:person:adam"});  // no person:adam@...
  for (const char* a : {"git:adam", "gh:adam", "jira:adam"}) {
    EXPECT_EQ(PersonOf(a), "demo:person:adam") << a;
  }
  // The row is kept as it was: its name and email, its created_at.
  const model::Person p = *PersonRow("demo:person:adam");
  EXPECT_EQ(p.display_name, "Adam Novak");
  EXPECT_EQ(p.primary_email, "adam@acme.example");
  EXPECT_EQ(p.created_at, 5);
  auto ds = metrics::LoadDataset(*store_, {});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  const metrics::Idx adam = (*ds)->PersonOfAccount("git:adam");
  ASSERT_EQ((*ds)->teams.size(), 1u);
  EXPECT_TRUE((*ds)->PersonInTeam(0, adam, 100));
  EXPECT_EQ((*ds)->PersonOfAccount("gh:adam"), adam);
}

TEST_F(AdoptionTest, AnExistingPersonIsAdoptedThroughAccountsPersonId) {
  Put(std::vector<model::Person>{Existing("hr:7", "Sam Ames", std::nullopt)});
  model::Account jira = Acc("jira:sam", "jira", {}, {}, "Sam Ames", 10);
  jira.person_id = "hr:7";  // an import said so
  Put(std::vector<model::Account>{
      jira,
      Acc("git:sam", "git", "sam@home.example", {}, "Sam Ames", 20),
      Acc("git:other", "git", "o@acme.example", {}, "Oli Other", 30),
  });
  ServiceReport r = Resolve();
  EXPECT_EQ(PersonOf("jira:sam"), "hr:7");
  EXPECT_EQ(PersonOf("git:sam"), "hr:7");  // same name: one set, which is hr:7
  EXPECT_EQ(PersonOf("git:other"), "person:o@acme.example");
  // The row is left as it was, even without an email.
  EXPECT_EQ(PersonRow("hr:7")->primary_email, std::nullopt);
  const std::string once = Dump();
  Resolve();
  EXPECT_EQ(Dump(), once);
}

TEST_F(AdoptionTest, TwoExistingPeopleInOneSetBecomeTheOneWithMostAccounts) {
  Put(std::vector<model::Person>{
      Existing("hr:ann", "Ann Lee", "ann@acme.example"),
      Existing("demo:ann", "Ann Lee (home)", "ann@home.example"),
      Existing("zz:bob", "Bob Roe", "bob@acme.example"),
      Existing("aa:bob", "Bob Roe", "bob@corp.example"),
  });
  Put(std::vector<model::Team>{{"t1", "T1", std::nullopt, std::nullopt},
                               {"t2", "T2", std::nullopt, std::nullopt}});
  Put(std::vector<model::TeamMember>{Member("t1", "demo:ann"), Member("t2", "hr:ann"),
                                     Member("t2", "zz:bob")});
  Put(std::vector<model::Account>{
      Acc("git:ann", "git", "ann@acme.example", {}, "Ann Lee", 10),
      Acc("gh:ann", "github", "ann@acme.example", "annlee", "Ann Lee", 20),
      Acc("git:ann-home", "git", "ann@home.example", {}, "Ann Lee", 30),
      Acc("git:bob", "git", "bob@acme.example", {}, "Bob Roe", 40),
      Acc("jira:bob", "jira", "bob@corp.example", {}, "Bob Roe", 50),
  });
  ServiceReport r = Resolve();
  // Ann: hr:ann has 2 accounts (by email), demo:ann 1.
  for (const char* a : {"git:ann", "gh:ann", "git:ann-home"}) EXPECT_EQ(PersonOf(a), "hr:ann");
  // Bob: one account each: the smaller id.
  EXPECT_EQ(PersonOf("git:bob"), "aa:bob");
  EXPECT_EQ(PersonOf("jira:bob"), "aa:bob");
  EXPECT_EQ(PeopleIds(), (std::vector<std::string>{"aa:bob", "hr:ann"}));
  EXPECT_EQ(r.resolution.retired.at("demo:ann"), "hr:ann");
  EXPECT_EQ(r.resolution.retired.at("zz:bob"), "aa:bob");
  EXPECT_EQ(r.remapped_memberships, 2);
  EXPECT_EQ(MembersOf("t1"), (std::multiset<std::string>{"hr:ann"}));
  EXPECT_EQ(MembersOf("t2"), (std::multiset<std::string>{"aa:bob", "hr:ann"}));
  const std::string once = Dump();
  Resolve();
  EXPECT_EQ(Dump(), once);
}

TEST_F(AdoptionTest, AnExistingPersonWithoutAccountsStaysAndIsNotDuplicated) {
  const model::Person hire = Existing("hr:new", "Nia New", "nia@acme.example", 77);
  Put(std::vector<model::Person>{hire});
  Put(std::vector<model::Account>{Acc("git:x", "git", "x@acme.example", {}, "Xi Ex", 10)});
  ServiceReport r = Resolve();
  EXPECT_EQ(r.resolution.existing_without_accounts, 1);
  ASSERT_TRUE(PersonRow("hr:new"));
  EXPECT_EQ(model::ToRow(*PersonRow("hr:new")), model::ToRow(hire));  // as it was
  // Her first commit arrives: her account is her, with no person:nia@... twin.
  Put(std::vector<model::Account>{Acc("git:nia", "git", "NIA@acme.example", {}, "Nia N", 20)});
  r = Resolve();
  EXPECT_EQ(PersonOf("git:nia"), "hr:new");
  EXPECT_EQ(PeopleIds(), (std::vector<std::string>{"hr:new", "person:x@acme.example"}));
  EXPECT_EQ(r.resolution.existing_without_accounts, 0);
}

TEST_F(AdoptionTest, IdsStayStableAcrossRerunsAndAsAccountsArrive) {
  Put(std::vector<model::Person>{Existing("demo:person:ana", "Ana Müller", "ana@acme.example")});
  Put(std::vector<model::Account>{
      Acc("git:ana", "git", "ana@acme.example", {}, "Ana Müller", 10),
      Acc("git:bo", "git", "bo@acme.example", {}, "Bo Li", 20),
  });
  Resolve();
  const std::string once = Dump();
  clock_.AdvanceMillis(3'600'000);
  Resolve();
  EXPECT_EQ(Dump(), once);
  // More accounts: her personal email (same name, diacritics aside, seen
  // before her work one), Jira and GitHub; Bo's GitHub account.
  Put(std::vector<model::Account>{
      Acc("git:ana-home", "git", "anam72@mail.example", {}, "Ana Muller", 5),
      Acc("jira:ana", "jira", {}, {}, "ana müller", 30),
      Acc("gh:ana", "github", "ana@acme.example", "anam", {}, 40),
      Acc("gh:bo", "github", "bo@acme.example", "boli", "Bo Li", 50),
  });
  Resolve();
  for (const char* a : {"git:ana", "git:ana-home", "jira:ana", "gh:ana"}) {
    EXPECT_EQ(PersonOf(a), "demo:person:ana") << a;
  }
  EXPECT_EQ(PersonOf("git:bo"), "person:bo@acme.example");
  EXPECT_EQ(PersonOf("gh:bo"), "person:bo@acme.example");
  EXPECT_EQ(PeopleIds().size(), 2u);
}

TEST_F(AdoptionTest, AMergeWithAPersonIdAdoptsAndUndoLetsGo) {
  Put(std::vector<model::Person>{Existing("hr:new", "Nia New", std::nullopt)});
  Put(std::vector<model::Account>{Acc("git:nia", "git", "nia99@mail.example", {}, "nia", 10)});
  ServiceReport r = Resolve();
  EXPECT_EQ(PersonOf("git:nia"), "person:nia99@mail.example");
  ASSERT_EQ(r.resolution.unmatched.size(), 1u);
  ServiceOptions merge;
  merge.add_overrides.push_back(
      {"ov-1", "merge", "git:nia", std::string("hr:new"), std::nullopt, 100, {}, {}});
  r = Resolve(merge);
  EXPECT_TRUE(r.resolution.issues.empty());
  EXPECT_EQ(PersonOf("git:nia"), "hr:new");
  EXPECT_TRUE(r.resolution.unmatched.empty());
  EXPECT_EQ(PeopleIds(), std::vector<std::string>{"hr:new"});
  ServiceOptions undo;
  undo.remove_overrides.push_back("ov-1");
  Resolve(undo);
  EXPECT_EQ(PersonOf("git:nia"), "person:nia99@mail.example");
  EXPECT_EQ(PeopleIds(), (std::vector<std::string>{"hr:new", "person:nia99@mail.example"}));
}

}  // namespace
}  // namespace sei::identity
