// Releases: the REST list page and the `release` webhook of the project's
// own payloads (tests/fixtures/github, made in GitHub's documented shape:
// ../shared holds no release), converted by one converter; a `deleted`
// delivery deletes the row; the conversion record (raw_context.h) reads
// back as written. Expected values are read from the files with nlohmann
// (an independent parser).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collectors/github/github_batch_writer.h"
#include "collectors/github/github_convert.h"
#include "collectors/github/github_test_util.h"
#include "collectors/github/raw_context.h"
#include "store/sqlite/sqlite_store.h"

namespace sei::collectors::github {
namespace {

using nlohmann::json;
using namespace testing_github;  // NOLINT

std::string Fixture(const std::string& name) {
  return sei::testing::ReadFile(sei::testing::SourceDir() + "/tests/fixtures/github/" + name);
}

const model::Release* ById(const ConvertedBatch& b, const std::string& id) {
  for (const model::Release& r : b.releases) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

TEST(GithubReleasesTest, ListPageFieldByField) {
  const std::string body = Fixture("releases_list.json");
  ASSERT_FALSE(body.empty());
  ConvertedBatch b = Ok(ConvertRest(RestKind::kReleases, body, Ctx()));
  EXPECT_TRUE(b.errors.empty());
  const json page = json::parse(body);
  ASSERT_EQ(b.releases.size(), page.size());
  for (const json& want : page) {
    const model::Release* r =
        ById(b, "github:acme:release:" + std::to_string(want["id"].get<int64_t>()));
    ASSERT_NE(r, nullptr) << want["id"];
    EXPECT_EQ(r->connection_id, kConn);
    EXPECT_EQ(r->repo_id, "github:acme:repo:octo-org/hello");  // from the release's API url
    EXPECT_EQ(r->tag_name, want["tag_name"]);
    EXPECT_EQ(r->target, want["target_commitish"]);
    EXPECT_EQ(r->draft, want["draft"].get<bool>());
    EXPECT_EQ(r->prerelease, want["prerelease"].get<bool>());
    EXPECT_EQ(r->author_account_id,
              "github:acme:account:" + std::to_string(want["author"]["id"].get<int64_t>()));
    EXPECT_EQ(r->created_at, T(want["created_at"].get<std::string>().c_str()));
    if (want["published_at"].is_null()) {
      EXPECT_FALSE(r->published_at) << r->id;
    } else {
      EXPECT_EQ(r->published_at, T(want["published_at"].get<std::string>().c_str()));
    }
    const std::string name = want["name"].is_string() ? want["name"].get<std::string>() : "";
    EXPECT_EQ(r->name.value_or(""), name) << r->id;
    EXPECT_EQ(r->name.has_value(), !name.empty()) << "no name and \"\" are both NULL";
    EXPECT_EQ(r->url, want["html_url"]);
    EXPECT_EQ(r->raw_id, 7);
  }
  // The draft and the unnamed prerelease, as GitHub shows them.
  const model::Release* draft = ById(b, "github:acme:release:152110777");
  ASSERT_NE(draft, nullptr);
  EXPECT_TRUE(draft->draft);
  EXPECT_FALSE(draft->published_at);
  EXPECT_FALSE(draft->name);
  const model::Release* rc = ById(b, "github:acme:release:151870215");
  ASSERT_NE(rc, nullptr);
  EXPECT_TRUE(rc->prerelease);
  EXPECT_FALSE(rc->name);
  // Authors are accounts, the bot marked as one.
  ASSERT_EQ(b.accounts.size(), 2u);
  for (const model::Account& a : b.accounts) {
    EXPECT_EQ(a.is_bot, a.login == "release-bot[bot]") << a.id;
  }
}

TEST(GithubReleasesTest, TheWebhookAndTheListGiveOneIdenticalRow) {
  const ConvertedBatch list =
      Ok(ConvertRest(RestKind::kReleases, Fixture("releases_list.json"), Ctx()));
  const std::string hook = Fixture("release__published.json");
  ConvertedBatch b = Ok(ConvertWebhook("release", hook, Ctx()));
  EXPECT_TRUE(b.handled);
  ASSERT_EQ(b.releases.size(), 1u);
  ASSERT_EQ(b.repos.size(), 1u);
  EXPECT_EQ(b.repos[0].id, "github:acme:repo:octo-org/hello");
  const model::Release* listed = ById(list, b.releases[0].id);
  ASSERT_NE(listed, nullptr);
  EXPECT_EQ(model::ToRow(b.releases[0]), model::ToRow(*listed));
  // The single GET answers the list item's object: the same row again.
  const json one = json::parse(hook)["release"];
  ConvertedBatch single = Ok(ConvertRest(RestKind::kReleases, one.dump(), Ctx()));
  ASSERT_EQ(single.releases.size(), 1u);
  EXPECT_EQ(model::ToRow(single.releases[0]), model::ToRow(*listed));
}

TEST(GithubReleasesTest, ADeletedDeliveryDeletesTheRow) {
  sei::testing::TempDir dir;
  auto store = sqlite::SqliteStore::Open(dir.Sub("gh.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ConvertedBatch list = Ok(ConvertRest(RestKind::kReleases, Fixture("releases_list.json"), Ctx()));
  ASSERT_TRUE(WriteBatch(**store, list).ok());
  ASSERT_EQ((*store)->List<model::Release>()->size(), 3u);
  ConvertedBatch gone = Ok(ConvertWebhook("release", Fixture("release__deleted.json"), Ctx()));
  EXPECT_TRUE(gone.handled);
  EXPECT_TRUE(gone.releases.empty());
  ASSERT_EQ(gone.deleted_releases, std::vector<std::string>{"github:acme:release:151870215"});
  ASSERT_TRUE(WriteBatch(**store, gone).ok());
  const auto left = *(*store)->List<model::Release>();
  ASSERT_EQ(left.size(), 2u);
  for (const model::Release& r : left) EXPECT_NE(r.id, "github:acme:release:151870215");
  ASSERT_TRUE(WriteBatch(**store, gone).ok());  // again: nothing to delete, no error
}

TEST(GithubReleasesTest, ABadItemIsSkippedNamingItsField) {
  json page = json::parse(Fixture("releases_list.json"));
  page[1].erase("tag_name");
  page[2]["created_at"] = "yesterday";
  ConvertedBatch b = Ok(ConvertRest(RestKind::kReleases, page.dump(), Ctx()));
  ASSERT_EQ(b.releases.size(), 1u);
  EXPECT_EQ(b.releases[0].id, "github:acme:release:152110777");
  ASSERT_EQ(b.errors.size(), 2u);
  EXPECT_NE(b.errors[0].message().find("[1].tag_name"), std::string::npos) << b.errors[0].message();
  EXPECT_NE(b.errors[1].message().find("[2].created_at"), std::string::npos)
      << b.errors[1].message();
  EXPECT_FALSE(ConvertRest(RestKind::kReleases, "\"v1\"", Ctx()).ok());
}

TEST(RawContextTest, ReadsBackWhatItWrote) {
  RawContext c;
  c.kind = "pr_commits";
  c.pr_id = "github:acme:pr:o/r/7";
  c.first_ordinal = 100;
  c.pr_numbers = std::vector<int64_t>{3, 9};
  c.workflow_name = "CI";
  c.statuses = {{55, {10, 11}}, {56, {}}};
  c.with_raw_id = 4;
  c.deleted_prs = {"github:acme:pr:o/r/1"};
  c.deleted_issues = {"github:acme:issue:o/r/2"};
  c.deleted_releases = {"github:acme:release:3"};
  c.connection_id = "github:acme";
  Result<RawContext> back = RawContext::Parse(c.Json());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->Json(), c.Json());
  EXPECT_EQ(back->statuses, c.statuses);
  EXPECT_EQ(back->pr_numbers, c.pr_numbers);
  EXPECT_EQ(DeletesOf(*back).size(), 4u + 1u + 1u);  // a PR and its reviews, commits, comments
  // Absent and empty differ for pr_numbers: absent keeps every comment.
  RawContext plain;
  plain.kind = "issue_comments";
  EXPECT_FALSE(RawContext::Parse(plain.Json())->pr_numbers);
  plain.pr_numbers = std::vector<int64_t>{};
  EXPECT_TRUE(RawContext::Parse(plain.Json())->pr_numbers);
  for (const char* bad : {"", "[]", "{}", "{\"kind\": 3}"}) {
    EXPECT_FALSE(RawContext::Parse(bad).ok()) << bad;
  }
  for (RestKind k : {RestKind::kPulls, RestKind::kReleases, RestKind::kDeploymentStatuses}) {
    EXPECT_EQ(RestKindFromKey(RestKindKey(k)), k);
  }
  EXPECT_FALSE(RestKindFromKey("tags"));
}

}  // namespace
}  // namespace sei::collectors::github
