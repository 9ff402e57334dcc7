#include "testing/fake_git_server.h"

#include <cstdlib>

#include "testing/test_util.h"

namespace sei::testing {

namespace {

std::string Base64(const std::string& in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// A CGI answer ("Status: 404 Not Found\r\nContent-Type: ...\r\n\r\nbody") as
// an HTTP response.
FakeResponse FromCgi(const std::string& out) {
  size_t end = out.find("\r\n\r\n");
  size_t sep = 4;
  if (end == std::string::npos) {
    end = out.find("\n\n");
    sep = 2;
  }
  if (end == std::string::npos) return FakeResponse::Text(500, "git http-backend: no headers\n");
  FakeResponse resp;
  resp.body = out.substr(end + sep);
  size_t at = 0;
  while (at < end) {
    size_t nl = out.find('\n', at);
    if (nl == std::string::npos || nl > end) nl = end;
    std::string line = out.substr(at, nl - at);
    at = nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "Status") {
      resp.status = std::atoi(value.c_str());
    } else if (name != "Content-Length") {
      resp.WithHeader(name, value);
    }
  }
  return resp;
}

}  // namespace

FakeGitServer::FakeGitServer(std::string root)
    : root_(std::move(root)),
      server_(
          std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return Answer(r); })) {}

void FakeGitServer::RequireBasicAuth(const std::string& user, const std::string& password) {
  authorization_ = BasicAuthorization(user, password);
}

std::string FakeGitServer::Url(const std::string& repo_path) const {
  return server_->Url("/" + repo_path);
}

std::string FakeGitServer::BasicAuthorization(const std::string& user,
                                              const std::string& password) {
  return "Basic " + Base64(user + ":" + password);
}

FakeResponse FakeGitServer::Answer(const FakeRequest& r) const {
  if (!authorization_.empty() && r.Header("authorization").value_or("") != authorization_) {
    FakeResponse denied = FakeResponse::Text(401, "Authentication required\n");
    denied.WithHeader("WWW-Authenticate", "Basic realm=\"fake git\"");
    return denied;
  }
  std::vector<std::string> env = {
      "GIT_PROJECT_ROOT=" + root_,
      "GIT_HTTP_EXPORT_ALL=1",
      "GIT_CONFIG_NOSYSTEM=1",
      "GIT_CONFIG_GLOBAL=/dev/null",
      "PATH_INFO=" + r.path,
      "QUERY_STRING=" + r.query,
      "REQUEST_METHOD=" + r.method,
      "CONTENT_TYPE=" + r.Header("content-type").value_or(""),
      "CONTENT_LENGTH=" + std::to_string(r.body.size()),
      "REMOTE_ADDR=127.0.0.1",
  };
  if (auto protocol = r.Header("git-protocol")) env.push_back("HTTP_GIT_PROTOCOL=" + *protocol);
  CommandResult cgi = RunCommand({"git", "http-backend"}, root_, env, r.body);
  if (cgi.exit_code != 0 && cgi.out.empty()) {
    return FakeResponse::Text(500, "git http-backend failed: " + cgi.err);
  }
  return FromCgi(cgi.out);
}

}  // namespace sei::testing
