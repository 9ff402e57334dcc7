// End to end: `sei demo`'s generator (src/demo, at a small size) then
// identity resolution, on a real SQLite store. The demo writes its people
// rows (demo:person:<slug>) and team memberships naming them, and accounts
// with no person: resolution must make each demo person the person of their
// accounts (at least one git account each), leave only unmatchable accounts
// on their own, and so line team scopes up with the work of their members.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "demo/demo_generator.h"
#include "fakes/fake_clock.h"
#include "identity/identity_service.h"
#include "identity/person_adopter.h"
#include "metrics/core/dataset_loader.h"
#include "model/org.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::identity {
namespace {

template <class T>
std::vector<T> All(Store& store) {
  auto rows = store.List<T>();
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? std::move(*rows) : std::vector<T>{};
}

TEST(IdentityDemoTest, DemoPeopleGetTheirAccountsAndTeamScopesResolveToThem) {
  testing::TempDir dir;
  auto opened = sqlite::SqliteStore::Open(dir.Sub("demo.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<sqlite::SqliteStore> store = std::move(*opened);
  demo::DemoOptions options;
  options.size = 0.2;  // the same people and teams, less activity
  auto demo = demo::DemoGenerator(store.get(), options).Run();
  ASSERT_TRUE(demo.ok()) << demo.status().ToString();
  auto demo_people = store->List<model::Person>();
  ASSERT_TRUE(demo_people.ok());
  ASSERT_FALSE(demo_people->empty());

  FakeClock clock;
  clock.SetUnixMillis(1'800'000'000'000);
  auto report = IdentityService(*store, clock).Resolve({});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const Resolution& res = report->resolution;
  EXPECT_EQ(res.adopted, static_cast<int64_t>(demo_people->size()));
  EXPECT_EQ(res.existing_without_accounts, 0);
  EXPECT_TRUE(res.retired.empty());

  // Every demo person holds at least one git account; no resolver person
  // duplicates one (same email).
  std::map<std::string, std::set<std::string>> sources;  // person -> sources of its accounts
  std::map<std::string, int> accounts_of;
  for (const model::Account& a : All<model::Account>(*store)) {
    ASSERT_TRUE(a.person_id) << a.id;
    sources[*a.person_id].insert(a.source);
    ++accounts_of[*a.person_id];
  }
  std::set<std::string> demo_emails;
  for (const model::Person& p : *demo_people) {
    EXPECT_EQ(sources[p.id].count("git"), 1u) << p.id << " has no git account";
    demo_emails.insert(*p.primary_email);
  }
  std::set<std::string> unmatched;
  for (const UnmatchedAccount& u : res.unmatched) unmatched.insert(u.account_id);
  int64_t alone = 0;
  for (const model::Person& p : All<model::Person>(*store)) {
    if (!IsResolverPersonId(p.id)) continue;
    EXPECT_EQ(demo_emails.count(p.primary_email.value_or("")), 0u) << p.id << " duplicates";
    // What resolution made itself: bots, or one unmatchable account.
    if (!p.is_bot) {
      EXPECT_EQ(accounts_of[p.id], 1) << p.id;
      ++alone;
    }
  }
  EXPECT_EQ(alone, static_cast<int64_t>(unmatched.size()));

  // Team scopes: every member is a person with accounts, and each team that
  // has members has pull requests authored by them.
  auto ds = metrics::LoadDataset(*store, {});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  std::set<metrics::Idx> with_accounts;
  for (const auto& [account, person] : (*ds)->account_person) with_accounts.insert(person);
  int teams_checked = 0;
  for (size_t t = 0; t < (*ds)->teams.size(); ++t) {
    const metrics::DsTeam& team = (*ds)->teams[t];
    if (team.members.empty()) continue;
    ++teams_checked;
    for (const metrics::DsMembership& m : team.members) {
      EXPECT_EQ(with_accounts.count(m.person), 1u) << team.id << ": a member with no account";
    }
    int64_t prs = 0;
    for (const metrics::DsPr& pr : (*ds)->prs) {
      prs += (*ds)->PersonInTeam(static_cast<metrics::Idx>(t), pr.author, pr.created_at) ? 1 : 0;
    }
    EXPECT_GT(prs, 0) << team.id;
  }
  EXPECT_GE(teams_checked, 6);
}

}  // namespace
}  // namespace sei::identity
