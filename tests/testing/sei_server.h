// A real `sei serve` process for integration tests: started on port 0 with
// a given store, its bound address read from its first line of output, and
// a minimal HTTP/1.1 client over POSIX sockets that speaks to it (one
// request per connection, or raw bytes for slow-client and keep-alive
// tests). Stop() sends a signal and returns the exit code.
//
// Thread safety: one test thread per object.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace sei::testing {

struct HttpReply {
  int status = 0;                              // 0: no answer (connection failed or closed early)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Parses one HTTP/1.1 response from `raw` (Content-Length or close-delimited).
HttpReply ParseHttpReply(const std::string& raw);

class SeiServer {
 public:
  // `args` follow `sei --db DB serve --listen 127.0.0.1:0 --access-log off`.
  SeiServer(const std::string& db, const std::vector<std::string>& args = {},
            const std::vector<std::string>& env = {});
  // A whole command line, argv[0] the binary: it must listen on
  // 127.0.0.1:0 (and print its address first, as `sei serve` does).
  struct Argv {
    std::vector<std::string> argv;
  };
  SeiServer(Argv argv, const std::vector<std::string>& env);
  ~SeiServer();

  bool started() const { return port_ > 0; }
  // Sent as "Authorization: Bearer <token>" with every request that does
  // not set its own Authorization header.
  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& startup_output() const { return first_line_; }
  int port() const { return port_; }

  HttpReply Get(const std::string& target, const std::map<std::string, std::string>& headers = {});
  HttpReply Send(const std::string& method, const std::string& target, const std::string& body,
                 const std::map<std::string, std::string>& headers = {});
  // Connects and returns the socket (-1 on failure); the caller writes raw
  // bytes with WriteAll and reads with ReadAll.
  int Connect();
  static bool WriteAll(int fd, const std::string& bytes);
  // Reads until the peer closes or `timeout_ms` passes.
  static std::string ReadAll(int fd, int timeout_ms);

  // Sends `sig`, waits for the process, returns its exit code (128+signal
  // when killed).
  int Stop(int sig);
  pid_t pid() const { return pid_; }

 private:
  void Start(std::vector<std::string> argv, const std::vector<std::string>& env);

  pid_t pid_ = -1;
  int port_ = 0;
  std::string first_line_;
  std::string token_;
};

// Another long-running `sei` command (`sei worker`): `args` follow
// `sei --db DB`; started() once it wrote its first line.
class SeiProcess {
 public:
  SeiProcess(const std::string& db, const std::vector<std::string>& args,
             const std::vector<std::string>& env = {});
  ~SeiProcess();  // SIGKILL when still running
  SeiProcess(const SeiProcess&) = delete;
  SeiProcess& operator=(const SeiProcess&) = delete;

  bool started() const { return pid_ > 0 && !first_line_.empty(); }
  const std::string& first_line() const { return first_line_; }
  pid_t pid() const { return pid_; }
  // Sends `sig`, waits, returns the exit code (128+signal when killed).
  int Stop(int sig);

 private:
  pid_t pid_ = -1;
  std::string first_line_;
};

// An open live-update stream (GET /api/v1/events, Server-Sent Events): the
// request sent, then reads as they come.
class EventStream {
 public:
  EventStream(SeiServer& s, const std::string& target, const std::string& token,
              const std::string& extra_headers = "")
      : fd_(s.Connect()) {
    SeiServer::WriteAll(fd_, "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 token + "\r\n" + extra_headers + "\r\n");
  }
  ~EventStream() {
    if (fd_ >= 0) close(fd_);
  }
  // Reads until `needle` has arrived after what was consumed (true), the
  // peer closed or `ms` passed (false); consumes through the needle.
  bool Until(const std::string& needle, int ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (true) {
      const size_t at = seen_.find(needle);
      if (at != std::string::npos) {
        last_ = seen_.substr(0, at + needle.size());
        seen_.erase(0, at + needle.size());
        return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0 || closed_) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        continue;
      }
      seen_.append(buf, static_cast<size_t>(n));
    }
  }
  // The data line of the next event named `name` ("" when none came).
  std::string NextData(const std::string& name, int ms = 5000) {
    if (!Until("event: " + name + "\n", ms) || !Until("\n\n", ms)) return "";
    const size_t d = last_.find("data: ");
    if (d == std::string::npos) return "";
    std::string data = last_.substr(d + 6);
    while (!data.empty() && data.back() == '\n') data.pop_back();
    return data;
  }
  const std::string& head() const { return head_; }
  bool ReadHead() {
    if (!Until("\r\n\r\n")) return false;
    head_ = last_;
    return true;
  }
  bool closed() const { return closed_; }
  std::string rest() const { return seen_; }

 private:
  int fd_;
  std::string seen_, last_, head_;
  bool closed_ = false;
};

}  // namespace sei::testing
