// The same-name rule (IdentityResolver, link_rules.h): a full name links
// accounts across and within tools; two emails in one domain or a split make
// the name ambiguous; names compare with Latin diacritics folded; bots link
// by their code-host login; what stays unmatched, and why.
#include <gtest/gtest.h>

#include "identity/identity_resolver.h"

namespace sei::identity {
namespace {

class SameNameTest : public ::testing::Test {
 protected:
  void Add(std::string id, std::string source, std::optional<std::string> email,
           std::optional<std::string> login, std::optional<std::string> name, int64_t seen,
           bool bot = false) {
    model::Account a;
    a.id = std::move(id);
    a.source = std::move(source);
    a.connection_id = a.source + ":1";
    a.email = std::move(email);
    a.login = std::move(login);
    a.name = std::move(name);
    a.first_seen_at = a.last_seen_at = seen;
    a.is_bot = bot;
    input_.accounts.push_back(std::move(a));
  }
  void Split(const std::string& id, const std::string& a, std::optional<std::string> b) {
    input_.overrides.push_back({id, "split", a, b, std::nullopt, 1, std::nullopt, std::nullopt});
  }
  void Resolve() {
    auto r = IdentityResolver(options_).Resolve(input_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    res_ = std::move(*r);
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
  std::optional<UnmatchedWhy> Unmatched(const std::string& account) const {
    for (const auto& u : res_.unmatched) {
      if (u.account_id == account) return u.why;
    }
    return std::nullopt;
  }

  ResolverOptions options_;
  ResolverInput input_;
  Resolution res_;
};

TEST_F(SameNameTest, WorkAndPersonalEmailsOfOneToolAndOtherToolsAreOnePerson) {
  Add("git:work", "git", "adam.xu@acme.example", {}, "Adam Xu", 10);
  Add("git:home", "git", "adamx99@mail.example", {}, "Adam Xu", 20);
  Add("gh:adam", "github", {}, "adamxu", "Adam Xu", 30);
  Add("jira:adam", "jira", {}, {}, "adam  XU ", 40);
  Resolve();
  ASSERT_EQ(res_.people.size(), 1u);
  EXPECT_EQ(res_.people[0].id, "person:adam.xu@acme.example");  // first seen, real email
  EXPECT_EQ(Link("git:work").reason, "canonical");
  for (const char* a : {"git:home", "gh:adam", "jira:adam"}) {
    EXPECT_EQ(Link(a).reason, "same-name") << a;
    EXPECT_DOUBLE_EQ(Link(a).confidence, 0.6) << a;
  }
  EXPECT_TRUE(res_.unmatched.empty());
  options_.same_name = false;  // still switchable
  Resolve();
  EXPECT_EQ(res_.people.size(), 4u);
}

TEST_F(SameNameTest, TwoRealEmailsInOneDomainMakeTheNameAmbiguous) {
  Add("git:js1", "git", "john.smith@acme.example", {}, "John Smith", 1);
  Add("git:js2", "git", "jsmith@ACME.example", {}, "John Smith", 2);
  Add("jira:js", "jira", {}, {}, "John Smith", 3);
  // A noreply address is no evidence of another John; other domains neither.
  Add("git:ann1", "git", "ann.lee@acme.example", {}, "Ann Lee", 4);
  Add("git:ann2", "git", "12345+annl@users.noreply.github.com", {}, "Ann Lee", 5);
  Add("git:ann3", "git", "ann@home.example", {}, "Ann Lee", 6);
  Resolve();
  EXPECT_NE(PersonOf("git:js1"), PersonOf("git:js2"));
  EXPECT_NE(PersonOf("jira:js"), PersonOf("git:js1"));
  EXPECT_NE(PersonOf("jira:js"), PersonOf("git:js2"));
  for (const char* a : {"git:js1", "git:js2", "jira:js"}) {
    EXPECT_EQ(Unmatched(a), UnmatchedWhy::kAmbiguousName) << a;
  }
  EXPECT_EQ(PersonOf("git:ann2"), PersonOf("git:ann1"));
  EXPECT_EQ(PersonOf("git:ann3"), PersonOf("git:ann1"));
}

TEST_F(SameNameTest, AnEmailOfTheSetCountsNotOnlyTheNamedAccounts) {
  // The GitHub John holds no email, but his GitLab account (same login)
  // does: a second John at acme.example.
  Add("git:js1", "git", "john.smith@acme.example", {}, "John Smith", 1);
  Add("gh:js", "github", {}, "jsmith", "John Smith", 2);
  Add("gl:js", "gitlab", "js2@acme.example", "jsmith", {}, 3);
  Resolve();
  EXPECT_EQ(PersonOf("gl:js"), PersonOf("gh:js"));
  EXPECT_NE(PersonOf("gh:js"), PersonOf("git:js1"));
  // Without the GitLab account nothing says so.
  input_.accounts.pop_back();
  Resolve();
  EXPECT_EQ(PersonOf("gh:js"), PersonOf("git:js1"));
}

TEST_F(SameNameTest, ASplitBetweenTwoHoldersMakesTheNameAmbiguousForAll) {
  Add("git:work", "git", "ann@acme.example", {}, "Ann Lee", 1);
  Add("git:home", "git", "ann@home.example", {}, "Ann Lee", 2);
  Add("jira:ann", "jira", {}, {}, "Ann Lee", 3);
  Resolve();
  EXPECT_EQ(res_.people.size(), 1u);
  Split("ov-1", "git:home", std::string("git:work"));
  Resolve();
  // Which Ann Lee is the Jira one? Nobody says: it is linked to neither.
  EXPECT_EQ(res_.people.size(), 3u);
  EXPECT_EQ(Unmatched("jira:ann"), UnmatchedWhy::kAmbiguousName);
  // A split without --from only takes that account off automatic links.
  input_.overrides.clear();
  Split("ov-2", "git:home", std::nullopt);
  Resolve();
  EXPECT_EQ(PersonOf("jira:ann"), PersonOf("git:work"));
  EXPECT_NE(PersonOf("git:home"), PersonOf("git:work"));
  EXPECT_EQ(Unmatched("git:home"), UnmatchedWhy::kSplit);
}

TEST_F(SameNameTest, DiacriticsAreFoldedForLatinLetters) {
  Add("git:ana", "git", "ana.muller@acme.example", {}, "Ana Müller", 1);
  Add("jira:ana", "jira", "ana.muller@acme.example", {}, "Ana Müller", 2);
  Add("git:home", "git", "anam72@mail.example", {}, "Ana Muller", 3);
  Add("git:jo", "git", "ana.jovanovic@acme.example", {}, "ANA JOVANOVIĆ", 4);
  Add("gh:jo", "github", {}, "anaj", "Ana Jovanovic", 5);
  // Decomposed: "u" followed by U+0308 COMBINING DIAERESIS.
  Add("gh:ana", "github", {}, "anam", "Ana Mu\xCC\x88ller", 6);
  Resolve();
  EXPECT_EQ(PersonOf("git:home"), PersonOf("git:ana"));
  EXPECT_EQ(PersonOf("gh:ana"), PersonOf("git:ana"));
  EXPECT_EQ(PersonOf("gh:jo"), PersonOf("git:jo"));
  EXPECT_EQ(res_.people.size(), 2u);
  // The name most accounts write (2 of 4; the decomposed one differs in bytes).
  for (const auto& p : res_.people) {
    if (p.id == PersonOf("git:ana")) {
      EXPECT_EQ(p.display_name, "Ana Müller");
    }
  }
}

TEST_F(SameNameTest, BotsLinkByTheirCodeHostLoginAndNeverToPeople) {
  Add("git:ci", "git", "ci-bot@acme.example", {}, "acme-ci-bot", 1);
  Add("gh:ci", "github", {}, "acme-ci-bot", "acme-ci-bot", 2, true);
  Add("git:bb", "git", "bb@acme.example", {}, "Build Bot-bot", 3);  // bots by the pattern
  Add("jira:bb", "jira", {}, {}, "Build Bot-bot", 4);
  Resolve();
  EXPECT_EQ(PersonOf("git:ci"), PersonOf("gh:ci"));
  EXPECT_EQ(Link("gh:ci").reason, "same-name");
  EXPECT_NE(PersonOf("git:bb"), PersonOf("jira:bb"));  // no code-host login
  EXPECT_EQ(res_.Bots(), 3);
  EXPECT_TRUE(res_.unmatched.empty());  // bots are not "unmatched"
}

TEST_F(SameNameTest, UnmatchedAccountsSayWhy) {
  Add("gh:login", "github", {}, "dramos", {}, 1);
  Add("git:laptop", "git", "adam@adam-laptop.local", {}, "adam", 2);
  Add("git:solo", "git", "solo@acme.example", {}, "Sol Oh", 3);
  Add("git:bob", "git", "bob@acme.example", {}, "Bob Roe", 4);
  Add("gh:bob", "github", "bob@acme.example", "bob", "Bob Roe", 5);
  Resolve();
  ASSERT_EQ(res_.unmatched.size(), 3u);
  EXPECT_EQ(Unmatched("gh:login"), UnmatchedWhy::kNoIdentity);
  EXPECT_EQ(Unmatched("git:laptop"), UnmatchedWhy::kShortName);
  EXPECT_EQ(Unmatched("git:solo"), UnmatchedWhy::kUnique);
}

}  // namespace
}  // namespace sei::identity
