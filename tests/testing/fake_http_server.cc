#include "testing/fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sei::testing {
namespace {

constexpr size_t kMaxHead = 64 * 1024;
constexpr int kPollMillis = 50;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Parses the request line and headers of `head` (without the blank line).
bool ParseHead(std::string_view head, FakeRequest* r) {
  size_t eol = head.find("\r\n");
  const std::string_view line = head.substr(0, eol);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 <= sp1) return false;
  r->method = std::string(line.substr(0, sp1));
  r->target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  const size_t q = r->target.find('?');
  r->path = r->target.substr(0, q);
  r->query = q == std::string::npos ? "" : r->target.substr(q + 1);
  while (eol != std::string_view::npos) {
    const size_t start = eol + 2;
    eol = head.find("\r\n", start);
    const std::string_view h =
        head.substr(start, eol == std::string_view::npos ? eol : eol - start);
    const size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    r->headers.emplace_back(Lower(Trim(h.substr(0, colon))),
                            std::string(Trim(h.substr(colon + 1))));
  }
  return true;
}

}  // namespace

std::optional<std::string> FakeRequest::Header(std::string_view name) const {
  const std::string lower = Lower(name);
  for (const auto& [n, v] : headers) {
    if (n == lower) return v;
  }
  return std::nullopt;
}

FakeResponse FakeResponse::Text(int status, std::string body) {
  return FakeResponse{status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)};
}

FakeResponse FakeResponse::Json(int status, std::string body) {
  return FakeResponse{
      status, {{"Content-Type", "application/json; charset=utf-8"}}, std::move(body)};
}

FakeResponse& FakeResponse::WithHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string GzipCompress(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return "";
  }
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "";
}

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return;
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    return;
  }
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeHttpServer::~FakeHttpServer() { Stop(); }

std::string FakeHttpServer::Url(std::string_view target) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(target);
}

void FakeHttpServer::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

void FakeHttpServer::Script(const std::string& method, const std::string& target,
                            std::vector<FakeResponse> responses) {
  std::lock_guard<std::mutex> lock(mu_);
  routes_[{method, target}] = Route{std::move(responses), 0};
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t FakeHttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

void FakeHttpServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_.exchange(true)) return;
    stop_cv_.notify_all();
  }
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);  // wakes the accept loop's poll
  if (accept_thread_.joinable()) accept_thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(connection_threads_);
  }
  for (std::thread& t : threads) t.join();
}

bool FakeHttpServer::WaitFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stop_cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void FakeHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMillis) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int one = 1;  // no Nagle delay between a head and a body sent separately
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    const int connection = ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_.load()) {
      ::close(fd);
      return;
    }
    open_fds_.insert(fd);
    connection_threads_.emplace_back([this, fd, connection] { Serve(fd, connection); });
  }
}

void FakeHttpServer::Serve(int fd, int connection) {
  std::string buf;
  char chunk[16 * 1024];
  bool open = true;
  while (open && !stopping_.load()) {
    size_t head_end = buf.find("\r\n\r\n");
    // Read until a whole head, then until the whole body, is in `buf`.
    FakeRequest request;
    size_t need = 0;
    while (!stopping_.load()) {
      if (head_end == std::string::npos) head_end = buf.find("\r\n\r\n");
      if (head_end != std::string::npos && need == 0) {
        if (!ParseHead(std::string_view(buf).substr(0, head_end), &request)) break;
        const auto length = request.Header("content-length");
        need = head_end + 4 + (length ? std::strtoull(length->c_str(), nullptr, 10) : 0);
      }
      if (need > 0 && buf.size() >= need) break;
      if (buf.size() > kMaxHead && head_end == std::string::npos) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, kPollMillis) <= 0) continue;
      const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) break;
      buf.append(chunk, static_cast<size_t>(n));
    }
    if (need == 0 || buf.size() < need) break;  // closed, stopped or malformed
    request.body = buf.substr(head_end + 4, need - head_end - 4);
    request.connection = connection;
    buf.erase(0, need);
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
    }
    FakeResponse response = Answer(request);
    const auto conn = request.Header("connection");
    open = !response.close && !response.truncate_at && !(conn && Lower(*conn) == "close");
    if (!WriteResponse(fd, request, std::move(response))) open = false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.erase(fd);
  }
  ::close(fd);
}

FakeResponse FakeHttpServer::Answer(const FakeRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    handler = handler_;
    if (!handler) {
      auto it = routes_.find({request.method, request.target});
      if (it == routes_.end() || it->second.responses.empty()) {
        return FakeResponse::Text(404, "FakeHttpServer: nothing scripted for " + request.method +
                                           " " + request.target + "\n");
      }
      Route& route = it->second;
      const FakeResponse& r = route.responses[std::min(route.next, route.responses.size() - 1)];
      ++route.next;
      return r;
    }
  }
  return handler(request);
}

bool FakeHttpServer::WriteResponse(int fd, const FakeRequest& request, FakeResponse r) {
  if (r.delay.count() > 0 && !WaitFor(r.delay)) return false;
  if (r.gzip) {
    r.body = GzipCompress(r.body);
    r.headers.emplace_back("Content-Encoding", "gzip");
  }
  std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + Reason(r.status) + "\r\n";
  for (const auto& [name, value] : r.headers) head += name + ": " + value + "\r\n";
  if (r.chunked) {
    head += "Transfer-Encoding: chunked\r\n";
  } else {
    head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  }
  if (r.close || r.truncate_at) head += "Connection: close\r\n";
  head += "\r\n";
  if (!SendAll(fd, head)) return false;
  if (r.stall_after_headers.count() > 0 && !WaitFor(r.stall_after_headers)) return false;
  if (request.method == "HEAD") return true;
  const size_t send = std::min(r.body.size(), r.truncate_at.value_or(r.body.size()));
  const std::string_view body = std::string_view(r.body).substr(0, send);
  if (!r.chunked) return SendAll(fd, body);
  constexpr size_t kChunk = 4096;
  for (size_t pos = 0; pos < r.body.size(); pos += kChunk) {
    const size_t n = std::min(kChunk, r.body.size() - pos);
    char size_line[32];
    std::snprintf(size_line, sizeof(size_line), "%zx\r\n", n);
    const bool cut = pos + n > send;
    if (!SendAll(fd, size_line) || !SendAll(fd, body.substr(pos, cut ? send - pos : n))) {
      return false;
    }
    if (cut) return false;  // the truncation: close inside a chunk
    if (!SendAll(fd, "\r\n")) return false;
  }
  return SendAll(fd, "0\r\n\r\n");
}

}  // namespace sei::testing
