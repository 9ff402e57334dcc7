// FakeGitServer: git's smart HTTP protocol for tests, on FakeHttpServer
// (127.0.0.1, port 0), answered by `git http-backend` (run as a CGI program
// per request) over the repositories under a root directory; optionally
// behind HTTP Basic authentication the way GitHub asks for a token: 401
// with WWW-Authenticate until a request carries the expected user and
// password.
//
// Why: cloning and fetching over http(s) with credentials (a GitHub
// connection's token) is tested against a real git server and libgit2's
// real transport, without the network; every request is recorded, so tests
// can check what the client sent (and that the token never appears in a
// URL).
//
// Thread safety: as FakeHttpServer; the expected credentials are set before
// the first request.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "testing/fake_http_server.h"

namespace sei::testing {

class FakeGitServer {
 public:
  // Serves every repository under `root` ("<root>/acme/api.git" is
  // Url("acme/api.git")).
  explicit FakeGitServer(std::string root);

  // Answers 401 unless a request's Authorization is Basic user:password.
  void RequireBasicAuth(const std::string& user, const std::string& password);

  bool started() const { return server_->started(); }
  // "http://127.0.0.1:<port>/" + repo_path.
  std::string Url(const std::string& repo_path) const;
  std::vector<FakeRequest> requests() const { return server_->requests(); }
  // The Authorization header Basic user:password gives.
  static std::string BasicAuthorization(const std::string& user, const std::string& password);

 private:
  FakeResponse Answer(const FakeRequest& r) const;

  std::string root_;
  std::string authorization_;  // expected; empty: none asked for
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace sei::testing
