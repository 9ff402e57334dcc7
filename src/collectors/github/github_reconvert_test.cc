// GithubReconvert against a real SQLite store, on archived rows made here:
// which connection a webhook delivery received without one goes to, sync
// pages never converted are skipped and counted, a page that no longer
// converts is reported while the others convert, --entity and --scope
// select, and a cancel stops with what was written kept.
#include "collectors/github/github_reconvert.h"

#include <gtest/gtest.h>

#include <atomic>

#include "collectors/github/github_test_util.h"
#include "collectors/github/raw_context.h"
#include "store/sqlite/sqlite_store.h"

namespace sei::collectors::github {
namespace {

std::string Fixture(const std::string& name) {
  return sei::testing::ReadFile(sei::testing::SourceDir() + "/tests/fixtures/github/" + name);
}

class GithubReconvertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("gh.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  int64_t Archive(const std::string& connection, const std::string& scope,
                  const std::string& entity, const std::string& body,
                  const std::optional<std::string>& kind) {
    model::RawPayload raw;
    raw.connection_id = connection;
    raw.source = "github";
    raw.scope = scope;
    raw.entity = entity;
    raw.url =
        scope == "webhook" ? "webhook:github/d" + std::to_string(++n_) : "https://x/" + entity;
    raw.fetched_at = 1;
    raw.content_type = "application/json";
    raw.body = body;
    if (kind) {
      RawContext c;
      c.kind = *kind;
      raw.context = c.Json();
      raw.converted_at = 1;
    }
    auto id = store_->ArchiveRaw(raw);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  Result<ReconvertReport> Run(ReconvertOptions o) {
    if (o.connections.empty()) o.connections = {{"github:acme", {}}};
    o.now = 99;
    o.batch = 2;  // several reads of the archive
    return GithubReconvert(*store_, std::move(o)).Run();
  }
  std::vector<model::Release> Releases(const std::string& connection) {
    ScanOptions where;
    where.where = {{"connection_id", connection}};
    return *store_->List<model::Release>(where);
  }

  sei::testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
  int n_ = 0;
};

TEST_F(GithubReconvertTest, WebhooksWithoutAConnectionGoWhereTheReceiverSentThem) {
  // Received on /webhooks/github: one converted then (its record names the
  // connection), one never converted (an event no converter handled then).
  const int64_t recorded =
      Archive("github", "webhook", "release", Fixture("release__published.json"), std::nullopt);
  RawContext c;
  c.kind = std::string(kWebhookKind);
  c.connection_id = "github:acme";
  ASSERT_TRUE(store_->ApplyWrites({MarkConverted(recorded, 1, &c)}).ok());
  const int64_t unrecorded =
      Archive("github", "webhook", "release", Fixture("release__deleted.json"), std::nullopt);
  Archive("github:other", "webhook", "release", Fixture("release__published.json"), std::nullopt);

  ReconvertOptions o;
  o.default_webhook_connection = "github:acme";
  auto r = Run(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->webhooks, 2);
  EXPECT_EQ(r->pages, 2);
  ASSERT_EQ(Releases("github:acme").size(), 1u);
  EXPECT_TRUE(Releases("github:other").empty()) << "another connection's delivery";
  // Both marked converted now; the unrecorded one gained its record.
  for (int64_t id : {recorded, unrecorded}) {
    auto raw = *FindOne<model::RawPayload>(*store_, "id", model::Value{id});
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->converted_at, 99);
    EXPECT_NE(raw->context.value_or("").find("github:acme"), std::string::npos) << id;
  }
  // Without records, and with the receiver's rule naming another
  // connection, they are not this connection's.
  ASSERT_TRUE(store_->db()->Exec("DELETE FROM releases").ok());
  ASSERT_TRUE(store_->db()
                  ->Exec("UPDATE raw_payloads SET context = NULL WHERE connection_id = 'github'")
                  .ok());
  o.default_webhook_connection = "github:webhooks";
  r = Run(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->webhooks, 0);
  EXPECT_TRUE(Releases("github:acme").empty());
}

TEST_F(GithubReconvertTest, SkipsNeverConvertedPagesAndReportsOnesThatNoLongerConvert) {
  Archive("github:acme", "octo-org/hello", "releases", Fixture("releases_list.json"),
          std::nullopt);  // fetched, never converted
  const int64_t bad =
      Archive("github:acme", "octo-org/hello", "releases", "[{\"id\": 1,", std::string("releases"));
  Archive("github:acme", "octo-org/hello", "releases", Fixture("releases_list.json"),
          std::string("releases"));
  Archive("github:acme", "octo-org/hello", "pulls", "[]", std::string("tags"));
  auto r = Run({});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->never_converted, 1);
  EXPECT_EQ(r->pages, 1);
  EXPECT_EQ(Releases("github:acme").size(), 3u);
  ASSERT_EQ(r->page_errors.size(), 2u);
  EXPECT_NE(r->page_errors[0].find("raw payload " + std::to_string(bad)), std::string::npos)
      << r->page_errors[0];
  EXPECT_NE(r->page_errors[1].find("unknown kind 'tags'"), std::string::npos) << r->page_errors[1];
}

TEST_F(GithubReconvertTest, EntityAndScopeSelectPages) {
  Archive("github:acme", "octo-org/hello", "releases", Fixture("releases_list.json"),
          std::string("releases"));
  Archive("github:acme", "webhook", "release", Fixture("release__published.json"), std::nullopt);
  ReconvertOptions o;
  o.entity = "pulls";
  auto r = Run(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pages, 0);
  o.entity = "releases";
  o.scope = "octo-org/other";
  EXPECT_EQ(Run(o)->pages, 0);
  o.scope = "octo-org/hello";
  EXPECT_EQ(Run(o)->pages, 1);
  o.entity = "webhooks";
  o.scope = "";
  r = Run(o);
  EXPECT_EQ(r->pages, 1);
  EXPECT_EQ(r->webhooks, 1);
  EXPECT_TRUE(IsReconvertEntity("release"));  // a webhook event
  EXPECT_FALSE(IsReconvertEntity("pull"));    // a raw detail entity: goes with pulls
}

TEST_F(GithubReconvertTest, ACancelStopsWithWhatWasWrittenKept) {
  Archive("github:acme", "octo-org/hello", "releases", Fixture("releases_list.json"),
          std::string("releases"));
  std::atomic<bool> cancel{true};
  ReconvertOptions o;
  o.cancel = &cancel;
  auto r = Run(o);
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_NE(r.status().message().find("run it again"), std::string::npos);
  EXPECT_TRUE(Releases("github:acme").empty());
}

}  // namespace
}  // namespace sei::collectors::github
