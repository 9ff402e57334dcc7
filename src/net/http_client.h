// HttpClient: the one interface every remote connector (GitHub, GitLab,
// Jira, ...) sends its HTTP requests through.
//
// Why: collectors must be testable without the network and without libcurl.
// They take an HttpClient&; production wires CurlHttpClient
// (curl_http_client.h), usually wrapped in RetryingClient
// (retrying_client.h) for back-off, rate limits and token rotation, and tests
// wire a fake (tests/fakes/fake_http_client.h) or a real client against
// tests/testing/fake_http_server.h.
//
// The contract every implementation keeps:
//   - A transport failure (DNS, connection refused, timeout, a body cut
//     short, TLS) is a non-ok Status whose message names the method and the
//     URL as RedactUrl() prints it, and never a credential. kUnavailable
//     marks the failures worth retrying.
//   - Any HTTP answer, 4xx and 5xx included, is an ok Result carrying that
//     status; deciding what a 404 or a 502 means is the caller's job.
//   - Response header names are lower-cased; bodies are decoded
//     (Content-Encoding undone).
//
// Thread safety: HttpRequest and HttpResponse are values. Whether one
// HttpClient may be used from several threads at once is up to each
// implementation and said in its header; assume it may not.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sei::net {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // upper case: GET, HEAD, POST, PUT, PATCH, DELETE
  std::string url;             // absolute http:// or https:// URL
  HttpHeaders headers;         // sent as given, in order
  std::string body;            // sent when non-empty (and always for POST/PUT/PATCH)
  // Overrides the client's overall time limit for this request.
  std::optional<std::chrono::milliseconds> timeout;

  static HttpRequest Get(std::string url);

  // Replaces every header named `name` (any case) by one `name: value`.
  void SetHeader(std::string_view name, std::string value);
  // Removes every header named `name` (any case).
  void RemoveHeader(std::string_view name);
  // The first header named `name` (any case).
  std::optional<std::string> Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 0;       // HTTP status of the final response (after redirects)
  HttpHeaders headers;  // names lower-cased, values trimmed, in the order received
  std::string body;     // decoded body
  std::string url;      // the URL that answered (differs from the request after redirects)

  // The value of header `name` (any case); several headers of that name are
  // joined with ", " as RFC 9110 section 5.3 allows (e.g. two Link headers).
  std::optional<std::string> Header(std::string_view name) const;
};

// `url` fit for logs and error messages: user:password@ dropped and the values
// of query parameters that look like credentials (access_token, private_token,
// token, key, api_key, secret, password, sig, signature, client_secret ...)
// replaced by "REDACTED".
std::string RedactUrl(std::string_view url);

// ASCII lower case of `s`.
std::string AsciiLower(std::string_view s);

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends `request` and returns the response; see the contract above.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace sei::net
