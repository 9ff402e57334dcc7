// HttpServer: HTTP/1.1 on Boost.Beast, with keep-alive, a worker pool of
// threads sized to the cores, limits on header and body size and on the time
// a request may take to arrive (slow clients are cut off), gzip for large
// responses, optional TLS, and graceful shutdown: Shutdown() stops accepting,
// closes idle keep-alive connections, lets every request in flight finish and
// be answered, then returns.
//
// The server knows nothing of routes or auth: every complete request goes to
// one Dispatch function (api/api_server.h builds it), run on a worker thread.
//
// Thread safety: Start() once; Shutdown() and address() from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_message.h"
#include "common/result.h"

namespace sei::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: a free port (address() tells which)
  int threads = 0;       // 0: one per core, at least 2
  size_t max_body_bytes = 8u << 20;
  size_t max_header_bytes = 16u << 10;
  // A request's headers and body must arrive within this time; an idle
  // keep-alive connection is closed after idle_timeout.
  std::chrono::milliseconds request_timeout{15000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds shutdown_grace{20000};
  size_t gzip_min_bytes = 1024;
  // Streams (HttpResponse::stream): a comment line is sent this often, so
  // proxies keep the connection and a vanished client is noticed; a client
  // with more than stream_max_queued bytes not yet written is dropped.
  std::chrono::milliseconds stream_heartbeat{15000};
  size_t stream_max_queued = 1u << 20;
  std::string tls_cert_file;  // PEM; TLS when both are set
  std::string tls_key_file;
};

// What happened to one request, for the access log and counters; called
// after the response was written (or the connection failed).
struct ExchangeInfo {
  const HttpRequest* request = nullptr;
  int status = 0;
  size_t bytes_out = 0;
  double seconds = 0;
};

using Dispatch = std::function<HttpResponse(HttpRequest&)>;
// Rejections the server makes itself (413, 408, 400) also reach it, with
// a request holding what was read.
using Observer = std::function<void(const ExchangeInfo&)>;

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options, Dispatch dispatch,
                                                   Observer observer);
  ~HttpServer();

  // "127.0.0.1:8080" (the bound port when 0 was asked).
  std::string address() const;
  bool tls() const;
  // Graceful: returns when every connection is closed (or the grace ended).
  void Shutdown();
  // Blocks until Shutdown() completed.
  void Wait();
  // Requests being read, handled or written right now (open streams are
  // not counted: they wait, they do not work).
  int64_t in_flight() const;
  // Open streams.
  int64_t streams() const;

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sei::api
