#include "api/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "api/gzip.h"

namespace sei::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void CloseIfIdle() = 0;
};

struct HttpServer::Impl {
  ServerOptions options;
  Dispatch dispatch;
  Observer observer;
  asio::io_context ioc;
  std::optional<asio::ssl::context> ssl;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> streams{0};
  std::string address;

  std::mutex mu;  // guards sessions and done
  std::condition_variable cv;
  std::set<std::shared_ptr<SessionBase>> sessions;
  bool done = false;

  void Accept();
  void Add(const std::shared_ptr<SessionBase>& s) {
    std::lock_guard<std::mutex> l(mu);
    sessions.insert(s);
  }
  void Remove(const std::shared_ptr<SessionBase>& s) {
    std::lock_guard<std::mutex> l(mu);
    sessions.erase(s);
    cv.notify_all();
  }
};

namespace {

HttpRequest ToRequest(const http::request<http::string_body>& req, const std::string& remote) {
  HttpRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  const size_t q = r.target.find('?');
  if (!PercentDecode(std::string_view(r.target).substr(0, q), false, &r.path)) r.path = "\x01";
  if (q != std::string::npos &&
      !ParseQueryString(std::string_view(r.target).substr(q + 1), &r.query)) {
    r.path = "\x01";  // the dispatcher answers 400 for a malformed target
  }
  for (const auto& f : req) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    r.headers[name] = std::string(f.value());
  }
  r.body = req.body();
  r.remote_addr = remote;
  return r;
}

bool AcceptsGzip(const http::request<http::string_body>& req) {
  auto it = req.find(http::field::accept_encoding);
  return it != req.end() && it->value().find("gzip") != beast::string_view::npos;
}

// One connection: reads requests one after the other (keep-alive), hands
// each to the dispatcher, writes the answer. Runs on its own strand.
template <class Stream>
class Session : public SessionBase,
                public StreamSink,
                public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl* server, Stream stream, std::string remote)
      : server_(server),
        stream_(std::move(stream)),
        remote_(std::move(remote)),
        deadline_(stream_.get_executor()) {}

  void Begin() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(server_->options.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->ReadHeader();
                              });
    } else {
      ReadHeader();
    }
  }

  void CloseIfIdle() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->streaming_) return self->EndOnStrand();
      // Bytes already sent but not read yet are a request in flight: it is
      // read and answered (then the connection closes).
      beast::error_code ec;
      const size_t waiting = beast::get_lowest_layer(self->stream_).socket().available(ec);
      if (self->idle_ && (ec || waiting == 0)) self->Close();
    });
  }

  // ---- StreamSink (any thread) ----
  bool Send(std::string text) override {
    if (!open_ || text.empty()) return open_;
    if (queued_.fetch_add(text.size()) + text.size() > server_->options.stream_max_queued) {
      End();  // too slow a reader: it will reconnect and catch up
      return false;
    }
    asio::post(stream_.get_executor(),
               [self = this->shared_from_this(), t = std::move(text)]() mutable {
                 self->Enqueue(std::move(t));
               });
    return true;
  }
  bool open() const override { return open_; }
  void End() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->EndOnStrand(); });
  }

 private:
  void ReadHeader() {
    idle_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->options.max_header_bytes));
    parser_->body_limit(server_->options.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(server_->options.idle_timeout);
    if (server_->stopping) return Close();
    if (buffer_.size() > 0) {  // a pipelined request is already here
      return asio::post(stream_.get_executor(),
                        [self = this->shared_from_this()] { self->OnFirstBytes({}); });
    }
    // Raw bytes, not the parser: the parser would wait for whole headers
    // under the idle timeout.
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              self->OnFirstBytes(ec);
                            });
  }

  // The first bytes of a request: from here on it is in flight, and must
  // arrive whole within request_timeout.
  void OnFirstBytes(beast::error_code ec) {
    idle_ = false;
    if (ec) return Fail(ec);
    started_ = std::chrono::steady_clock::now();
    ++server_->in_flight;
    counted_ = true;
    // The whole request must arrive by the deadline; when it passes, the
    // reads are cancelled and the client gets a 408.
    beast::get_lowest_layer(stream_).expires_never();
    timed_out_ = false;
    deadline_.expires_after(server_->options.request_timeout);
    deadline_.async_wait([self = this->shared_from_this()](beast::error_code e) {
      if (e || !self->reading_) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().cancel(ignored);
    });
    reading_ = true;
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code e, size_t) {
                              if (e) return self->Fail(e);
                              self->OnHeader();
                            });
  }

  void OnHeader() {
    auto& req = parser_->get();
    if (req[http::field::expect] == "100-continue" && !parser_->is_done()) {
      auto len = parser_->content_length();
      if (len && *len > server_->options.max_body_bytes) return Reject(413, "body too large");
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *cont,
                        [self = this->shared_from_this(), cont](beast::error_code e, size_t) {
                          if (e) return self->Fail(e);
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return Handle();
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code e, size_t) {
                       if (e) return self->Fail(e);
                       self->Handle();
                     });
  }

  void Handle() {
    reading_ = false;
    deadline_.cancel();
    const auto& req = parser_->get();
    HttpRequest r = ToRequest(req, remote_);
    HttpResponse out = server_->dispatch(r);
    const bool gzip = AcceptsGzip(req), keep_alive = req.keep_alive(),
               head = req.method() == http::verb::head;
    if (out.deferred) {
      auto request = std::make_shared<HttpRequest>(std::move(r));
      // Outstanding work: without it the threads' run() would return once
      // Shutdown closed the acceptor, and the answer would never be written.
      auto work = std::make_shared<asio::executor_work_guard<asio::any_io_executor>>(
          stream_.get_executor());
      out.deferred([self = this->shared_from_this(), request, gzip, keep_alive, head,
                    work](HttpResponse answer) {
        asio::post(self->stream_.get_executor(), [self, request, gzip, keep_alive, head, work,
                                                  answer = std::move(answer)] {
          self->Write(*request, answer, gzip, keep_alive && !self->server_->stopping, head);
          work->reset();
        });
      });
      return;
    }
    Write(r, out, gzip, keep_alive && !server_->stopping, head);
  }

  void Write(const HttpRequest& r, const HttpResponse& out, bool gzip, bool keep_alive, bool head) {
    if (out.stream && !head) return StartStream(r, out);
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(out.status), 11);
    res->set(http::field::server, "sei");
    res->set(http::field::content_type, out.content_type);
    for (const auto& [k, v] : out.headers) res->set(k, v);
    const std::string& body = out.Body();
    if (gzip && out.gzipped) {
      res->body() = *out.gzipped;
      res->set(http::field::content_encoding, "gzip");
    } else if (gzip && body.size() >= server_->options.gzip_min_bytes &&
               out.content_type.find("event-stream") == std::string::npos) {
      res->body() = GzipCompress(body);
      res->set(http::field::content_encoding, "gzip");
    } else {
      res->body() = body;
    }
    if (res->body().size() != body.size() || out.gzipped)
      res->set(http::field::vary, "Accept-Encoding");
    res->keep_alive(keep_alive);
    res->prepare_payload();
    if (head) res->body().clear();
    info_request_ = std::make_shared<HttpRequest>(r);
    status_ = out.status;
    // A client that does not read its answer is dropped after this.
    beast::get_lowest_layer(stream_).expires_after(std::max<std::chrono::milliseconds>(
        server_->options.request_timeout, std::chrono::seconds(30)));
    http::async_write(
        stream_, *res,
        [self = this->shared_from_this(), res, keep_alive](beast::error_code e, size_t n) {
          self->Done(n);
          if (e || !keep_alive) return self->Close();
          self->ReadHeader();
        });
  }

  // A stream: the headers now (chunked, never compressed), then each piece
  // Sent as a chunk. Reads go on, only to notice the client leaving.
  void StartStream(const HttpRequest& r, const HttpResponse& out) {
    auto res = std::make_shared<http::response<http::empty_body>>(
        static_cast<http::status>(out.status), 11);
    res->set(http::field::server, "sei");
    res->set(http::field::content_type, out.content_type);
    res->set(http::field::cache_control, "no-cache");
    res->set("X-Accel-Buffering", "no");  // nginx: do not buffer the stream
    for (const auto& [k, v] : out.headers) res->set(k, v);
    res->chunked(true);
    res->keep_alive(false);
    auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    info_request_ = std::make_shared<HttpRequest>(r);
    status_ = out.status;
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    http::async_write_header(stream_, *sr,
                             [self = this->shared_from_this(), res, sr, open = out.stream](
                                 beast::error_code e, size_t n) {
                               self->Done(n);
                               if (e) return self->Close();
                               beast::get_lowest_layer(self->stream_).expires_never();
                               self->streaming_ = true;
                               self->idle_ = true;
                               ++self->server_->streams;
                               self->open_ = true;
                               if (self->server_->stopping) return self->EndOnStrand();
                               self->WatchClient();
                               self->Heartbeat();
                               open(self);
                             });
  }

  void WatchClient() {
    stream_.async_read_some(buffer_.prepare(1024),
                            [self = this->shared_from_this()](beast::error_code e, size_t n) {
                              if (e) return self->Close();
                              self->buffer_.commit(n);
                              self->buffer_.consume(self->buffer_.size());
                              self->WatchClient();
                            });
  }

  void Heartbeat() {
    deadline_.expires_after(server_->options.stream_heartbeat);
    deadline_.async_wait([self = this->shared_from_this()](beast::error_code e) {
      if (e || self->closed_) return;
      self->queued_ += 3;
      self->Enqueue(": \n\n");
      self->Heartbeat();
    });
  }

  void Enqueue(std::string text) {
    if (closed_ || ending_) {
      queued_ -= text.size();
      return;
    }
    pending_.push_back(std::move(text));
    if (!writing_) WriteNext();
  }

  void WriteNext() {
    if (pending_.empty()) {
      writing_ = false;
      if (ending_) WriteLast();
      return;
    }
    writing_ = true;
    current_ = std::move(pending_.front());
    pending_.pop_front();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    asio::async_write(stream_, http::make_chunk(asio::buffer(current_)),
                      [self = this->shared_from_this()](beast::error_code e, size_t) {
                        self->queued_ -= self->current_.size();
                        if (e) return self->Close();
                        beast::get_lowest_layer(self->stream_).expires_never();
                        self->WriteNext();
                      });
  }

  void EndOnStrand() {
    if (closed_ || ending_) return;
    ending_ = true;
    open_ = false;
    if (!writing_) WriteLast();
  }

  void WriteLast() {
    writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    asio::async_write(
        stream_, http::make_chunk_last(),
        [self = this->shared_from_this()](beast::error_code, size_t) { self->Close(); });
  }

  // A request the server refuses by itself (too large, too slow, malformed).
  void Reject(int status, const std::string& why) {
    reading_ = false;
    deadline_.cancel();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    HttpRequest r;
    if (parser_ && parser_->is_header_done()) r = ToRequest(parser_->get(), remote_);
    r.remote_addr = remote_;
    const char* code = status == 413   ? "body_too_large"
                       : status == 408 ? "request_timeout"
                       : status == 431 ? "headers_too_large"
                                       : "bad_request";
    Write(r, ErrorResponse(status, code, why), false, false, false);
  }

  void Fail(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Reject(413, "the body is larger than the server's limit of " +
                             std::to_string(server_->options.max_body_bytes) + " bytes");
    }
    if (ec == http::error::header_limit) return Reject(431, "the headers are too large");
    if (timed_out_ && !idle_) {
      return Reject(408, "the request did not arrive within " +
                             std::to_string(server_->options.request_timeout.count()) + " ms");
    }
    if (!idle_ && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return Reject(400, "malformed HTTP request: " + ec.message());
    }
    Done(0);
    Close();
  }

  void Done(size_t bytes) {
    if (!counted_) return;
    counted_ = false;
    --server_->in_flight;
    if (server_->observer && info_request_) {
      ExchangeInfo info;
      info.request = info_request_.get();
      info.status = status_;
      info.bytes_out = bytes;
      info.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      server_->observer(info);
    }
    info_request_.reset();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    open_ = false;
    if (streaming_) {
      streaming_ = false;
      --server_->streams;
    }
    deadline_.cancel();
    Done(0);
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
    server_->Remove(this->shared_from_this());
  }

  HttpServer::Impl* server_;
  Stream stream_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpRequest> info_request_;
  std::chrono::steady_clock::time_point started_;
  asio::steady_timer deadline_;
  int status_ = 0;
  bool reading_ = false;
  bool timed_out_ = false;
  bool idle_ = true;
  bool counted_ = false;
  bool closed_ = false;
  // Streams: set on the strand; open_ is read by producers on any thread.
  bool streaming_ = false;
  bool writing_ = false;
  bool ending_ = false;
  std::atomic<bool> open_{false};
  std::atomic<size_t> queued_{0};
  std::deque<std::string> pending_;
  std::string current_;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping && ec != asio::error::operation_aborted) Accept();
      return;
    }
    beast::error_code rec;
    auto ep = socket.remote_endpoint(rec);
    const std::string remote = rec ? "" : ep.address().to_string();
    std::shared_ptr<SessionBase> s;
    if (ssl) {
      auto t = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *ssl),
          remote);
      s = t;
      Add(s);
      t->Begin();
    } else {
      auto t = std::make_shared<Session<beast::tcp_stream>>(
          this, beast::tcp_stream(std::move(socket)), remote);
      s = t;
      Add(s);
      t->Begin();
    }
    if (!stopping) Accept();
  });
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  Shutdown();
  Wait();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options,
                                                      Dispatch dispatch, Observer observer) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->dispatch = std::move(dispatch);
  impl->observer = std::move(observer);
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return InvalidArgumentError("TLS needs both --tls-cert and --tls-key");
    }
    impl->ssl.emplace(asio::ssl::context::tls_server);
    beast::error_code ec;
    impl->ssl->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1);
    impl->ssl->use_certificate_chain_file(options.tls_cert_file, ec);
    if (ec) {
      return InvalidArgumentError("TLS certificate '" + options.tls_cert_file +
                                  "' cannot be used: " + ec.message() + " (a PEM file is needed)");
    }
    impl->ssl->use_private_key_file(options.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) {
      return InvalidArgumentError("TLS key '" + options.tls_key_file +
                                  "' cannot be used: " + ec.message() +
                                  " (a PEM private key matching the certificate is needed)");
    }
  }
  beast::error_code ec;
  auto addr = asio::ip::make_address(options.host, ec);
  if (ec) {
    return InvalidArgumentError("listen address '" + options.host +
                                "' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::1)");
  }
  tcp::endpoint ep(addr, options.port);
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(ep, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return UnavailableError(
        "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
        ec.message() + " (is another server using the port? --listen HOST:0 picks a free one)");
  }
  const auto bound = impl->acceptor.local_endpoint();
  impl->address = (bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                           : bound.address().to_string()) +
                  ":" + std::to_string(bound.port());
  impl->Accept();
  int n = options.threads > 0 ? options.threads
                              : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) impl->threads.emplace_back([p = impl.get()] { p->ioc.run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::string HttpServer::address() const { return impl_->address; }
bool HttpServer::tls() const { return impl_->ssl.has_value(); }
int64_t HttpServer::in_flight() const { return impl_->in_flight.load(); }
int64_t HttpServer::streams() const { return impl_->streams.load(); }

void HttpServer::Shutdown() {
  Impl* p = impl_.get();
  if (p->stopping.exchange(true)) return;
  asio::post(p->ioc, [p] {
    beast::error_code ec;
    p->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard<std::mutex> l(p->mu);
    live.assign(p->sessions.begin(), p->sessions.end());
  }
  for (auto& s : live) s->CloseIfIdle();
  {
    std::unique_lock<std::mutex> l(p->mu);
    p->cv.wait_for(l, p->options.shutdown_grace, [p] { return p->sessions.empty(); });
  }
  p->ioc.stop();
  for (auto& t : p->threads) t.join();
  p->threads.clear();
  std::lock_guard<std::mutex> l(p->mu);
  p->sessions.clear();
  p->done = true;
  p->cv.notify_all();
}

void HttpServer::Wait() {
  std::unique_lock<std::mutex> l(impl_->mu);
  impl_->cv.wait(l, [this] { return impl_->done; });
}

}  // namespace sei::api
