#include "testing/sei_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "testing/test_util.h"

namespace sei::testing {

HttpReply ParseHttpReply(const std::string& raw) {
  HttpReply r;
  const size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.compare(0, 5, "HTTP/") != 0) return r;
  const size_t sp = raw.find(' ');
  r.status = std::atoi(raw.c_str() + sp + 1);
  size_t pos = raw.find("\r\n") + 2;
  while (pos < end) {
    const size_t eol = raw.find("\r\n", pos);
    const std::string line = raw.substr(pos, eol - pos);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      r.headers[name] = line.substr(v);
    }
    pos = eol + 2;
  }
  r.body = raw.substr(end + 4);
  auto cl = r.headers.find("content-length");
  if (cl != r.headers.end()) {
    const size_t n = std::stoul(cl->second);
    if (r.body.size() < n) {
      r.status = 0;  // truncated
    } else {
      r.body.resize(n);
    }
  }
  return r;
}

namespace {

// Forks and execs `argv` with `env` added to this process's environment;
// waits (30 s at most) for the first line it writes to stdout.
pid_t Spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            std::string* first_line) {
  int out[2];
  if (pipe(out) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    std::vector<std::string> args(argv);
    std::vector<char*> c;
    for (auto& a : args) c.push_back(a.data());
    c.push_back(nullptr);
    std::vector<std::string> envs(env.begin(), env.end());
    for (char** e = environ; *e != nullptr; ++e) envs.emplace_back(*e);
    std::vector<char*> ce;
    for (auto& e : envs) ce.push_back(e.data());
    ce.push_back(nullptr);
    execve(c[0], c.data(), ce.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char ch;
  pollfd p{out[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos && poll(&p, 1, 30000) > 0 &&
         read(out[0], &ch, 1) == 1) {
    line.push_back(ch);
  }
  close(out[0]);
  *first_line = line;
  return pid;
}

int StopProcess(pid_t* pid, int sig) {
  if (*pid <= 0) return -1;
  kill(*pid, sig);
  int status = 0;
  waitpid(*pid, &status, 0);
  *pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

SeiServer::SeiServer(const std::string& db, const std::vector<std::string>& args,
                     const std::vector<std::string>& env) {
  std::vector<std::string> argv = {
      BinaryDir() + "/bin/sei", "--db", db, "serve", "--listen", "127.0.0.1:0",
      "--access-log",           "off"};
  argv.insert(argv.end(), args.begin(), args.end());
  Start(std::move(argv), env);
}

SeiServer::SeiServer(Argv argv, const std::vector<std::string>& env) {
  Start(std::move(argv.argv), env);
}

void SeiServer::Start(std::vector<std::string> argv, const std::vector<std::string>& env) {
  // The first line names the address: "... listening on http://127.0.0.1:PORT ..."
  pid_ = Spawn(argv, env, &first_line_);
  const size_t at = first_line_.find("127.0.0.1:");
  if (at != std::string::npos) port_ = std::atoi(first_line_.c_str() + at + 10);
}

SeiProcess::SeiProcess(const std::string& db, const std::vector<std::string>& args,
                       const std::vector<std::string>& env) {
  std::vector<std::string> argv = {BinaryDir() + "/bin/sei", "--db", db};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = Spawn(argv, env, &first_line_);
}

SeiProcess::~SeiProcess() { StopProcess(&pid_, SIGKILL); }

int SeiProcess::Stop(int sig) { return StopProcess(&pid_, sig); }

SeiServer::~SeiServer() {
  if (pid_ > 0) Stop(SIGKILL);
}

int SeiServer::Stop(int sig) { return StopProcess(&pid_, sig); }

int SeiServer::Connect() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port_));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SeiServer::WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string SeiServer::ReadAll(int fd, int timeout_ms) {
  std::string out;
  char buf[65536];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

HttpReply SeiServer::Send(const std::string& method, const std::string& target,
                          const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  const int fd = Connect();
  if (fd < 0) return {};
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!token_.empty() && headers.count("Authorization") == 0) {
    req += "Authorization: Bearer " + token_ + "\r\n";
  }
  if (!body.empty() || method == "POST" || method == "PUT") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  WriteAll(fd, req);
  const std::string raw = ReadAll(fd, 60000);
  close(fd);
  return ParseHttpReply(raw);
}

HttpReply SeiServer::Get(const std::string& target,
                         const std::map<std::string, std::string>& headers) {
  return Send("GET", target, "", headers);
}

}  // namespace sei::testing
