// FakeHttpClient: an HttpClient (src/net/http_client.h) that answers from a
// script or a handler and records every request, without sockets.
//
// Why: code layered on an HttpClient (the RetryingClient, collectors) is
// tested against exact sequences of answers, transport errors included,
// deterministically and instantly. For tests that need real sockets and
// libcurl, use tests/testing/fake_http_server.h instead.
//
// Script() queues answers served in order; once the queue is empty the
// handler (if any) answers, else Send returns an Internal error saying that
// nothing was scripted, so a test notices an unexpected extra request.
//
// Thread safety: every method may be called from any thread; a mutex guards
// the script and the record. The handler is called without the lock held.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "net/http_client.h"

namespace sei::net {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  explicit FakeHttpClient(Handler handler = nullptr) : handler_(std::move(handler)) {}

  void Script(Result<HttpResponse> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back(std::move(answer));
  }
  // A response with `status`, `headers` (names as given) and `body`.
  static HttpResponse Response(int status, HttpHeaders headers = {}, std::string body = "") {
    HttpResponse r;
    r.status = status;
    for (auto& [name, value] : headers) r.headers.emplace_back(AsciiLower(name), std::move(value));
    r.body = std::move(body);
    return r;
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      if (!script_.empty()) {
        Result<HttpResponse> next = std::move(script_.front());
        script_.pop_front();
        if (next.ok()) next->url = request.url;
        return next;
      }
      handler = handler_;
    }
    if (handler) return handler(request);
    return InternalError("FakeHttpClient: nothing scripted for " + request.method + " " +
                         request.url);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;
  Handler handler_;                          // guarded by mu_
  std::deque<Result<HttpResponse>> script_;  // guarded by mu_
  std::vector<HttpRequest> requests_;        // guarded by mu_
};

}  // namespace sei::net
