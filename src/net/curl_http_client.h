// CurlHttpClient: the production HttpClient (http_client.h), on libcurl.
//
// Why: libcurl is the HTTP client the design picked (docs: DESIGN.md
// "Dependencies"); this adapter turns its error codes into Status values
// that name the URL, and applies the limits a collector that runs unattended
// for hours needs. curl.h stays in the .cc: sei_net's public headers do not
// include it.
//
// What it does for every request:
//   - Keep-alive: one CURL easy handle per client, reset between requests
//     (curl_easy_reset keeps live connections, the DNS and TLS session
//     caches), so consecutive requests to one host reuse one connection.
//   - Compression: Accept-Encoding for every encoding libcurl was built with
//     (CURLOPT_ACCEPT_ENCODING ""); bodies arrive decoded.
//   - Time limits: a connect timeout, an overall timeout (the request's own
//     `timeout` when set), and a read timeout: no byte received or sent for
//     `read_timeout` fails the request. Decision: the read timeout is a
//     CURLOPT_XFERINFOFUNCTION progress callback that compares a steady
//     clock against the last header/body byte seen, not
//     CURLOPT_LOW_SPEED_LIMIT/TIME, so the error can say "no data for 30 s"
//     instead of libcurl's averaged-speed message, and so header bytes count
//     as activity. libcurl calls it at least once a second, so the timeout
//     fires within about a second after it is due.
//   - Size limit: a response body larger than `max_response_bytes` (after
//     decoding) fails with kResourceExhausted; a Content-Length above it is
//     refused before the body is read.
//   - A body shorter than its Content-Length (or a chunked body cut off) is
//     kUnavailable "response body truncated" (CURLE_PARTIAL_FILE), never a
//     short ok response.
//   - TLS: peer and host verification are always on; `ca_bundle_path`
//     replaces the system CA store (for private GitHub Enterprise CAs).
//   - Proxies: with `proxy` unset, libcurl's own environment lookup applies:
//     `http_proxy` for http:// URLs, `https_proxy` (or `HTTPS_PROXY`) for
//     https://, `all_proxy` as a fallback, and `no_proxy` for exceptions
//     (libcurl ignores upper-case `HTTP_PROXY`, by design). `proxy = ""`
//     disables proxies, whatever the environment says.
//   - Redirects: followed (at most `max_redirects`), only to http(s); an
//     https request is never redirected to plain http. libcurl does not
//     forward a custom Authorization header to another host.
//   - User-Agent: "sei/<version>" (the version `sei --version` prints).
// Transport errors are kUnavailable (worth retrying), except a malformed or
// unsupported URL (kInvalidArgument), a TLS certificate problem
// (kFailedPrecondition: retrying will not fix it), a body over the limit
// (kResourceExhausted) and an undecodable body (kDataLoss).
//
// curl_global_init runs once per process, on the first client constructed
// (std::call_once); curl_global_cleanup is never called.
//
// Thread safety: one client per thread. A CurlHttpClient owns one easy handle
// and must not be used by two threads at once; create one per thread (they
// share nothing). Distinct clients may run concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/http_client.h"

namespace sei::net {

struct CurlHttpClientOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds read_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds total_timeout{std::chrono::minutes(5)};
  int64_t max_response_bytes = int64_t{64} << 20;  // 64 MiB
  std::string ca_bundle_path;                      // empty: the system CA store
  std::optional<std::string> proxy;                // unset: environment; "": none
  int max_redirects = 5;                           // 0: do not follow redirects
  std::string user_agent;                          // empty: DefaultUserAgent()
};

// "sei/<version>", e.g. "sei/0.1.0".
std::string DefaultUserAgent();

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

  const CurlHttpClientOptions& options() const { return options_; }

 private:
  CurlHttpClientOptions options_;
  void* curl_ = nullptr;  // CURL*, kept opaque so that curl.h stays out of this header
};

}  // namespace sei::net
