// IdentityResolver: every rule with its reason and confidence, thresholds,
// splits against automatic and manual links, merge and undo, stable person
// ids, display names, and bots.
#include "identity/identity_resolver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace sei::identity {
namespace {

model::Account Make(std::string id, std::string source, std::optional<std::string> email,
                    std::optional<std::string> login, std::optional<std::string> name,
                    std::optional<int64_t> first_seen, std::optional<int64_t> last_seen,
                    bool bot = false, std::optional<std::string> external_id = std::nullopt) {
  model::Account out;
  out.id = std::move(id);
  out.source = std::move(source);
  out.connection_id = out.source + ":1";
  out.email = std::move(email);
  out.login = std::move(login);
  out.name = std::move(name);
  out.first_seen_at = first_seen;
  out.last_seen_at = last_seen;
  out.is_bot = bot;
  out.external_id = std::move(external_id);
  return out;
}

class ResolverTest : public ::testing::Test {
 protected:
  void Add(std::string id, std::string source, std::optional<std::string> email,
           std::optional<std::string> login, std::optional<std::string> name,
           std::optional<int64_t> first_seen, std::optional<int64_t> last_seen, bool bot = false,
           std::optional<std::string> external_id = std::nullopt) {
    input_.accounts.push_back(Make(std::move(id), std::move(source), std::move(email),
                                   std::move(login), std::move(name), first_seen, last_seen, bot,
                                   std::move(external_id)));
  }
  void Merge(const std::string& id, const std::string& a, const std::string& b, int64_t at = 1,
             std::optional<std::string> name = std::nullopt) {
    input_.overrides.push_back({id, "merge", a, b, name, at, std::nullopt, std::nullopt});
  }
  void Split(const std::string& id, const std::string& a, std::optional<std::string> b,
             int64_t at = 1) {
    input_.overrides.push_back({id, "split", a, b, std::nullopt, at, std::nullopt, std::nullopt});
  }

  const Resolution& Resolve() {
    auto r = IdentityResolver(options_).Resolve(input_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    res_ = std::move(*r);
    return res_;
  }
  const model::IdentityLink& Link(const std::string& account) const {
    for (const auto& l : res_.links) {
      if (l.account_id == account) return l;
    }
    ADD_FAILURE() << "no link for " << account;
    static model::IdentityLink none;
    return none;
  }
  std::string PersonOf(const std::string& account) const { return Link(account).person_id; }
  const model::Person& Person(const std::string& id) const {
    for (const auto& p : res_.people) {
      if (p.id == id) return p;
    }
    ADD_FAILURE() << "no person " << id;
    static model::Person none;
    return none;
  }
  void ExpectLink(const std::string& account, const std::string& reason, double confidence,
                  const std::string& method = "auto") const {
    const model::IdentityLink& l = Link(account);
    EXPECT_EQ(l.reason, reason) << account;
    EXPECT_DOUBLE_EQ(l.confidence, confidence) << account;
    EXPECT_EQ(l.method, method) << account;
  }

  ResolverOptions options_;
  ResolverInput input_;
  Resolution res_;
};

TEST_F(ResolverTest, SameEmailAcrossSourcesIsOnePersonAtFullConfidence) {
  Add("git:a", "git", "ann@example.com", {}, "Ann Lee", 100, 500);
  Add("gh:a", "github", " ANN@Example.com ", "annlee", "Ann Lee", 200, 400);
  Add("jira:a", "jira", "ann@example.com", {}, "Ann L.", 300, 300);
  Resolve();
  ASSERT_EQ(res_.people.size(), 1u);
  EXPECT_EQ(PersonOf("git:a"), "person:ann@example.com");
  ExpectLink("git:a", "canonical", 1.0);  // real email, first seen earliest
  ExpectLink("gh:a", "same-email", 1.0);
  ExpectLink("jira:a", "same-email", 1.0);
  EXPECT_EQ(Person("person:ann@example.com").display_name, "Ann Lee");  // 2 of 3 accounts
  EXPECT_EQ(Person("person:ann@example.com").primary_email, "ann@example.com");
  EXPECT_EQ(Person("person:ann@example.com").created_at, 100);
  ASSERT_EQ(res_.accounts.size(), 3u);
  for (const auto& a : res_.accounts) EXPECT_EQ(a.person_id, "person:ann@example.com");
}

TEST_F(ResolverTest, MailmapJoinsEmailsAndNamesThePerson) {
  Add("git:old", "git", "ann@old.example.com", {}, "ann", 100, 200);
  Add("git:new", "git", "ann@example.com", {}, "Ann Lee", 300, 900);
  Add("git:other", "git", "bob@example.com", {}, "Bob", 50, 60);
  input_.mailmaps.push_back(Mailmap::Parse("Ann Lee <ann@example.com> <ann@old.example.com>\n"));
  Resolve();
  ASSERT_EQ(res_.people.size(), 2u);
  // The anchor is the earliest account; its id is its email after the map.
  EXPECT_EQ(PersonOf("git:old"), "person:ann@example.com");
  EXPECT_EQ(PersonOf("git:new"), "person:ann@example.com");
  ExpectLink("git:old", "canonical", 1.0);
  ExpectLink("git:new", "mailmap", 0.99);
  const model::Person& ann = Person("person:ann@example.com");
  EXPECT_EQ(ann.display_name, "Ann Lee");
  EXPECT_EQ(ann.primary_email, "ann@example.com");
  ExpectLink("git:other", "canonical", 1.0);
}

TEST_F(ResolverTest, MailmapToAnEmailNoAccountHasStillJoinsTheMappedOnes) {
  Add("git:1", "git", "a1@example.com", {}, "A", 1, 1);
  Add("git:2", "git", "a2@example.com", {}, "A", 2, 2);
  input_.mailmaps.push_back(
      Mailmap::Parse("<a@example.com> <a1@example.com>\n"
                     "<a@example.com> <a2@example.com>\n"));
  Resolve();
  ASSERT_EQ(res_.people.size(), 1u);
  EXPECT_EQ(res_.people[0].id, "person:a@example.com");
  ExpectLink("git:2", "mailmap", 0.99);
}

TEST_F(ResolverTest, GithubNoreplyAddressesMatchTheGithubAccount) {
  Add("gh:octo", "github", {}, "Octo", "The Octocat", 10, 10, false, "583231");
  Add("git:new", "git", "583231+octo@users.noreply.github.com", {}, "The Octocat", 20, 20);
  Add("git:old", "git", "octo@users.noreply.github.com", {}, "octo", 30, 30);
  // The id names someone else: the login "octo" changed hands.
  Add("git:stale", "git", "999+octo@users.noreply.github.com", {}, "x", 40, 40);
  Resolve();
  EXPECT_EQ(PersonOf("git:new"), PersonOf("gh:octo"));
  EXPECT_EQ(PersonOf("git:old"), PersonOf("gh:octo"));
  EXPECT_NE(PersonOf("git:stale"), PersonOf("gh:octo"));
  // The anchor: no account has a real email; noreply ones rank first.
  EXPECT_EQ(PersonOf("gh:octo"), "person:583231+octo@users.noreply.github.com");
  ExpectLink("git:new", "canonical", 1.0);
  ExpectLink("gh:octo", "github-noreply", 0.95);
  ExpectLink("git:old", "github-noreply", 0.95);
}

TEST_F(ResolverTest, SameLoginAcrossCodeHostsOnly) {
  Add("gh:ann", "github", {}, "ann", {}, 1, 1);
  Add("gl:ann", "gitlab", {}, "@ANN", {}, 2, 2);
  Add("jira:ann", "jira", {}, "ann", {}, 3, 3);
  Resolve();
  EXPECT_EQ(PersonOf("gh:ann"), PersonOf("gl:ann"));
  EXPECT_NE(PersonOf("jira:ann"), PersonOf("gh:ann"));
  ExpectLink("gh:ann", "canonical", 1.0);
  ExpectLink("gl:ann", "same-login", 0.8);
  // No email anywhere: the id is the anchor's account id.
  EXPECT_EQ(PersonOf("gh:ann"), "person:gh:ann");
}

TEST_F(ResolverTest, SameFullNameUnlessAmbiguous) {
  Add("git:ann", "git", "ann@home.example", {}, "Ann  Lee", 1, 1);
  Add("jira:ann", "jira", {}, {}, "ann lee", 2, 2);
  Add("git:cher", "git", "cher@example.com", {}, "Cher", 1, 1);  // one word: never
  Add("jira:cher", "jira", {}, {}, "Cher", 2, 2);
  // Two Johns at one company (two emails in one domain): nobody is linked
  // by that name.
  Add("git:js1", "git", "john@a.example", {}, "John Smith", 1, 1);
  Add("git:js2", "git", "jsmith@a.example", {}, "John Smith", 1, 1);
  Add("jira:js", "jira", {}, {}, "John Smith", 2, 2);
  Add("git:bot", "git", "ci@example.com", {}, "Build Bot-bot", 1, 1);
  Add("jira:bot", "jira", {}, {}, "Build Bot-bot", 2, 2);
  Resolve();
  EXPECT_EQ(PersonOf("git:ann"), PersonOf("jira:ann"));
  ExpectLink("jira:ann", "same-name", 0.6);
  EXPECT_NE(PersonOf("git:cher"), PersonOf("jira:cher"));
  EXPECT_NE(PersonOf("jira:js"), PersonOf("git:js1"));
  EXPECT_NE(PersonOf("jira:js"), PersonOf("git:js2"));
  EXPECT_NE(PersonOf("git:bot"), PersonOf("jira:bot"));  // bots are not matched by name
}

TEST_F(ResolverTest, ConfidenceIsTheWeakestLinkOnThePathFromTheAnchor) {
  Add("git:a", "git", "ann@example.com", {}, "Ann Lee", 1, 1);
  Add("gh:a", "github", "ann@example.com", "annl", {}, 2, 2);
  Add("gl:a", "gitlab", "ann.gitlab@example.com", "annl", {}, 3, 3);
  Add("gl:b", "gitlab", "ann.gitlab@example.com", {}, {}, 4, 4);
  Add("jira:a", "jira", {}, {}, "Ann Lee", 5, 5);
  Resolve();
  ASSERT_EQ(res_.people.size(), 1u);
  ExpectLink("gh:a", "same-email", 1.0);
  ExpectLink("gl:a", "same-login", 0.8);
  ExpectLink("gl:b", "same-email", 0.8);  // attached by email, but only as sure as gl:a
  ExpectLink("jira:a", "same-name", 0.6);
  auto by_reason = res_.LinksByReason();
  EXPECT_EQ(by_reason["same-email"], 2);
  EXPECT_EQ(by_reason["canonical"], 1);
}

TEST_F(ResolverTest, ThresholdAndNameRuleSwitches) {
  Add("gh:ann", "github", {}, "ann", "Ann Lee", 1, 1);
  Add("gl:ann", "gitlab", {}, "ann", {}, 2, 2);
  Add("jira:ann", "jira", {}, {}, "Ann Lee", 3, 3);
  options_.same_name = false;
  Resolve();
  EXPECT_EQ(PersonOf("gh:ann"), PersonOf("gl:ann"));
  EXPECT_NE(PersonOf("gh:ann"), PersonOf("jira:ann"));
  options_.same_name = true;
  options_.min_confidence = 0.9;
  Resolve();
  EXPECT_EQ(res_.people.size(), 3u);
  EXPECT_EQ(res_.below_threshold, 2);  // same-login and same-name
}

TEST_F(ResolverTest, SplitBeatsEveryAutomaticRuleIncludingThroughAThirdAccount) {
  Add("git:a", "git", "ann@example.com", {}, "Ann Lee", 1, 1);
  Add("gh:a", "github", "ann@example.com", "ann", {}, 2, 2);
  Add("gl:a", "gitlab", {}, "ann", {}, 3, 3);
  Split("ov-1", "git:a", std::string("gl:a"));
  Resolve();
  // git:a - gh:a by email (stronger, offered first); gh:a - gl:a by login
  // would join gl:a to git:a through gh:a: refused.
  EXPECT_EQ(PersonOf("git:a"), PersonOf("gh:a"));
  EXPECT_NE(PersonOf("gl:a"), PersonOf("git:a"));
  EXPECT_EQ(res_.blocked_by_split, 1);
  // A split of two accounts with one email keeps them apart too; gh:a and
  // gl:a still share a login.
  Split("ov-2", "gh:a", std::string("git:a"));
  Resolve();
  EXPECT_EQ(res_.people.size(), 2u);
  EXPECT_NE(PersonOf("git:a"), PersonOf("gh:a"));
  EXPECT_EQ(PersonOf("gl:a"), PersonOf("gh:a"));
  // Two people, one email: the earlier anchor keeps the email id.
  EXPECT_EQ(PersonOf("git:a"), "person:ann@example.com");
  EXPECT_EQ(PersonOf("gh:a"), "person:gh:a");
}

TEST_F(ResolverTest, SplitAloneDetachesAnAccountAndAMergeCanMoveIt) {
  Add("git:a", "git", "ann@example.com", {}, "Ann", 1, 1);
  Add("gh:a", "github", "ann@example.com", "ann", {}, 2, 2);
  Add("git:b", "git", "bea@example.com", {}, "Bea", 3, 3);
  Split("ov-1", "gh:a", std::nullopt, 10);
  Resolve();
  EXPECT_NE(PersonOf("gh:a"), PersonOf("git:a"));
  ExpectLink("gh:a", "manual-split", 1.0, "manual");
  Merge("ov-2", "gh:a", "git:b", 20, std::string("Beatrice"));
  Resolve();
  EXPECT_EQ(PersonOf("gh:a"), PersonOf("git:b"));
  ExpectLink("gh:a", "canonical", 1.0);  // real email, seen before git:b
  ExpectLink("git:b", "manual-merge", 1.0, "manual");
  EXPECT_EQ(Person(PersonOf("git:b")).display_name, "Beatrice");
  EXPECT_TRUE(res_.issues.empty());
}

TEST_F(ResolverTest, ManualMergeBlockedBySplitIsReported) {
  Add("git:a", "git", "a@example.com", {}, "A", 1, 1);
  Add("git:b", "git", "b@example.com", {}, "B", 2, 2);
  Split("ov-1", "git:a", std::string("git:b"), 1);
  Merge("ov-2", "git:a", "git:b", 2);
  Merge("ov-3", "git:a", "git:gone", 3);
  Resolve();
  EXPECT_NE(PersonOf("git:a"), PersonOf("git:b"));
  ASSERT_EQ(res_.issues.size(), 2u);
  std::string all = res_.issues[0].override_id + ": " + res_.issues[0].message + "\n" +
                    res_.issues[1].override_id + ": " + res_.issues[1].message;
  EXPECT_NE(all.find("ov-2: split ov-1 keeps git:a and git:b apart (undo one of the two)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("ov-3: account git:gone is not in the store"), std::string::npos) << all;
}

TEST_F(ResolverTest, MergeAndUndoRoundTrip) {
  Add("git:a", "git", "ann@work.example", {}, "Ann Lee", 10, 10);
  Add("git:b", "git", "ann@home.example", {}, "ann", 20, 20);
  Resolve();
  const std::string pa = PersonOf("git:a"), pb = PersonOf("git:b");
  ASSERT_NE(pa, pb);
  Merge("ov-1", "git:b", "git:a", 30);
  Resolve();
  ASSERT_EQ(res_.people.size(), 1u);
  EXPECT_EQ(PersonOf("git:b"), pa);  // git:a is the anchor (first seen)
  ExpectLink("git:b", "manual-merge", 1.0, "manual");
  input_.overrides.clear();  // undo
  Resolve();
  EXPECT_EQ(PersonOf("git:a"), pa);
  EXPECT_EQ(PersonOf("git:b"), pb);
  ExpectLink("git:b", "canonical", 1.0);
}

TEST_F(ResolverTest, PersonIdsSurviveNewAccountsAndInputOrder) {
  Add("git:ann", "git", "ann@example.com", {}, "Ann", 100, 100);
  Add("gh:ann", "github", {}, "ann", {}, std::nullopt, std::nullopt);
  Add("gl:ann", "gitlab", {}, "ann", {}, std::nullopt, std::nullopt);
  Add("git:bob", "git", "bob@example.com", {}, "Bob", 50, 50);
  Resolve();
  std::map<std::string, std::string> before;
  for (const auto& l : res_.links) before[l.account_id] = l.person_id;
  // More data: a later email for Ann joined by mailmap, a GitHub account
  // with her email, and new people; shuffled.
  Add("git:ann2", "git", "ann@new.example", {}, "Ann", 900, 900);
  Add("gh:ann2", "github", "ann@example.com", "ann-2", {}, 950, 950);
  Add("git:cat", "git", "cat@example.com", {}, "Cat", 10, 10);
  input_.mailmaps.push_back(Mailmap::Parse("<ann@example.com> <ann@new.example>\n"));
  std::mt19937 rng(7);
  std::shuffle(input_.accounts.begin(), input_.accounts.end(), rng);
  Resolve();
  for (const auto& [account, person] : before) EXPECT_EQ(PersonOf(account), person) << account;
  EXPECT_EQ(PersonOf("git:ann2"), before["git:ann"]);
  EXPECT_EQ(PersonOf("gh:ann2"), before["git:ann"]);
}

TEST_F(ResolverTest, BotsByPatternOrFlagAndAPersonIsABotOnlyWhenAllAccountsAre) {
  Add("gh:dep", "github", {}, "dependabot[bot]", {}, 1, 1, false, "49699333");
  Add("git:dep", "git", "49699333+dependabot[bot]@users.noreply.github.com", {}, "dependabot[bot]",
      2, 2);
  Add("git:ann", "git", "ann@example.com", {}, "Ann", 3, 3);
  Add("jira:ann", "jira", "ann@example.com", {}, "Ann (automation)", 4, 4, true);
  Resolve();
  EXPECT_EQ(PersonOf("gh:dep"), PersonOf("git:dep"));
  EXPECT_TRUE(Person(PersonOf("gh:dep")).is_bot);
  EXPECT_FALSE(Person(PersonOf("git:ann")).is_bot);
  EXPECT_EQ(res_.Bots(), 1);
  options_.bot_pattern = "([unclosed";
  auto bad = IdentityResolver(options_).Resolve(input_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("metrics.bot_pattern"), std::string::npos);
}

TEST_F(ResolverTest, DisplayNameAndPrimaryEmailPreferMostUsedThenMostRecent) {
  Add("git:1", "git", "ann@old.example", {}, "ann", 1, 100);
  Add("git:2", "git", "ann@example.com", {}, "Ann Lee", 2, 300);
  Add("gh:1", "github", "ann@example.com", "ann", "Ann Lee", 3, 200);
  Merge("ov-1", "git:1", "git:2");
  Resolve();
  const model::Person& p = Person(PersonOf("git:1"));
  EXPECT_EQ(p.display_name, "Ann Lee");           // 2 accounts against 1
  EXPECT_EQ(p.primary_email, "ann@example.com");  // 2 accounts against 1
  EXPECT_EQ(p.id, "person:ann@old.example");      // the anchor: first seen
}

TEST_F(ResolverTest, RerunKeepsTimesOfUnchangedLinksAndPeople) {
  Add("git:a", "git", "a@example.com", {}, "A", 1, 1);
  Add("git:b", "git", "b@example.com", {}, "B", 5, 5);
  Add("git:c", "git", "c@example.com", {}, "C", std::nullopt, std::nullopt);
  input_.now = 1000;
  Resolve();
  EXPECT_EQ(Person("person:a@example.com").created_at, 1);     // first seen
  EXPECT_EQ(Person("person:c@example.com").created_at, 1000);  // never seen: now
  input_.previous_links = res_.links;
  input_.previous_people = res_.people;
  input_.now = 2000;
  Merge("ov-1", "git:b", "git:a");
  Resolve();
  EXPECT_EQ(Link("git:a").updated_at, 1000);  // unchanged
  EXPECT_EQ(Link("git:c").updated_at, 1000);
  EXPECT_EQ(Link("git:b").updated_at, 2000);  // moved
  EXPECT_EQ(Person("person:c@example.com").created_at, 1000);
}

}  // namespace
}  // namespace sei::identity
