#include "auth/token_service.h"

#include <gtest/gtest.h>

#include "auth/audit_log.h"
#include "auth/auth_test_util.h"
#include "auth/user_service.h"

namespace sei::auth {
namespace {

class TokenServiceTest : public AuthStoreTest {
 protected:
  model::User AddUser(const std::string& email, Role role, std::optional<std::string> person,
                      std::optional<std::string> password = std::nullopt) {
    UserService users(*store_, clock_);
    auto u = users.Add({email, "User " + email, role, std::nullopt, person, password});
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : model::User{};
  }
  std::vector<model::ApiToken> StoredTokens() { return *store_->List<model::ApiToken>(); }
};

TEST_F(TokenServiceTest, CreatesATokenShownOnceAndStoresOnlyItsHash) {
  TokenService tokens(*store_, clock_);
  auto created = tokens.Create(Role::kManager, "ci", std::nullopt, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::string& plain = created->plaintext;
  EXPECT_EQ(plain.size(), 47u);
  EXPECT_EQ(plain.substr(0, 4), "sei_");
  EXPECT_EQ(plain.find_first_not_of(
                "sei_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  std::vector<model::ApiToken> stored = StoredTokens();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].id, created->id);
  EXPECT_NE(stored[0].token_hash, plain);
  EXPECT_EQ(stored[0].token_hash.find(plain.substr(4)), std::string::npos);
  EXPECT_EQ(stored[0].token_hash.size(), 64u);  // hex BLAKE2b-256
  EXPECT_EQ(stored[0].prefix, plain.substr(0, 8));
  EXPECT_EQ(stored[0].role, "manager");
  EXPECT_EQ(stored[0].created_at, kNow);
  // Listing never shows the hash either.
  auto listed = tokens.List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].token_hash.empty());
  // Two tokens differ.
  auto second = tokens.Create(Role::kManager, "ci", std::nullopt, std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->plaintext, plain);
}

TEST_F(TokenServiceTest, VerifiesAValidTokenAndRecordsUseAtMostOnceAMinute) {
  TokenService tokens(*store_, clock_);
  auto created = tokens.Create(Role::kViewer, "dash", std::nullopt, std::nullopt);
  ASSERT_TRUE(created.ok());
  auto p = tokens.Verify(created->plaintext, kNow + 5);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, "token:" + created->id);
  EXPECT_EQ(p->name, "dash");
  EXPECT_EQ(p->role, Role::kViewer);
  EXPECT_FALSE(p->user_id.has_value());
  EXPECT_EQ(StoredTokens()[0].last_used_at, kNow + 5);
  ASSERT_TRUE(tokens.Verify("Bearer " + created->plaintext, kNow + 30).ok());
  EXPECT_EQ(StoredTokens()[0].last_used_at, kNow + 5);  // under a minute later: unchanged
  ASSERT_TRUE(tokens.Verify(created->plaintext, kNow + 65).ok());
  EXPECT_EQ(StoredTokens()[0].last_used_at, kNow + 65);
}

TEST_F(TokenServiceTest, RefusesUnknownRevokedAndExpiredTokensAlike) {
  TokenService tokens(*store_, clock_);
  auto revoked = tokens.Create(Role::kAdmin, "old", std::nullopt, std::nullopt);
  auto expiring = tokens.Create(Role::kAdmin, "temp", std::nullopt, kNow + 3600);
  ASSERT_TRUE(revoked.ok() && expiring.ok());
  ASSERT_TRUE(tokens.Verify(revoked->plaintext, kNow).ok());
  ASSERT_TRUE(tokens.Revoke(revoked->id).ok());
  ASSERT_TRUE(tokens.Verify(expiring->plaintext, kNow + 3599).ok());

  std::string unknown = revoked->plaintext;
  unknown[10] = unknown[10] == 'A' ? 'B' : 'A';
  const std::vector<std::pair<std::string, Result<Principal>>> refused = {
      {"revoked", tokens.Verify(revoked->plaintext, kNow + 1)},
      {"expired", tokens.Verify(expiring->plaintext, kNow + 3600)},
      {"unknown", tokens.Verify(unknown, kNow)},
      {"malformed", tokens.Verify("sei_short", kNow)},
      {"empty", tokens.Verify("", kNow)},
  };
  for (const auto& [what, r] : refused) {
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << what;
    // One message for every case: a prober learns nothing.
    EXPECT_EQ(r.status().message(), refused[0].second.status().message()) << what;
  }
  EXPECT_EQ(tokens.Revoke("tk-nope").code(), StatusCode::kNotFound);
  // Revoking twice keeps the first time.
  clock_.AdvanceSeconds(100);
  ASSERT_TRUE(tokens.Revoke(revoked->id).ok());
  for (const model::ApiToken& t : StoredTokens()) {
    if (t.id == revoked->id) {
      EXPECT_EQ(t.revoked_at, kNow);
    }
  }
  EXPECT_FALSE(tokens.Create(Role::kAdmin, "past", std::nullopt, kNow - 1).ok());
}

TEST_F(TokenServiceTest, AUsersTokenResolvesTheirPersonTeamsAndSubTeams) {
  model::User ann = AddUser("ann@example.com", Role::kManager, "p-ann");
  TokenService tokens(*store_, clock_);
  auto created = tokens.Create(Role::kManager, "ann's", ann.id, std::nullopt);
  ASSERT_TRUE(created.ok());
  auto p = tokens.Verify(created->plaintext, kNow);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, "user:" + ann.id);
  EXPECT_EQ(p->name, "User ann@example.com");
  EXPECT_EQ(p->person_id, "p-ann");
  // Platform, and Databases below it.
  EXPECT_EQ(p->team_ids, (std::vector<std::string>{"t-db", "t-plat"}));
}

TEST_F(TokenServiceTest, PastAndFutureMembershipsDoNotCount) {
  model::User bob = AddUser("bob@example.com", Role::kMember, "p-bob");
  model::User cat = AddUser("cat@example.com", Role::kMember, "p-cat");
  TokenService tokens(*store_, clock_);
  auto b = tokens.Create(Role::kMember, "", bob.id, std::nullopt);
  auto c = tokens.Create(Role::kMember, "", cat.id, std::nullopt);
  ASSERT_TRUE(b.ok() && c.ok());
  EXPECT_EQ(tokens.Verify(b->plaintext, kNow)->team_ids, (std::vector<std::string>{"t-db"}));
  EXPECT_TRUE(tokens.Verify(c->plaintext, kNow)->team_ids.empty());
  EXPECT_EQ(tokens.Verify(c->plaintext, kNow + 2 * 86400)->team_ids,
            (std::vector<std::string>{"t-web"}));
}

TEST_F(TokenServiceTest, ADemotedOrDisabledUsersTokensFollow) {
  model::User ann = AddUser("ann@example.com", Role::kMember, "p-ann");
  TokenService tokens(*store_, clock_);
  auto created = tokens.Create(Role::kAdmin, "", ann.id, std::nullopt);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(tokens.Verify(created->plaintext, kNow)->role, Role::kMember);  // the lesser
  UserService users(*store_, clock_);
  ASSERT_TRUE(users.Disable("ANN@example.com").ok());
  auto r = tokens.Verify(created->plaintext, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(tokens.Create(Role::kAdmin, "", "u-nobody", std::nullopt).status().code(),
            StatusCode::kNotFound);
}

TEST_F(TokenServiceTest, LoginChecksThePasswordAndOpensATwelveHourSession) {
  model::User ann = AddUser("ann@example.com", Role::kManager, "p-ann", "correct horse battery");
  AddUser("nopass@example.com", Role::kViewer, std::nullopt);
  TokenService tokens(*store_, clock_);
  auto wrong = tokens.Login("ann@example.com", "correct horse battery!", kNow, "10.0.0.1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(tokens.Login("nobody@example.com", "whatever123", kNow).status().message(),
            wrong.status().message());
  EXPECT_EQ(tokens.Login("nopass@example.com", "whatever123", kNow).status().message(),
            wrong.status().message());
  EXPECT_TRUE(StoredTokens().empty());

  auto session = tokens.Login("Ann@Example.com", "correct horse battery", kNow, "10.0.0.2");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->token.expires_at, kNow + 12 * 3600);
  EXPECT_EQ(session->token.user_id, ann.id);
  EXPECT_EQ(session->token.role, "manager");
  EXPECT_TRUE(tokens.Verify(session->plaintext, kNow + 12 * 3600 - 1).ok());
  EXPECT_FALSE(tokens.Verify(session->plaintext, kNow + 12 * 3600).ok());

  // Every attempt is in the audit log, newest first, without the password.
  auto audit = AuditLog::Recent(*store_, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 4u);
  EXPECT_EQ((*audit)[0].outcome, "ok");
  EXPECT_EQ((*audit)[0].actor, "user:" + ann.id);
  EXPECT_EQ((*audit)[0].remote_addr, "10.0.0.2");
  EXPECT_EQ((*audit)[3].outcome, "denied");
  EXPECT_EQ((*audit)[3].remote_addr, "10.0.0.1");
  EXPECT_EQ((*audit)[2].actor, "anonymous");
  for (const AuditEntry& e : *audit) {
    EXPECT_EQ(e.action, "login");
    EXPECT_EQ(e.detail.value_or("").find("horse"), std::string::npos);
    EXPECT_EQ(e.detail.value_or("").find(session->plaintext), std::string::npos);
  }
}

}  // namespace
}  // namespace sei::auth
