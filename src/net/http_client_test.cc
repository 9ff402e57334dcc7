#include "net/http_client.h"

#include <gtest/gtest.h>

namespace sei::net {
namespace {

TEST(HttpClientTest, RedactUrlDropsUserInfoAndSecretParameters) {
  EXPECT_EQ(RedactUrl("https://api.github.com/repos/a/b/issues?page=2&per_page=100"),
            "https://api.github.com/repos/a/b/issues?page=2&per_page=100");
  EXPECT_EQ(RedactUrl("https://x-access-token:ghs_abc@github.com/a/b.git"),
            "https://github.com/a/b.git");
  EXPECT_EQ(RedactUrl("https://gitlab.example.com/api/v4/projects?private_token=glpat-1&page=3"),
            "https://gitlab.example.com/api/v4/projects?private_token=REDACTED&page=3");
  EXPECT_EQ(RedactUrl("https://h/p?a=1&access_token=s3&client_secret=s4&API_KEY=s5#frag"),
            "https://h/p?a=1&access_token=REDACTED&client_secret=REDACTED&API_KEY=REDACTED");
  EXPECT_EQ(RedactUrl("https://h/p?sig=abc&page"), "https://h/p?sig=REDACTED&page");
  // An '@' in the path or query is not user info.
  EXPECT_EQ(RedactUrl("https://h/users/a@b?q=x@y"), "https://h/users/a@b?q=x@y");
}

TEST(HttpClientTest, RequestHeadersAreReplacedInAnyCase) {
  HttpRequest r = HttpRequest::Get("https://h/");
  r.headers = {{"authorization", "token old"}, {"Accept", "a"}, {"AUTHORIZATION", "token dup"}};
  r.SetHeader("Authorization", "Bearer new");
  EXPECT_EQ(r.Header("authorization"), "Bearer new");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].first, "Accept");
  r.RemoveHeader("accept");
  EXPECT_FALSE(r.Header("Accept").has_value());
}

TEST(HttpClientTest, ResponseHeaderJoinsRepeatedFields) {
  HttpResponse r;
  r.headers = {{"link", "<a>; rel=\"next\""}, {"etag", "\"x\""}, {"link", "<b>; rel=\"last\""}};
  EXPECT_EQ(r.Header("Link"), "<a>; rel=\"next\", <b>; rel=\"last\"");
  EXPECT_EQ(r.Header("ETAG"), "\"x\"");
  EXPECT_FALSE(r.Header("retry-after").has_value());
}

}  // namespace
}  // namespace sei::net
