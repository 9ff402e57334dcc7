#include "collectors/push/webhook_inbox.h"

#include <gtest/gtest.h>

#include <memory>

#include "collectors/push/generic_receiver.h"
#include "fakes/fake_clock.h"
#include "model/meta.h"
#include "net/webhook_signature.h"
#include "testing/store_backends.h"
#include "testing/test_util.h"

namespace sei::collectors::push {
namespace {

constexpr int64_t kNow = 1769860800;  // 2026-01-31T12:00:00Z

class WebhookInboxTest : public sei::testing::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    inbox_ = std::make_unique<WebhookInbox>(*store());
  }
  template <class T>
  std::vector<T> All() {
    auto r = store()->List<T>();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<T>{};
  }

  FakeClock clock_{kNow * 1000};
  std::unique_ptr<WebhookInbox> inbox_;
};

TEST_P(WebhookInboxTest, DuplicateDeliveryIdsStoreOnce) {
  auto first = inbox_->Accept("github", "72d3162e-cc78", "push", R"({"ref":"main"})", kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->duplicate);
  EXPECT_GT(first->raw_id, 0);
  auto again = inbox_->Accept("github", "72d3162e-cc78", "push", R"({"ref":"main"})", kNow + 5);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->raw_id, first->raw_id);
  // The same id from another source is another delivery.
  auto other = inbox_->Accept("gitlab", "72d3162e-cc78", "push", "{}", kNow);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->duplicate);
  EXPECT_EQ(All<model::RawPayload>().size(), 2u);
  const auto deliveries = All<model::WebhookDelivery>();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].source, "github");
  EXPECT_EQ(deliveries[0].status, "received");
  EXPECT_EQ(deliveries[0].received_at, kNow);
  EXPECT_EQ(All<model::RawPayload>().at(0).body, R"({"ref":"main"})");
}

TEST_P(WebhookInboxTest, AnotherStoreOnTheSameDatabaseSeesTheDelivery) {
  auto s2 = OpenAnother();
  ASSERT_NE(s2, nullptr);
  WebhookInbox inbox2(*s2);
  // Two servers, each with its own store: the second sees the first's
  // delivery. (Two deliveries racing between check and write:
  // StoreTest.InsertNewRefusesARowThatExistsEvenOneCommittedConcurrently.)
  ASSERT_TRUE(inbox_->Accept("generic", "d-1", "push", "{}", kNow).ok());
  auto second = inbox2.Accept("generic", "d-1", "push", "{}", kNow);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(All<model::RawPayload>().size(), 1u);
}

TEST_P(WebhookInboxTest, BadDeliveryIdsAreRefused) {
  EXPECT_EQ(inbox_->Accept("github", "", "push", "{}", kNow).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(inbox_->Accept("github", std::string(257, 'x'), "push", "{}", kNow).ok());
  EXPECT_TRUE(All<model::RawPayload>().empty());
}

// The whole generic path as the server runs it: the secret is checked
// first (a forged request never reaches the inbox), then the delivery is
// archived once and converted through the push validator and writer.
TEST_P(WebhookInboxTest, GenericReceiverConvertsOnceAndRefusesBadBodies) {
  PushValidator validator(clock_);
  PushWriter writer(*store(), clock_);
  GenericReceiver receiver(*inbox_, validator, writer);
  const std::string body = R"({"kind": "deployment", "id": "42", "environment": "production",
      "result": "success", "started_at": "2026-01-31T11:00:00Z"})";
  ASSERT_FALSE(net::VerifySharedSecret("s3cret", "forged"));  // the server answers 401 here
  ASSERT_TRUE(net::VerifySharedSecret("s3cret", "s3cret"));
  auto out = receiver.Receive("hooks", "del-1", body, kNow);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FALSE(out->duplicate);
  EXPECT_TRUE(out->errors.empty());
  auto deps = All<model::Deployment>();
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].id, "push:hooks:deployment:42");
  EXPECT_EQ(deps[0].raw_id, out->raw_id);
  EXPECT_EQ(All<model::RawPayload>().size(), 1u);  // archived once, by the inbox
  EXPECT_EQ(inbox_->Find("generic", "del-1")->value().status, "converted");

  auto replay = receiver.Receive("hooks", "del-1", body, kNow + 60);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->duplicate);
  EXPECT_EQ(All<model::RawPayload>().size(), 1u);

  auto bad = receiver.Receive("hooks", "del-2", R"({"kind": "deployment", "id": "43"})", kNow);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->errors.size(), 3u);  // environment, result, started_at
  EXPECT_EQ(All<model::Deployment>().size(), 1u);
  EXPECT_EQ(inbox_->Find("generic", "del-2")->value().status, "failed");
}

TEST_P(WebhookInboxTest, UnfinishedDeliveryIsConvertedOnRetry) {
  PushValidator validator(clock_);
  PushWriter writer(*store(), clock_);
  GenericReceiver receiver(*inbox_, validator, writer);
  const std::string body = R"({"kind": "incident", "id": "i1", "title": "down",
      "created_at": "2026-01-31T11:00:00Z"})";
  // A first attempt archived the body, then the process died before converting.
  ASSERT_TRUE(inbox_->Accept("generic", "del-9", "push", body, kNow).ok());
  auto retry = receiver.Receive("hooks", "del-9", body, kNow + 30);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(All<model::Incident>().size(), 1u);
  EXPECT_EQ(All<model::RawPayload>().size(), 1u);
}

SEI_INSTANTIATE_STORE_BACKENDS(WebhookInboxTest);

}  // namespace
}  // namespace sei::collectors::push
