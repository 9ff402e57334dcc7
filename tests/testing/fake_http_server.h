// FakeHttpServer: a small HTTP/1.1 server for tests, on 127.0.0.1 port 0,
// that answers scripted responses or a handler's, records every request, and
// misbehaves on demand.
//
// Why: the HTTP client (src/net/curl_http_client.h) and the connectors built
// on it are tested against real sockets and a real libcurl, without the
// network: keep-alive (connections are counted), compression, timeouts, cut
// bodies and 5xx bursts are all produced here. The fake GitHub server is a
// handler on top of it.
//
// How it answers: a handler set with the constructor or SetHandler() sees
// every request; without one, Script() lists the responses for an exact
// (method, target) pair, served in turn with the last one repeated (so
// {502, 502, 502, 200} is "502 three times, then 200"), and anything else
// is a 404 saying that nothing was scripted. Connections are kept alive
// until the client closes them or a response asks for close.
//
// Misbehaviour (FakeResponse fields): `delay` before the status line (read
// timeouts), `stall_after_headers` between the head and the body,
// `truncate_at` (the Content-Length of the whole body, then only that many
// bytes, then close), `gzip` (the body compressed, Content-Encoding: gzip),
// `chunked` (Transfer-Encoding: chunked), `close` (Connection: close).
// Requests with a chunked body are not supported (their body reads empty).
//
// Thread safety: the server runs an accept thread and one thread per
// connection; every public method may be called from any thread. The handler
// is called on connection threads, possibly on several at once, and must be
// thread-safe itself. Stop() (and the destructor) waits for those threads;
// a handler must not call Stop().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace sei::testing {

using FakeHeaders = std::vector<std::pair<std::string, std::string>>;

struct FakeRequest {
  std::string method;
  std::string target;   // as sent: "/path?query" (absolute-form when sent through a proxy)
  std::string path;     // target before '?'
  std::string query;    // target after '?' (without it)
  FakeHeaders headers;  // names lower-cased, values trimmed
  std::string body;
  int connection = 0;  // 1-based number of the TCP connection it came on

  // The first header named `name` (any case).
  std::optional<std::string> Header(std::string_view name) const;
};

struct FakeResponse {
  int status = 200;
  FakeHeaders headers;  // sent as given; Content-Length/Transfer-Encoding are added
  std::string body;

  std::chrono::milliseconds delay{0};                // before the status line
  std::chrono::milliseconds stall_after_headers{0};  // after the head, before the body
  std::optional<size_t> truncate_at;                 // send only this many body bytes, then close
  bool gzip = false;
  bool chunked = false;
  bool close = false;

  static FakeResponse Text(int status, std::string body);
  static FakeResponse Json(int status, std::string body);
  FakeResponse& WithHeader(std::string name, std::string value);
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  // Listens on 127.0.0.1, port 0 (check started()).
  explicit FakeHttpServer(Handler handler = nullptr);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  // "http://127.0.0.1:<port>" + target.
  std::string Url(std::string_view target = "") const;

  void SetHandler(Handler handler);
  // Answers `method target` with `responses` in turn, the last one repeating.
  void Script(const std::string& method, const std::string& target,
              std::vector<FakeResponse> responses);

  std::vector<FakeRequest> requests() const;
  size_t request_count() const;
  int connections_accepted() const { return connections_.load(); }

  // Closes the listener and every connection and joins the threads.
  void Stop();

 private:
  void AcceptLoop();
  void Serve(int fd, int connection);
  FakeResponse Answer(const FakeRequest& request);
  bool WriteResponse(int fd, const FakeRequest& request, FakeResponse response);
  // Waits `d` or until Stop(); false when stopped.
  bool WaitFor(std::chrono::milliseconds d);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;  // signalled by Stop()
  Handler handler_;                  // guarded by mu_
  struct Route {
    std::vector<FakeResponse> responses;
    size_t next = 0;
  };
  std::map<std::pair<std::string, std::string>, Route> routes_;  // guarded by mu_
  std::vector<FakeRequest> requests_;                            // guarded by mu_
  std::vector<std::thread> connection_threads_;                  // guarded by mu_
  std::set<int> open_fds_;                                       // guarded by mu_
};

// The gzip encoding of `data` (zlib, for bodies and tests that check decoding).
std::string GzipCompress(std::string_view data);

}  // namespace sei::testing
