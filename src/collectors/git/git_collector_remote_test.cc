// GitCollector reaching remotes: clones and fetches over http with a token
// (a FakeGitServer behind Basic auth), proxies in the environment, and CA
// bundles (openssl s_server with throwaway certificates).
#include <arpa/inet.h>
#include <fcntl.h>
#include <git2.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "collectors/git/git_collector.h"
#include "collectors/git/remote_access.h"
#include "model/git.h"
#include "model/registry.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fake_git_server.h"
#include "testing/fake_http_server.h"
#include "testing/repo_builder.h"
#include "testing/test_util.h"

namespace sei::collectors {
namespace {

using sei::testing::RunShell;
using sei::testing::TempDir;

class LibGit2 : public ::testing::Environment {
 public:
  void SetUp() override { git_libgit2_init(); }
  void TearDown() override { git_libgit2_shutdown(); }
};
const auto* const kLibGit2 = ::testing::AddGlobalTestEnvironment(new LibGit2);

class RemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = sqlite::SqliteStore::Open(dir_.Sub("sei.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  Result<GitCollectResult> Collect(const std::string& location, GitCollectOptions o = {}) {
    o.data_dir = dir_.Sub("data");
    if (o.jobs == 0) o.jobs = 2;
    GitCollector collector(store_.get(), o);
    return collector.Collect(location);
  }
  int64_t Count(const char* entity) {
    auto n = store_->CountRows(*model::FindSpec(entity), {});
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  TempDir dir_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

// Clones and fetches over http with a token the way GitHub takes one (user
// x-access-token): offered only when the server asks, never written into the
// mirror, refused and missing tokens named as such without the token.
class GitCollectorHttpTest : public RemoteTest {
 protected:
  void SetUp() override {
    RemoteTest::SetUp();
    origin_ = dir_.Sub("srv/acme/api.git");
    ASSERT_TRUE(sei::testing::CreateLinearRepo(origin_, "main", 3, 7, true).ok());
    server_ = std::make_unique<sei::testing::FakeGitServer>(dir_.Sub("srv"));
    ASSERT_TRUE(server_->started());
    server_->RequireBasicAuth("x-access-token", kToken);
  }
  GitCollectOptions WithToken(const std::string& token) {
    GitCollectOptions o;
    o.access.username = "x-access-token";
    o.access.password = token;
    return o;
  }
  // Every file under the data directory (mirrors), read whole.
  std::string DataDirText() {
    std::string all;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.Sub("data"))) {
      if (e.is_regular_file()) all += sei::testing::ReadFile(e.path().string());
    }
    return all;
  }

  static constexpr const char* kToken = "ghs_secret123token";
  std::string origin_;
  std::unique_ptr<sei::testing::FakeGitServer> server_;
};

TEST_F(GitCollectorHttpTest, ClonesAndFetchesWithTheTokenAndNeverStoresIt) {
  const std::string url = server_->Url("acme/api.git");
  auto r = Collect(url, WithToken(kToken));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 3);
  const std::string expected =
      sei::testing::FakeGitServer::BasicAuthorization("x-access-token", kToken);
  size_t with_token = 0;
  for (const auto& q : server_->requests()) {
    EXPECT_EQ(q.target.find(kToken), std::string::npos) << q.target;
    with_token += q.Header("authorization").value_or("") == expected;
  }
  EXPECT_GE(with_token, 2u);  // the ref advertisement and the pack
  EXPECT_EQ(DataDirText().find(kToken), std::string::npos);
  EXPECT_EQ(store_->List<model::Repo>()->front().location, url);

  ASSERT_TRUE(sei::testing::AppendLinearCommits(origin_, "main", 2, 8).ok());
  const size_t before = server_->requests().size();
  r = Collect(url, WithToken(kToken));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 2);
  EXPECT_GT(server_->requests().size(), before);  // fetched, with the token again
  EXPECT_EQ(Count("commits"), 5);
}

TEST_F(GitCollectorHttpTest, ARefusedOrMissingTokenIsNamedWithoutTheToken) {
  const std::string url = server_->Url("acme/api.git");
  auto wrong = Collect(url, WithToken("ghs_wrongtoken"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(wrong.status().message().find("refused the token"), std::string::npos)
      << wrong.status().message();
  EXPECT_NE(wrong.status().message().find(url), std::string::npos);
  EXPECT_EQ(wrong.status().message().find("ghs_wrongtoken"), std::string::npos);
  auto none = Collect(url);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("none were given"), std::string::npos)
      << none.status().message();
  std::error_code ec;  // no half-made mirror left behind
  EXPECT_TRUE(!std::filesystem::exists(dir_.Sub("data/mirrors")) ||
              std::filesystem::is_empty(dir_.Sub("data/mirrors"), ec));
  EXPECT_EQ(Count("commits"), 0);
}

// Clones and fetches go straight to the origin: a proxy in the environment
// (there for the API's requests) is not used, and does not break them
// (libgit2 1.5 would send proxy-form requests to the origin).
TEST_F(GitCollectorHttpTest, AProxyInTheEnvironmentIsNotUsed) {
  sei::testing::FakeHttpServer proxy;
  ::setenv("http_proxy", proxy.Url().c_str(), 1);
  auto r = Collect(server_->Url("acme/api.git"), WithToken(kToken));
  ::unsetenv("http_proxy");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->commits_added, 3);
  EXPECT_TRUE(proxy.requests().empty());
  for (const auto& q : server_->requests()) EXPECT_EQ(q.target.rfind("/", 0), 0u) << q.target;
}

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

// A CA bundle given for a clone is what the certificate is checked against,
// per clone: `openssl s_server` with a throwaway certificate for 127.0.0.1
// answers TLS (then HTML, which is no git server: the clone fails after the
// handshake when the certificate was trusted).
class GitCollectorTlsTest : public RemoteTest {
 protected:
  void SetUp() override {
    if (RunShell("command -v openssl").exit_code != 0) {
      GTEST_SKIP() << "the openssl command line tool is not installed";
    }
    RemoteTest::SetUp();
    cert_ = MakeCert("server");
    other_ = MakeCert("other");
    port_ = FreePort();
    ASSERT_GT(port_, 0);
    const std::string accept = "127.0.0.1:" + std::to_string(port_);
    const std::string key = dir_.Sub("server.key");
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
  // A self-signed certificate for 127.0.0.1 at <name>.pem (key <name>.key).
  std::string MakeCert(const std::string& name) {
    const std::string pem = dir_.Sub(name + ".pem");
    const auto made = sei::testing::RunCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048",
                                                "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                                                dir_.Sub(name + ".key"), "-out", pem});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    return pem;
  }
  Result<GitCollectResult> CollectWithBundle(const std::string& bundle) {
    GitCollectOptions o;
    o.access.ca_bundle_path = bundle;
    return Collect("https://127.0.0.1:" + std::to_string(port_) + "/acme/api.git", o);
  }

  std::string cert_;
  std::string other_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(GitCollectorTlsTest, TheGivenCaBundleDecidesTrustPerClone) {
  auto untrusted = CollectWithBundle("");
  ASSERT_FALSE(untrusted.ok());
  EXPECT_NE(untrusted.status().message().find("certificate"), std::string::npos)
      << untrusted.status().message();
  auto other = CollectWithBundle(other_);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("is not trusted"), std::string::npos)
      << other.status().message();
  EXPECT_NE(other.status().message().find(other_), std::string::npos);
  auto trusted = CollectWithBundle(cert_);
  ASSERT_FALSE(trusted.ok());  // past TLS: s_server is no git server
  EXPECT_EQ(trusted.status().message().find("certificate"), std::string::npos)
      << trusted.status().message();
  EXPECT_NE(trusted.status().message().find("content-type"), std::string::npos)
      << trusted.status().message();  // git's HTTP answer was read: TLS held
}

TEST_F(GitCollectorTlsTest, VerifyCertificateChecksTheHostAndTheBundle) {
  const std::string der_path = dir_.Sub("server.der");
  ASSERT_EQ(sei::testing::RunCommand(
                {"openssl", "x509", "-in", cert_, "-outform", "DER", "-out", der_path})
                .exit_code,
            0);
  const std::string der = sei::testing::ReadFile(der_path);
  ASSERT_FALSE(der.empty());
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  EXPECT_EQ(VerifyCertificate(bytes, der.size(), "127.0.0.1", cert_), "");
  EXPECT_NE(VerifyCertificate(bytes, der.size(), "example.com", cert_), "");
  EXPECT_NE(VerifyCertificate(bytes, der.size(), "127.0.0.1", other_), "");
  EXPECT_NE(VerifyCertificate(bytes, der.size(), "127.0.0.1", dir_.Sub("missing.pem"))
                .find("cannot be read"),
            std::string::npos);
  EXPECT_NE(VerifyCertificate(bytes, 10, "127.0.0.1", cert_), "");
}

}  // namespace
}  // namespace sei::collectors
