// TLS verification of CurlHttpClient against `openssl s_server` with a
// throwaway self-signed certificate for 127.0.0.1.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "net/curl_http_client.h"
#include "testing/test_util.h"

namespace sei::net {
namespace {

// A free loopback port (bound, read, released; s_server takes it next).
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

bool CanConnect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::RunShell("command -v openssl").exit_code != 0) {
      GTEST_SKIP() << "the openssl command line tool is not installed";
    }
    cert_ = dir_.Sub("cert.pem");
    const std::string key = dir_.Sub("key.pem");
    const auto made = testing::RunCommand(
        {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert_});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    port_ = FreePort();
    ASSERT_GT(port_, 0);
    const std::string accept = "127.0.0.1:" + std::to_string(port_);
    pid_ = ::fork();
    if (pid_ == 0) {  // only async-signal-safe calls until exec
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::execlp("openssl", "openssl", "s_server", "-accept", accept.c_str(), "-cert", cert_.c_str(),
               "-key", key.c_str(), "-www", "-quiet", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ASSERT_GT(pid_, 0);
    for (int i = 0; i < 100 && !CanConnect(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(CanConnect(port_)) << "openssl s_server did not start";
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string Url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }
  CurlHttpClientOptions Options() const {
    CurlHttpClientOptions o;
    o.proxy = "";
    o.connect_timeout = std::chrono::seconds(5);
    o.total_timeout = std::chrono::seconds(10);
    return o;
  }

  testing::TempDir dir_;
  std::string cert_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(TlsTest, AnUntrustedCertificateIsRefused) {
  CurlHttpClient client(Options());
  auto r = client.Send(HttpRequest::Get(Url()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
  EXPECT_NE(r.status().message().find("GET " + Url()), std::string::npos);
  EXPECT_NE(r.status().message().find("certificate"), std::string::npos) << r.status().message();
}

TEST_F(TlsTest, TheConfiguredCaBundleIsTrusted) {
  CurlHttpClientOptions o = Options();
  o.ca_bundle_path = cert_;
  CurlHttpClient client(o);
  auto r = client.Send(HttpRequest::Get(Url()));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("s_server"), std::string::npos);
}

TEST_F(TlsTest, AMissingCaBundleIsAClearError) {
  CurlHttpClientOptions o = Options();
  o.ca_bundle_path = dir_.Sub("no-such-ca.pem");
  CurlHttpClient client(o);
  auto r = client.Send(HttpRequest::Get(Url()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
}

}  // namespace
}  // namespace sei::net
