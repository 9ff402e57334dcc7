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
  EXPECT_FALSE(u->password_hash.has_value());  // never handed back
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
  EXPECT_FALSE((*listed)[0].password_hash.has_value());
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

}  // namespace
}  // namespace sei::auth
