#include "auth/connection_service.h"

#include <gtest/gtest.h>

#include "auth/auth_test_util.h"

namespace sei::auth {
namespace {

class ConnectionServiceTest : public AuthStoreTest {
 protected:
  AuditEntry Actor() {
    AuditEntry e;
    e.at = kNow;
    e.actor = "cli:alice";
    e.outcome = "ok";
    return e;
  }
  SecretBox box_ = *SecretBox::FromKey(std::string(32, 'k'));
};

TEST_F(ConnectionServiceTest, PutIsIdempotentBySourceAndNameAndSealsSecrets) {
  ConnectionService service(*store_, &box_);
  ConnectionChange c{"github",
                     "acme",
                     std::optional<std::string>("https://ghe.example.com"),
                     {{kWebhookSecret, "hook-secret-1"}, {kTokenSecret, "ghp_token_1"}}};
  bool created = false;
  auto first = service.Put(c, kNow, Actor(), &created);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(created);
  EXPECT_EQ(first->connection.id, "github:acme");
  EXPECT_EQ(first->secrets_set.size(), 2u);
  // Again, later, with one secret removed: the same row, updated.
  ConnectionChange again{"github", "acme", std::nullopt, {{kTokenSecret, std::nullopt}}};
  auto second = service.Put(again, kNow + 60, Actor(), &created);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(created);
  EXPECT_EQ(second->connection.created_at, kNow);
  EXPECT_EQ(second->connection.updated_at, kNow + 60);
  EXPECT_EQ(second->connection.base_url.value_or(""), "https://ghe.example.com");
  EXPECT_EQ(second->secrets_set.count(kTokenSecret), 0u);
  EXPECT_EQ(*service.Secret("github:acme", kWebhookSecret).value(), "hook-secret-1");
  EXPECT_FALSE(service.Secret("github:acme", kTokenSecret).value().has_value());
  // Stored sealed, and the audit says what changed without a value.
  const std::vector<model::ConnectionSecret> secrets = *store_->List<model::ConnectionSecret>();
  for (const auto& s : secrets) {
    EXPECT_EQ(s.sealed.find("hook-secret"), std::string::npos);
  }
  auto audit = *store_->List<model::AuditEntry>();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "connection.create");
  EXPECT_EQ(audit[1].action, "connection.update");
  EXPECT_EQ(audit[1].target, "connection:github:acme");
  EXPECT_EQ(audit[1].detail.value_or(""), "token removed");
  EXPECT_EQ(testing::ReadFile(dir_.Sub("sei.db")).find("hook-secret-1"), std::string::npos);
}

TEST_F(ConnectionServiceTest, RefusesBadSourcesNamesAndSecretsAndWritesNothing) {
  ConnectionService service(*store_, &box_);
  auto bad =
      service.Put({"gitbucket", "Bad Name", std::nullopt, {{kTokenSecret, ""}}}, kNow, Actor());
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("source"), std::string::npos);
  EXPECT_NE(bad.status().message().find("name"), std::string::npos);
  EXPECT_NE(bad.status().message().find("token"), std::string::npos);
  EXPECT_TRUE(store_->List<model::Connection>()->empty());
  EXPECT_TRUE(store_->List<model::AuditEntry>()->empty());
  // generic is the push source.
  auto generic = service.Put({"generic", "ci", std::nullopt, {}}, kNow, Actor());
  ASSERT_TRUE(generic.ok());
  EXPECT_EQ(generic->connection.id, "push:ci");
  // Without a key, a secret cannot be written.
  ConnectionService keyless(*store_, nullptr);
  EXPECT_FALSE(
      keyless.Put({"push", "ci", std::nullopt, {{kWebhookSecret, "x"}}}, kNow, Actor()).ok());
}

TEST_F(ConnectionServiceTest, DeleteRemovesTheConnectionAndItsSecrets) {
  ConnectionService service(*store_, &box_);
  ASSERT_TRUE(
      service.Put({"gitlab", "self", std::nullopt, {{kWebhookSecret, "s"}}}, kNow, Actor()).ok());
  EXPECT_TRUE(*service.Delete("gitlab:self", Actor()));
  EXPECT_FALSE(*service.Delete("gitlab:self", Actor()));
  EXPECT_TRUE(store_->List<model::ConnectionSecret>()->empty());
  EXPECT_FALSE(service.Get("gitlab:self")->has_value());
  EXPECT_EQ(store_->List<model::AuditEntry>()->back().action, "connection.delete");
}

}  // namespace
}  // namespace sei::auth
