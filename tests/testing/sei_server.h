// A real `sei serve` process for integration tests: started on port 0 with
// a given store, its bound address read from its first line of output, and
// a minimal HTTP/1.1 client over POSIX sockets that speaks to it (one
// request per connection, or raw bytes for slow-client and keep-alive
// tests). Stop() sends a signal and returns the exit code.
//
// Thread safety: one test thread per object.
#pragma once

#include <sys/types.h>

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

}  // namespace sei::testing
