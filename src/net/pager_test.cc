#include "net/pager.h"

#include <gtest/gtest.h>

namespace sei::net {
namespace {

HttpResponse Answer(std::string body = "[]", HttpHeaders headers = {}) {
  HttpResponse r;
  r.status = 200;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(QueryParamTest, SetReplacesEveryValueAndEncodes) {
  EXPECT_EQ(SetQueryParam("https://h/x", "page", "2"), "https://h/x?page=2");
  EXPECT_EQ(SetQueryParam("https://h/x?page=1&per_page=50", "page", "2"),
            "https://h/x?page=2&per_page=50");
  EXPECT_EQ(SetQueryParam("https://h/x?page=1&q=a%20b&page=7#top", "page", "3"),
            "https://h/x?page=3&q=a%20b#top");
  EXPECT_EQ(SetQueryParam("https://h/x?a=1", "cursor", "dXNlcjpVMDYx+/="),
            "https://h/x?a=1&cursor=dXNlcjpVMDYx%2B%2F%3D");
  EXPECT_EQ(QueryParam("https://h/x?cursor=dXNlcjpVMDYx%2B%2F%3D&a=1", "cursor"),
            std::optional<std::string>("dXNlcjpVMDYx+/="));
  EXPECT_EQ(QueryParam("https://h/x?a=1", "cursor"), std::nullopt);
  EXPECT_EQ(QueryParam("https://h/x?flag&a=%zz", "a"), std::optional<std::string>("%zz"));
}

TEST(PagerTest, PageNumbersCountUpUntilAShortOrEmptyPage) {
  PagingScheme s;
  s.kind = PagingScheme::Kind::kPageNumber;
  s.per_page = 50;
  HttpRequest first = HttpRequest::Get("https://jenkins.example/api/builds?per_page=50");
  auto next = NextPage(s, first, Answer(), 50);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->url, "https://jenkins.example/api/builds?per_page=50&page=2");
  auto third = NextPage(s, **next, Answer(), 50);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->url, "https://jenkins.example/api/builds?per_page=50&page=3");
  EXPECT_FALSE(NextPage(s, **third, Answer(), 49)->has_value());  // short: the last
  EXPECT_FALSE(NextPage(s, **third, Answer(), 0)->has_value());
  // X-Total-Pages ends it even on a full page.
  EXPECT_FALSE(NextPage(s, **third, Answer("[]", {{"x-total-pages", "3"}}), 50)->has_value());
  EXPECT_TRUE(NextPage(s, **third, Answer("[]", {{"x-total-pages", "4"}}), 50)->has_value());
  // Headers of the request travel with it (the token).
  first.SetHeader("Authorization", "Bearer t");
  EXPECT_EQ((*NextPage(s, first, Answer(), 50))->Header("authorization"),
            std::optional<std::string>("Bearer t"));
  HttpRequest bad = HttpRequest::Get("https://h/x?page=two");
  EXPECT_EQ(NextPage(s, bad, Answer(), 50).status().code(), StatusCode::kInvalidArgument);
}

TEST(PagerTest, GitlabsNextPageHeaderIsAuthoritative) {
  PagingScheme s;
  s.kind = PagingScheme::Kind::kPageNumber;
  s.per_page = 20;
  HttpRequest r =
      HttpRequest::Get("https://gitlab.example/api/v4/projects/1/merge_requests?page=1");
  // A short page that GitLab says is not the last (items filtered by access).
  auto next = NextPage(s, r, Answer("[]", {{"x-next-page", "2"}}), 3);
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->url, "https://gitlab.example/api/v4/projects/1/merge_requests?page=2");
  // A full page that GitLab says is the last.
  EXPECT_FALSE(NextPage(s, r, Answer("[]", {{"x-next-page", ""}}), 20)->has_value());
  EXPECT_EQ(NextPage(s, r, Answer("[]", {{"x-next-page", "2; drop"}}), 20).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(PagerTest, CursorsComeFromTheBodyUntilEmptyOrNoMore) {
  PagingScheme slack;
  slack.kind = PagingScheme::Kind::kCursor;
  slack.cursor_param = "cursor";
  slack.cursor_path = {"response_metadata", "next_cursor"};
  HttpRequest r = HttpRequest::Get("https://slack.com/api/conversations.history?channel=C1");
  auto next = NextPage(
      slack, r,
      Answer(R"({"ok":true,"messages":[],"response_metadata":{"next_cursor":"bmV4dA=="}})"), 0);
  ASSERT_TRUE(next.ok() && next->has_value()) << next.status().ToString();
  EXPECT_EQ((*next)->url,
            "https://slack.com/api/conversations.history?channel=C1&cursor=bmV4dA%3D%3D");
  EXPECT_FALSE(NextPage(slack, **next, Answer(R"({"response_metadata":{"next_cursor":""}})"), 0)
                   ->has_value());
  EXPECT_FALSE(NextPage(slack, **next, Answer(R"({"ok":true})"), 0)->has_value());
  // The same cursor again is a loop.
  EXPECT_EQ(
      NextPage(slack, **next, Answer(R"({"response_metadata":{"next_cursor":"bmV4dA=="}})"), 0)
          .status()
          .code(),
      StatusCode::kDataLoss);
  EXPECT_EQ(NextPage(slack, r, Answer("<html>"), 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      NextPage(slack, r, Answer(R"({"response_metadata":{"next_cursor":[1]}})"), 0).status().code(),
      StatusCode::kInvalidArgument);

  PagingScheme linear;  // GraphQL pageInfo
  linear.kind = PagingScheme::Kind::kCursor;
  linear.cursor_param = "after";
  linear.cursor_path = {"data", "issues", "pageInfo", "endCursor"};
  linear.has_more_path = {"data", "issues", "pageInfo", "hasNextPage"};
  HttpRequest q = HttpRequest::Get("https://api.linear.app/issues");
  EXPECT_TRUE(
      NextPage(linear, q,
               Answer(R"({"data":{"issues":{"pageInfo":{"hasNextPage":true,"endCursor":"c1"}}}})"),
               0)
          ->has_value());
  EXPECT_FALSE(
      NextPage(linear, q,
               Answer(R"({"data":{"issues":{"pageInfo":{"hasNextPage":false,"endCursor":"c1"}}}})"),
               0)
          ->has_value());
}

TEST(PagerTest, LinkSchemeFollowsTheLinkHeader) {
  PagingScheme s;  // kLink by default
  HttpRequest r = HttpRequest::Get("https://api.github.com/repos/o/r/pulls?per_page=100");
  HttpResponse a = Answer(
      "[]", {{"link",
              "<https://api.github.com/repositories/1/pulls?per_page=100&page=2>; rel=\"next\""}});
  a.url = r.url;
  auto next = NextPage(s, r, a, 100);
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->url, "https://api.github.com/repositories/1/pulls?per_page=100&page=2");
  EXPECT_FALSE(NextPage(s, r, Answer(), 100)->has_value());
}

}  // namespace
}  // namespace sei::net
