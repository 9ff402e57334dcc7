#include "net/curl_http_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "testing/fake_http_server.h"

namespace sei::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeHttpServer;
using testing::FakeResponse;

constexpr const char* kToken = "ghp_SECRETSECRETSECRET0123456789abcdef";

// Options for talking to the fake server: no proxy, whatever the environment.
CurlHttpClientOptions LocalOptions() {
  CurlHttpClientOptions o;
  o.proxy = "";
  o.connect_timeout = seconds(5);
  o.read_timeout = seconds(10);
  o.total_timeout = seconds(20);
  return o;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class CurlHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.started()); }
  FakeHttpServer server_;
};

TEST_F(CurlHttpClientTest, GetReturnsStatusBodyAndLowerCasedHeaders) {
  server_.Script("GET", "/repos/a/b?page=2",
                 {FakeResponse::Json(200, R"({"id":1})")
                      .WithHeader("X-RateLimit-Remaining", "4997")
                      .WithHeader("ETag", "W/\"abc\"")});
  CurlHttpClient client(LocalOptions());
  HttpRequest req = HttpRequest::Get(server_.Url("/repos/a/b?page=2"));
  req.SetHeader("Authorization", std::string("Bearer ") + kToken);
  req.SetHeader("If-None-Match", "W/\"old\"");
  auto r = client.Send(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"id":1})");
  EXPECT_EQ(r->url, req.url);
  EXPECT_EQ(r->Header("x-ratelimit-remaining"), "4997");
  EXPECT_EQ(r->Header("ETag"), "W/\"abc\"");  // lookup in any case
  for (const auto& [name, value] : r->headers) EXPECT_EQ(name, AsciiLower(name));

  const auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].Header("authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(seen[0].Header("if-none-match"), "W/\"old\"");
  EXPECT_EQ(seen[0].Header("user-agent"), DefaultUserAgent());
  EXPECT_EQ(DefaultUserAgent(), "sei/" + std::string(SEI_TEST_VERSION));
  ASSERT_TRUE(seen[0].Header("accept-encoding").has_value());
  EXPECT_NE(seen[0].Header("accept-encoding")->find("gzip"), std::string::npos);
}

TEST_F(CurlHttpClientTest, ErrorStatusesAreOkResults) {
  server_.Script("GET", "/missing", {FakeResponse::Json(404, R"({"message":"Not Found"})")});
  server_.Script("GET", "/broken", {FakeResponse::Text(503, "down")});
  CurlHttpClient client(LocalOptions());
  auto missing = client.Send(HttpRequest::Get(server_.Url("/missing")));
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"message":"Not Found"})");
  auto broken = client.Send(HttpRequest::Get(server_.Url("/broken")));
  ASSERT_TRUE(broken.ok()) << broken.status().ToString();
  EXPECT_EQ(broken->status, 503);
}

TEST_F(CurlHttpClientTest, KeepAliveReusesOneConnection) {
  for (int i = 0; i < 5; ++i) {
    server_.Script("GET", "/page/" + std::to_string(i),
                   {FakeResponse::Json(200, std::string(1000 + i, 'x'))});
  }
  CurlHttpClient client(LocalOptions());
  for (int i = 0; i < 5; ++i) {
    auto r = client.Send(HttpRequest::Get(server_.Url("/page/" + std::to_string(i))));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body.size(), 1000u + i);
  }
  EXPECT_EQ(server_.connections_accepted(), 1);
  for (const auto& req : server_.requests()) EXPECT_EQ(req.connection, 1);
}

TEST_F(CurlHttpClientTest, ClosedConnectionIsReopened) {
  FakeResponse closing = FakeResponse::Text(200, "bye");
  closing.close = true;
  server_.Script("GET", "/a", {closing});
  CurlHttpClient client(LocalOptions());
  ASSERT_TRUE(client.Send(HttpRequest::Get(server_.Url("/a"))).ok());
  auto again = client.Send(HttpRequest::Get(server_.Url("/a")));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->body, "bye");
  EXPECT_EQ(server_.connections_accepted(), 2);
}

TEST_F(CurlHttpClientTest, GzipBodiesAreDecoded) {
  std::string json = "[";
  for (int i = 0; i < 2000; ++i) json += R"({"number":)" + std::to_string(i) + "},";
  json.back() = ']';
  FakeResponse gz = FakeResponse::Json(200, json);
  gz.gzip = true;
  server_.Script("GET", "/issues", {gz});
  CurlHttpClient client(LocalOptions());
  auto r = client.Send(HttpRequest::Get(server_.Url("/issues")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, json);
  EXPECT_EQ(r->Header("content-encoding"), "gzip");
  EXPECT_LT(std::stoul(*r->Header("content-length")), json.size() / 4);  // really compressed
}

// `slow` (scripted at /slow) against a 1 s read timeout: a clear error within
// about a second of the timeout being due.
void ExpectReadTimeout(FakeHttpServer* server, FakeResponse slow) {
  server->Script("GET", "/slow", {std::move(slow)});
  CurlHttpClientOptions o = LocalOptions();
  o.read_timeout = seconds(1);
  CurlHttpClient client(o);
  const auto start = std::chrono::steady_clock::now();
  auto r = client.Send(HttpRequest::Get(server->Url("/slow")));
  ASSERT_FALSE(r.ok());
  EXPECT_LT(SecondsSince(start), 3.0);
  EXPECT_GE(SecondsSince(start), 0.9);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("no data received for 1.0s (read timeout)"),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("GET " + server->Url("/slow")), std::string::npos)
      << r.status().message();
}

TEST_F(CurlHttpClientTest, ReadTimeoutFiresWhenNoBytesArrive) {
  FakeResponse slow = FakeResponse::Text(200, "late");
  slow.delay = seconds(4);
  ExpectReadTimeout(&server_, slow);
}

TEST_F(CurlHttpClientTest, ReadTimeoutFiresWhenTheBodyStalls) {
  FakeResponse stall = FakeResponse::Text(200, "body after a pause");
  stall.stall_after_headers = seconds(4);
  ExpectReadTimeout(&server_, stall);
}

TEST_F(CurlHttpClientTest, RequestTimeoutOverridesTheTotal) {
  FakeResponse slow = FakeResponse::Text(200, "late");
  slow.delay = seconds(4);
  server_.Script("GET", "/slow", {slow});
  CurlHttpClient client(LocalOptions());  // read timeout 10 s
  HttpRequest req = HttpRequest::Get(server_.Url("/slow"));
  req.timeout = milliseconds(500);
  const auto start = std::chrono::steady_clock::now();
  auto r = client.Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(SecondsSince(start), 2.5);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("timed out"), std::string::npos) << r.status().message();
}

TEST_F(CurlHttpClientTest, TruncatedBodyIsAnError) {
  FakeResponse cut = FakeResponse::Json(200, std::string(10000, 'a'));
  cut.truncate_at = 4000;
  server_.Script("GET", "/cut", {cut});
  FakeResponse cut_chunked = cut;
  cut_chunked.chunked = true;
  server_.Script("GET", "/cut-chunked", {cut_chunked});
  CurlHttpClient client(LocalOptions());
  for (const char* target : {"/cut", "/cut-chunked"}) {
    auto r = client.Send(HttpRequest::Get(server_.Url(target)));
    ASSERT_FALSE(r.ok()) << target << " gave " << r->body.size() << " bytes";
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << target;
    EXPECT_NE(r.status().message().find(server_.Url(target)), std::string::npos);
    EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  }
}

TEST_F(CurlHttpClientTest, ChunkedBodiesArrive) {
  FakeResponse chunked = FakeResponse::Json(200, std::string(10000, 'b'));
  chunked.chunked = true;
  server_.Script("GET", "/chunked", {chunked});
  CurlHttpClient client(LocalOptions());
  auto r = client.Send(HttpRequest::Get(server_.Url("/chunked")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, std::string(10000, 'b'));
}

TEST_F(CurlHttpClientTest, MaximumResponseSizeIsEnforced) {
  server_.Script("GET", "/exact", {FakeResponse::Text(200, std::string(1000, 'e'))});
  server_.Script("GET", "/big", {FakeResponse::Text(200, std::string(5000, 'x'))});
  FakeResponse chunked = FakeResponse::Text(200, std::string(5000, 'y'));
  chunked.chunked = true;  // no Content-Length to refuse up front
  server_.Script("GET", "/big-chunked", {chunked});
  FakeResponse bomb = FakeResponse::Text(200, std::string(100000, 'z'));
  bomb.gzip = true;  // small on the wire, large decoded
  server_.Script("GET", "/bomb", {bomb});
  CurlHttpClientOptions o = LocalOptions();
  o.max_response_bytes = 1000;
  CurlHttpClient client(o);
  auto exact = client.Send(HttpRequest::Get(server_.Url("/exact")));
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ(exact->body.size(), 1000u);
  for (const char* target : {"/big", "/big-chunked", "/bomb"}) {
    auto r = client.Send(HttpRequest::Get(server_.Url(target)));
    ASSERT_FALSE(r.ok()) << target;
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << target;
    EXPECT_NE(r.status().message().find("exceeds the limit"), std::string::npos)
        << r.status().message();
  }
}

TEST_F(CurlHttpClientTest, ConnectionRefusedIsAClearErrorWithoutTheToken) {
  FakeHttpServer gone;
  ASSERT_TRUE(gone.started());
  const std::string url = gone.Url("/repos/a/b");
  gone.Stop();  // nothing listens on that port now
  CurlHttpClient client(LocalOptions());
  HttpRequest req = HttpRequest::Get(url);
  req.SetHeader("Authorization", std::string("token ") + kToken);
  auto r = client.Send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("GET " + url), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("onnect"), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().find(kToken), std::string::npos);
}

TEST_F(CurlHttpClientTest, UrlCredentialsNeverReachTheMessage) {
  CurlHttpClient client(LocalOptions());
  auto r = client.Send(HttpRequest::Get("http://user:hunter2@127.0.0.1:1/x?access_token=abc123"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("hunter2"), std::string::npos) << r.status().message();
  EXPECT_EQ(r.status().message().find("abc123"), std::string::npos) << r.status().message();
}

TEST_F(CurlHttpClientTest, BadUrlsAndHeadersAreInvalidArguments) {
  CurlHttpClient client(LocalOptions());
  auto ftp = client.Send(HttpRequest::Get("ftp://127.0.0.1/file"));
  ASSERT_FALSE(ftp.ok());
  EXPECT_EQ(ftp.status().code(), StatusCode::kInvalidArgument) << ftp.status().ToString();
  HttpRequest injected = HttpRequest::Get(server_.Url("/x"));
  injected.SetHeader("X-Evil", "a\r\nX-Injected: 1");
  auto bad = client.Send(injected);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(CurlHttpClientTest, PostPutAndHeadSendWhatTheyShould) {
  server_.Script("POST", "/graphql", {FakeResponse::Json(200, R"({"data":{}})")});
  server_.Script("PUT", "/empty", {FakeResponse::Json(204, "")});
  server_.Script("HEAD", "/head", {FakeResponse::Json(200, "not sent for HEAD")});
  CurlHttpClient client(LocalOptions());
  HttpRequest post;
  post.method = "POST";
  post.url = server_.Url("/graphql");
  post.body = R"({"query":"{ viewer { login } }"})";
  post.SetHeader("Content-Type", "application/json");
  auto p = client.Send(post);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->body, R"({"data":{}})");
  HttpRequest put;
  put.method = "PUT";
  put.url = server_.Url("/empty");
  ASSERT_TRUE(client.Send(put).ok());
  HttpRequest head;
  head.method = "HEAD";
  head.url = server_.Url("/head");
  auto h = client.Send(head);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->body, "");
  const auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, post.body);
  EXPECT_EQ(seen[0].Header("content-type"), "application/json");
  EXPECT_FALSE(seen[0].Header("expect").has_value());
  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(seen[1].Header("content-length"), "0");
  EXPECT_EQ(seen[2].method, "HEAD");
}

TEST_F(CurlHttpClientTest, RedirectsAreFollowedAndTheFinalUrlReported) {
  server_.Script("GET", "/repos/old/name",
                 {FakeResponse::Json(301, "").WithHeader("Location", "/repositories/42")});
  server_.Script("GET", "/repositories/42", {FakeResponse::Json(200, R"({"id":42})")});
  CurlHttpClient client(LocalOptions());
  auto r = client.Send(HttpRequest::Get(server_.Url("/repos/old/name")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"id":42})");
  EXPECT_EQ(r->url, server_.Url("/repositories/42"));
  EXPECT_FALSE(r->Header("location").has_value());  // the final response's headers only
}

// With `proxy` unset, libcurl takes http_proxy from the environment: the
// request reaches the fake server (the "proxy") in absolute form.
TEST_F(CurlHttpClientTest, ProxyComesFromTheEnvironment) {
  server_.Script("GET", "http://sei-proxy-test.invalid/x", {FakeResponse::Text(200, "via proxy")});
  const char* old = std::getenv("http_proxy");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("http_proxy", server_.Url().c_str(), 1);
  CurlHttpClientOptions o = LocalOptions();
  o.proxy.reset();
  CurlHttpClient client(o);
  auto r = client.Send(HttpRequest::Get("http://sei-proxy-test.invalid/x"));
  if (old != nullptr) {
    ::setenv("http_proxy", saved.c_str(), 1);
  } else {
    ::unsetenv("http_proxy");
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "via proxy");
}

}  // namespace
}  // namespace sei::net
