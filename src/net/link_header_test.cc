#include "net/link_header.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "net/curl_http_client.h"
#include "testing/fake_http_server.h"
#include "testing/test_util.h"

namespace sei::net {
namespace {

using Rels = std::vector<std::string>;

TEST(LinkHeaderTest, GithubStyleValue) {
  auto links =
      ParseLinkHeader(R"(<https://api.github.com/repositories/1300192/issues?page=2>; rel="next", )"
                      R"(<https://api.github.com/repositories/1300192/issues?page=5>; rel="last")");
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].url, "https://api.github.com/repositories/1300192/issues?page=2");
  EXPECT_EQ((*links)[0].rels, Rels{"next"});
  EXPECT_EQ((*links)[1].url, "https://api.github.com/repositories/1300192/issues?page=5");
  EXPECT_TRUE((*links)[1].HasRel("LAST"));
}

TEST(LinkHeaderTest, CommasAndSemicolonsInsideUrlsAndQuotesBelongToThem) {
  auto links =
      ParseLinkHeader(R"(<https://h/x?ids=1,2,3;v=4&q=a%2Cb>; title="a, b; \"c\""; rel="next",)"
                      R"(<https://h/y?z=;,>;rel=last)");
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].url, "https://h/x?ids=1,2,3;v=4&q=a%2Cb");
  ASSERT_EQ((*links)[0].params.size(), 2u);
  EXPECT_EQ((*links)[0].params[0], (std::pair<std::string, std::string>{"title", "a, b; \"c\""}));
  EXPECT_EQ((*links)[0].rels, Rels{"next"});
  EXPECT_EQ((*links)[1].url, "https://h/y?z=;,");
  EXPECT_EQ((*links)[1].rels, Rels{"last"});
}

TEST(LinkHeaderTest, SeveralRelsCaseAndTheFirstRelParameterWins) {
  auto links = ParseLinkHeader(
      "<https://h/5>;REL=\"Next  LAST\" ; rel=\"first\" , <https://h/1>; Rel=First; type=x");
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].rels, (Rels{"next", "last"}));
  EXPECT_EQ((*links)[1].rels, Rels{"first"});
  EXPECT_EQ((*links)[1].params.back(), (std::pair<std::string, std::string>{"type", "x"}));
}

TEST(LinkHeaderTest, EmptyElementsWhitespaceAndNoRelAreAccepted) {
  auto empty = ParseLinkHeader("  ");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto links = ParseLinkHeader(" , <https://h/a>\t;\trel=next ,, <https://h/b>; , <https://h/c>");
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), 3u);
  EXPECT_EQ((*links)[0].rels, Rels{"next"});
  EXPECT_TRUE((*links)[1].rels.empty());
  EXPECT_EQ((*links)[2].url, "https://h/c");
}

TEST(LinkHeaderTest, MalformedValuesAreErrorsNamingTheOffset) {
  for (const char* bad : {"https://h/a; rel=next", "<https://h/a; rel=next",
                          "<https://h/a>; rel=\"next", "<https://h/a> rel=next",
                          "<https://h/a>; =next", "<https://h/a>; rel=next <https://h/b>"}) {
    auto r = ParseLinkHeader(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("malformed Link header at offset"), std::string::npos);
  }
}

TEST(LinkHeaderTest, PageLinksTakeTheFirstOfEachRelation) {
  auto pages =
      ParsePageLinks(R"(<https://h/?page=1>; rel="previous", <https://h/?page=3>; rel="next", )"
                     R"(<https://h/?page=9>; rel="next", <https://h/?page=1>; rel="first last")");
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ(pages->next, "https://h/?page=3");
  EXPECT_EQ(pages->prev, "https://h/?page=1");
  EXPECT_EQ(pages->first, "https://h/?page=1");
  EXPECT_EQ(pages->last, "https://h/?page=1");
  HttpResponse none;
  auto absent = PageLinksOf(none);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->next || absent->prev || absent->first || absent->last);
}

TEST(LinkHeaderTest, ResolveUrl) {
  const std::string base = "https://gitlab.example.com/api/v4/projects/8/issues?page=2#x";
  EXPECT_EQ(ResolveUrl(base, "https://other/x"), "https://other/x");
  EXPECT_EQ(ResolveUrl(base, "//cdn.example.com/a"), "https://cdn.example.com/a");
  EXPECT_EQ(ResolveUrl(base, "/api/v4/projects?page=3"),
            "https://gitlab.example.com/api/v4/projects?page=3");
  EXPECT_EQ(ResolveUrl(base, "?page=3"),
            "https://gitlab.example.com/api/v4/projects/8/issues?page=3");
  EXPECT_EQ(ResolveUrl(base, "notes?page=3"),
            "https://gitlab.example.com/api/v4/projects/8/notes?page=3");
  EXPECT_EQ(ResolveUrl("https://h", "a?b=1"), "https://h/a?b=1");
  EXPECT_EQ(ResolveUrl(base, "/search?q=http://x"), "https://gitlab.example.com/search?q=http://x");
}

TEST(LinkHeaderTest, NextPageRequestKeepsTheRequestAndRefusesOtherOrigins) {
  HttpRequest first = HttpRequest::Get("https://api.github.com/repos/a/b/issues?per_page=100");
  first.SetHeader("Authorization", "Bearer secret");
  HttpResponse page;
  page.url = first.url;
  page.headers = {{"link", R"(</repositories/7/issues?per_page=100&page=2>; rel="next")"}};
  auto next = NextPageRequest(first, page);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->url, "https://api.github.com/repositories/7/issues?per_page=100&page=2");
  EXPECT_EQ((*next)->Header("authorization"), "Bearer secret");

  page.headers = {{"link", R"(<https://api.github.com/x?page=1>; rel="first")"}};
  auto last = NextPageRequest(first, page);
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->has_value());

  page.headers = {{"link", R"(<https://evil.example/steal?page=2>; rel="next")"}};
  auto away = NextPageRequest(first, page);
  ASSERT_FALSE(away.ok());
  EXPECT_EQ(away.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(away.status().message().find("secret"), std::string::npos);
}

// The recorded exchanges under ../shared/fixtures/payloads/recordings/, each
// record's response headers with names lower-cased.
struct Recorded {
  std::string file;
  std::string origin;  // "https://api.github.com"
  std::string path;    // path and query of the request
  std::string link;    // "" when the response had none
  nlohmann::json body;
};

std::vector<Recorded> LoadRecordings(const std::string& file) {
  std::vector<Recorded> out;
  const std::string root = testing::SharedFixturesDir();
  if (root.empty()) return out;
  const auto doc = nlohmann::json::parse(testing::ReadFile(root + "/payloads/recordings/" + file),
                                         nullptr, false);
  if (!doc.is_array()) return out;
  for (const auto& rec : doc) {
    Recorded r{file, "https://api.github.com", rec.value("path", ""), "", nullptr};
    for (const auto& [name, value] : rec["headers"].items()) {
      if (AsciiLower(name) == "link") r.link = value.get<std::string>();
    }
    r.body = rec.contains("response") ? rec["response"] : rec.value("body", nlohmann::json());
    out.push_back(std::move(r));
  }
  return out;
}

// Every recorded rel="next" is the request the client made next, including
// GitHub's switch to /repositories/<id>/ URLs after page 1 and the old
// commits API's cursor links; the last page has no next.
TEST(LinkHeaderTest, RecordedNextLinksAreTheNextRecordedRequests) {
  if (testing::SharedFixturesDir().empty()) GTEST_SKIP() << "../shared/fixtures is absent";
  int chains = 0;
  for (const char* file : {"github_paginate_issues__octokit_fixtures.json",
                           "github_commits_since_until_paginated__pygithub.json"}) {
    const auto recs = LoadRecordings(file);
    ASSERT_GE(recs.size(), 2u) << file;
    for (size_t i = 0; i < recs.size(); ++i) {
      auto pages = ParsePageLinks(recs[i].link);
      ASSERT_TRUE(pages.ok()) << file << " #" << i << ": " << pages.status().ToString();
      if (i > 0) {
        EXPECT_TRUE(pages->first.has_value()) << file << " #" << i;
      }
      if (i + 1 < recs.size()) {
        EXPECT_EQ(pages->next, recs[i].origin + recs[i + 1].path) << file << " #" << i;
      } else {
        EXPECT_FALSE(pages->next.has_value()) << file << " last page";
      }
    }
    ++chains;
  }
  EXPECT_EQ(chains, 2);
  const auto issues = LoadRecordings("github_paginate_issues__octokit_fixtures.json");
  auto page1 = ParsePageLinks(issues[0].link);
  ASSERT_TRUE(page1.ok());
  EXPECT_EQ(page1->last, "https://api.github.com/repositories/1000/issues?per_page=3&page=5");
  EXPECT_FALSE(page1->prev.has_value());
}

TEST(LinkHeaderTest, RecordedPyGithubAndGitlabValues) {
  const std::string root = testing::SharedFixturesDir();
  if (root.empty()) GTEST_SKIP() << "../shared/fixtures is absent";
  const auto last_page = LoadRecordings("github_link_header_last_page__pygithub.json");
  ASSERT_EQ(last_page.size(), 1u);
  auto pages = ParsePageLinks(last_page[0].link);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ(pages->last, "https://api.github.com/repositories?page=42&per_page=1");
  EXPECT_EQ(pages->next, "https://api.github.com/repositories?page=2&per_page=1");
  EXPECT_EQ(pages->first, "https://api.github.com/repositories?page=1&per_page=1");

  const auto gitlab = nlohmann::json::parse(
      testing::ReadFile(root + "/payloads/recordings/gitlab_pagination_headers__gitlab_docs.json"));
  auto offset = ParsePageLinks(gitlab["headers"]["Link"].get<std::string>());
  ASSERT_TRUE(offset.ok()) << offset.status().ToString();
  EXPECT_EQ(offset->prev,
            "https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=1&per_page=3");
  EXPECT_EQ(offset->next,
            "https://gitlab.example.com/api/v4/projects/8/issues/8/notes?page=3&per_page=3");
  EXPECT_EQ(offset->last, offset->next);
  auto keyset = ParsePageLinks(gitlab["keyset_example"]["headers"]["Link"].get<std::string>());
  ASSERT_TRUE(keyset.ok()) << keyset.status().ToString();
  EXPECT_EQ(keyset->next,
            "https://gitlab.example.com/api/v4/projects?pagination=keyset&per_page=50&order_by=id&"
            "sort=asc&id_after=42");
  EXPECT_FALSE(keyset->last.has_value());
}

// The octokit recording replayed by the fake server (its links pointed at the
// server): NextPageRequest over real HTTP walks all five pages.
TEST(LinkHeaderTest, FollowsRecordedPagesOverHttp) {
  const auto recs = LoadRecordings("github_paginate_issues__octokit_fixtures.json");
  if (recs.empty()) GTEST_SKIP() << "../shared/fixtures is absent";
  testing::FakeHttpServer server;
  ASSERT_TRUE(server.started());
  const std::string base = server.Url();
  for (const Recorded& r : recs) {
    std::string link = r.link;
    for (size_t p = link.find(r.origin); p != std::string::npos; p = link.find(r.origin, p)) {
      link.replace(p, r.origin.size(), base);
    }
    server.Script("GET", r.path,
                  {testing::FakeResponse::Json(200, r.body.dump()).WithHeader("Link", link)});
  }
  CurlHttpClientOptions o;
  o.proxy = "";
  CurlHttpClient client(o);
  std::optional<HttpRequest> req = HttpRequest::Get(base + recs[0].path);
  std::vector<int> numbers;
  int pages = 0;
  while (req && pages < 10) {
    auto resp = client.Send(*req);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
    ASSERT_EQ(resp->status, 200) << req->url;
    for (const auto& issue : nlohmann::json::parse(resp->body)) numbers.push_back(issue["number"]);
    auto next = NextPageRequest(*req, *resp);
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    req = std::move(next).value();
    ++pages;
  }
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(numbers, (std::vector<int>{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(server.request_count(), 5u);
}

}  // namespace
}  // namespace sei::net
