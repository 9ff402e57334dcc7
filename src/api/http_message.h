// The server's view of one HTTP exchange, independent of Boost.Beast: what a
// route handler reads (method, path, query parameters, lower-cased headers,
// body, the peer's address) and what it returns (status, content type, body,
// extra headers). Bodies are shared so that a cached response is sent to many
// clients without copying it per request.
//
// Thread safety: value types.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace sei::api {

struct HttpRequest {
  std::string method;                             // "GET"
  std::string target;                             // "/api/v1/metrics/dora?since=90d" as sent
  std::string path;                               // "/api/v1/metrics/dora", percent-decoded
  std::multimap<std::string, std::string> query;  // decoded; repeated keys kept
  std::map<std::string, std::string> headers;     // names lower-cased
  std::string body;
  std::string remote_addr;
  std::map<std::string, std::string> path_params;  // filled by the router
  // Filled while dispatching, for the access log and counters.
  size_t route_index = static_cast<size_t>(-1);
  std::string caller_id;

  // The first value of query parameter `name`, or nullopt.
  std::optional<std::string> Param(const std::string& name) const;
  std::vector<std::string> Params(const std::string& name) const;
  std::optional<std::string> Header(const std::string& lower_name) const;
};

// The far end of a response that stays open (Server-Sent Events): the
// server writes the status and headers, then hands a sink to
// HttpResponse::stream; producers Send text into it from any thread, and
// the server writes each piece as one chunk, in order, until the client goes
// away, the producer Ends it, the client reads too slowly (more than the
// server's limit queued), or the server shuts down.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues `text` (non-empty); false once the stream is closed.
  virtual bool Send(std::string text) = 0;
  virtual bool open() const = 0;
  // Finishes the response (the last chunk) and closes the connection.
  virtual void End() = 0;
};

struct HttpResponse;
// Answers a deferred response (HttpResponse::deferred); call it once, from
// any thread.
using Reply = std::function<void(HttpResponse)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::shared_ptr<const std::string> body;
  // The same body gzip-compressed, when the producer made it already (the
  // metrics cache does); the server compresses large bodies otherwise.
  std::shared_ptr<const std::string> gzipped;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the response is a stream: `body` is ignored, and this is called
  // once with the sink after the headers were written (on a server thread;
  // it must not block).
  std::function<void(std::shared_ptr<StreamSink>)> stream;
  // When set, the answer comes later and this response is not sent: the
  // server calls `deferred` at once with a Reply and frees its thread (a
  // push waits for its group commit without holding a server thread).
  std::function<void(Reply)> deferred;

  const std::string& Body() const;
};

// 200 with `doc` as compact JSON.
HttpResponse JsonResponse(const nlohmann::json& doc, int status = 200);
// An error as {"error": {"status", "code", "message", "details"?}}.
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const nlohmann::json& details = nullptr);
// The one mapping from a Status to an HTTP status (invalid argument 400,
// not found 404, already exists 409, failed precondition 409, permission
// denied 403, unavailable 503, resource exhausted 429, else 500).
int HttpStatusOf(const Status& s);
HttpResponse ErrorResponse(const Status& s);

// "%2F" -> "/", "+" -> " " when `plus_is_space`; false on a bad escape.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);
// Splits "a=1&b=2" into decoded pairs; false on a bad escape.
bool ParseQueryString(std::string_view qs, std::multimap<std::string, std::string>* out);

}  // namespace sei::api
