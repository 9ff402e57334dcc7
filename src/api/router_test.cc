#include "api/router.h"

#include <gtest/gtest.h>

#include "api/gzip.h"
#include "api/http_message.h"

namespace sei::api {
namespace {

HttpResponse Ok(const HttpRequest&, const Caller&) { return JsonResponse({{"ok", true}}); }

TEST(RouterTest, MatchesParamsMethodsAndReportsAllowed) {
  Router r;
  r.Add({"GET",
         "/api/v1/metrics/{family}",
         RouteGroup::kScopedMetrics,
         "m",
         "",
         {},
         "",
         {200},
         "",
         Ok});
  r.Add({"POST", "/api/v1/push/deployments", RouteGroup::kPush, "p", "", {}, "", {200}, "", Ok});
  r.Add({"DELETE",
         "/api/v1/push/deployments/{id}",
         RouteGroup::kPush,
         "d",
         "",
         {},
         "",
         {200},
         "",
         Ok});
  auto m = r.Match("GET", "/api/v1/metrics/dora");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("family"), "dora");
  EXPECT_NE(r.Match("HEAD", "/api/v1/metrics/dora").route, nullptr);  // HEAD of a GET
  EXPECT_EQ(r.Match("GET", "/api/v1/metrics").route, nullptr);
  EXPECT_EQ(r.Match("GET", "/api/v1/metrics/dora/extra").route, nullptr);
  auto wrong = r.Match("GET", "/api/v1/push/deployments");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.method_mismatch);
  EXPECT_EQ(wrong.allowed, "POST");
  EXPECT_EQ(r.Match("DELETE", "/api/v1/push/deployments/x-1").params.at("id"), "x-1");
}

TEST(RouterTest, OpenApiHasEveryRouteWithItsParameters) {
  Router r;
  r.Add({"GET",
         "/a/{x}",
         RouteGroup::kPublic,
         "A",
         "",
         {{"x", "path", "string", "the x"}},
         "",
         {200, 404},
         "t",
         Ok});
  r.Add({"POST",
         "/a/{x}",
         RouteGroup::kPush,
         "B",
         "",
         {{"x", "path", "string", "the x"}},
         "Thing",
         {200},
         "t",
         Ok});
  auto doc = r.OpenApi("1.2.3", {{"Thing", {{"type", "object"}}}});
  ASSERT_TRUE(doc["paths"].contains("/a/{x}"));
  EXPECT_EQ(doc["paths"]["/a/{x}"].size(), 2u);
  EXPECT_TRUE(doc["paths"]["/a/{x}"]["get"]["responses"].contains("404"));
  EXPECT_FALSE(doc["paths"]["/a/{x}"]["get"].contains("security"));  // public
  EXPECT_TRUE(doc["paths"]["/a/{x}"]["post"].contains("security"));
  EXPECT_EQ(doc["paths"]["/a/{x}"]["post"]["requestBody"]["content"]["application/json"]["schema"]
               ["$ref"],
            "#/components/schemas/Thing");
  EXPECT_EQ(doc["info"]["version"], "1.2.3");
}

TEST(HttpMessageTest, QueryStringsDecodeAndRejectBadEscapes) {
  std::multimap<std::string, std::string> q;
  ASSERT_TRUE(ParseQueryString("team=Pay%20ments&metric=a&metric=b&flag&x=1+2", &q));
  EXPECT_EQ(q.find("team")->second, "Pay ments");
  EXPECT_EQ(q.count("metric"), 2u);
  EXPECT_EQ(q.find("flag")->second, "");
  EXPECT_EQ(q.find("x")->second, "1 2");
  std::multimap<std::string, std::string> bad;
  EXPECT_FALSE(ParseQueryString("a=%zz", &bad));
  EXPECT_FALSE(ParseQueryString("a=%2", &bad));
}

TEST(HttpMessageTest, StatusMapsToHttp) {
  EXPECT_EQ(HttpStatusOf(InvalidArgumentError("x")), 400);
  EXPECT_EQ(HttpStatusOf(NotFoundError("x")), 404);
  EXPECT_EQ(HttpStatusOf(PermissionDeniedError("x")), 403);
  EXPECT_EQ(HttpStatusOf(UnavailableError("x")), 503);
  // Internal errors keep their message out of the body.
  auto r = ErrorResponse(InternalError("/secret/path failed"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.Body().find("/secret/path"), std::string::npos);
}

TEST(GzipTest, RoundTripsAndRefusesGarbage) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "deployment " + std::to_string(i % 7) + "\n";
  const std::string gz = GzipCompress(text);
  EXPECT_LT(gz.size(), text.size() / 5);
  auto back = GzipDecompress(gz);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
  EXPECT_FALSE(GzipDecompress("not gzip at all").ok());
  EXPECT_FALSE(GzipDecompress(gz.substr(0, gz.size() / 2)).ok());
}

}  // namespace
}  // namespace sei::api
