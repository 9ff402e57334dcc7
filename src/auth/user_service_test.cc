#include "auth/user_service.h"

#include <gtest/gtest.h>

#include "auth/auth_test_util.h"
#include "auth/password.h"
#include "auth/token_service.h"

namespace sei::auth {
namespace {

using UserServiceTest = AuthStoreTest;

TEST_F(UserServiceTest, AddsAUserWithALowerCaseEmailAndAHashedPassword) {
  UserService users(*store_, clock_);
  auto u = users.Add(
      {" Ann@Example.COM", "Ann Lee", Role::kManager, "t-plat", "p-ann", "a long passphrase"});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->email, "ann@example.com");
  EXPECT_EQ(u->id.substr(0, 2), "u-");
  ASSERT_TRUE(u->password_hash.has_value());  // a password is set ...
  EXPECT_EQ(*u->password_hash, "");           // ... but its hash is never handed back
  auto stored = store_->List<model::User>();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  const model::User& s = (*stored)[0];
  EXPECT_EQ(s.role, "manager");
  EXPECT_EQ(s.team_id, "t-plat");
  EXPECT_EQ(s.created_at, kNow);
  ASSERT_TRUE(s.password_hash.has_value());
  EXPECT_EQ(s.password_hash->find("a long passphrase"), std::string::npos);
  EXPECT_EQ(s.password_hash->rfind("$argon2id$", 0), 0u) << *s.password_hash;
  EXPECT_TRUE(VerifyPassword("a long passphrase", *s.password_hash));
  EXPECT_FALSE(VerifyPassword("a long passphrasE", *s.password_hash));
  auto listed = users.List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].password_hash, std::optional<std::string>(""));
  EXPECT_EQ(users.Add({"ann@example.com", "Again", Role::kViewer, {}, {}, {}}).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(UserServiceTest, ListsEveryProblemOfABadUser) {
  UserService users(*store_, clock_);
  auto bad = users.Add({"not-an-email", "", Role::kMember, "t-none", "p-none", "short"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  const std::string& m = bad.status().message();
  for (const char* part : {"'not-an-email' is not an email address", "the name is empty",
                           "no team 't-none'", "no person 'p-none'", "at least 10 characters"}) {
    EXPECT_NE(m.find(part), std::string::npos) << part << " missing from: " << m;
  }
  for (const char* email :
       {"a@b", "@example.com", "a@@example.com", "a b@example.com", "a@example.", "a@.example"}) {
    EXPECT_FALSE(users.Add({email, "A", Role::kViewer, {}, {}, {}}).ok()) << email;
  }
  EXPECT_TRUE(store_->List<model::User>()->empty());
}

TEST_F(UserServiceTest, DisableAndSetPassword) {
  UserService users(*store_, clock_);
  ASSERT_TRUE(users.Add({"bob@example.com", "Bob", Role::kMember, {}, {}, {}}).ok());
  TokenService tokens(*store_, clock_);
  EXPECT_FALSE(tokens.Login("bob@example.com", "new password 1", kNow).ok());
  ASSERT_TRUE(users.SetPassword("BOB@example.com", "new password 1").ok());
  EXPECT_TRUE(tokens.Login("bob@example.com", "new password 1", kNow).ok());
  EXPECT_EQ(users.SetPassword("bob@example.com", "short").code(), StatusCode::kInvalidArgument);

  clock_.AdvanceSeconds(10);
  ASSERT_TRUE(users.Disable("bob@example.com").ok());
  EXPECT_EQ((*users.FindByEmail("bob@example.com"))->disabled_at, kNow + 10);
  EXPECT_FALSE(tokens.Login("bob@example.com", "new password 1", kNow).ok());
  EXPECT_EQ(users.Disable("nobody@example.com").code(), StatusCode::kNotFound);
  EXPECT_EQ(users.SetPassword("nobody@example.com", "new password 1").code(),
            StatusCode::kNotFound);
}

TEST_F(UserServiceTest, UpdateChangesOnlyWhatItNamesWithItsAuditEntry) {
  UserService users(*store_, clock_);
  auto admin = users.Add({"root@example.com", "Root", Role::kAdmin, {}, {}, {}});
  auto bob = users.Add({"bob@example.com", "Bob", Role::kMember, "t-plat", {}, {}});
  ASSERT_TRUE(admin.ok() && bob.ok());
  UserChange change;
  change.role = Role::kManager;
  change.team_id = std::optional<std::string>();  // cleared
  change.password = "a new long passphrase";
  model::AuditEntry audit;
  audit.at = kNow;
  audit.actor = "user:" + admin->id;
  audit.action = "user.update";
  audit.detail = "role manager";
  audit.outcome = "ok";
  auto after = users.Update(bob->id, change, audit);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->role, "manager");
  EXPECT_EQ(after->name, "Bob");  // not named: kept
  EXPECT_FALSE(after->team_id.has_value());
  EXPECT_EQ(after->password_hash, std::optional<std::string>(""));
  EXPECT_TRUE(
      TokenService(*store_, clock_).Login("bob@example.com", "a new long passphrase", kNow).ok());
  auto log = AuditLog::Recent(*store_, 10);
  ASSERT_TRUE(log.ok());
  int updates = 0;  // (the sign-in above is audited too)
  for (const auto& e : *log) {
    if (e.action != "user.update") continue;
    ++updates;
    EXPECT_EQ(e.target, "user:" + bob->id);
    EXPECT_EQ(e.detail, "role manager");
  }
  EXPECT_EQ(updates, 1);

  // Every problem at once, and nothing written.
  UserChange bad;
  bad.name = "";
  bad.team_id = std::optional<std::string>("t-none");
  bad.person_id = std::optional<std::string>("p-none");
  bad.password = "short";
  auto refused = users.Update(bob->id, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  for (const char* part :
       {"the name is empty", "no team 't-none'", "no person 'p-none'", "at least 10 characters"}) {
    EXPECT_NE(refused.status().message().find(part), std::string::npos) << part;
  }
  EXPECT_EQ((*users.FindByEmail("bob@example.com"))->name, "Bob");
  EXPECT_EQ(users.Update("u-nobody", change).status().code(), StatusCode::kNotFound);

  // Disabled and enabled again.
  UserChange off;
  off.disabled = true;
  ASSERT_TRUE(users.Update(bob->id, off).ok());
  EXPECT_FALSE(
      TokenService(*store_, clock_).Login("bob@example.com", "a new long passphrase", kNow).ok());
  off.disabled = false;
  ASSERT_TRUE(users.Update(bob->id, off).ok());
  EXPECT_FALSE((*users.FindByEmail("bob@example.com"))->disabled_at.has_value());
}

TEST_F(UserServiceTest, TheLastAdminCannotBeDemotedOrDisabled) {
  UserService users(*store_, clock_);
  auto admin = users.Add({"root@example.com", "Root", Role::kAdmin, {}, {}, {}});
  ASSERT_TRUE(admin.ok());
  UserChange demote;
  demote.role = Role::kViewer;
  auto refused = users.Update(admin->id, demote);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("last admin"), std::string::npos);
  UserChange off;
  off.disabled = true;
  EXPECT_EQ(users.Update(admin->id, off).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*users.FindByEmail("root@example.com"))->role, "admin");

  // With another way in (an admin token of no user), it may.
  ASSERT_TRUE(
      TokenService(*store_, clock_).Create(Role::kAdmin, "ops", std::nullopt, std::nullopt).ok());
  EXPECT_TRUE(users.Update(admin->id, demote).ok());
  EXPECT_EQ((*users.FindByEmail("root@example.com"))->role, "viewer");
}

}  // namespace
}  // namespace sei::auth
