#include "net/webhook_signature.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "testing/test_util.h"

namespace sei::net {
namespace {

// printf 'Hello, World!' | openssl dgst -sha256 -hmac "It's a Secret to Everybody"
// (also the example in GitHub's "Validating webhook deliveries" docs)
constexpr const char* kGithubDocsHex =
    "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
// printf 'The quick brown fox' | openssl dgst -sha256 -hmac 'sei-test-secret'
constexpr const char* kFoxHex = "0be9eddc6bbffdd060a0ec403e2bf8cc4be6ac5ffdf86505f4cb824f767cbdc3";

TEST(WebhookSignatureTest, HmacMatchesKnownVectors) {
  EXPECT_EQ(HmacSha256Hex("It's a Secret to Everybody", "Hello, World!"), kGithubDocsHex);
  EXPECT_EQ(HmacSha256Hex("sei-test-secret", "The quick brown fox"), kFoxHex);
}

TEST(WebhookSignatureTest, GithubGoodSignatureVerifies) {
  const std::string header = std::string("sha256=") + kGithubDocsHex;
  EXPECT_TRUE(VerifyGithubSignature("It's a Secret to Everybody", "Hello, World!", header));
  std::string upper = header;
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_TRUE(VerifyGithubSignature("It's a Secret to Everybody", "Hello, World!", upper));
}

TEST(WebhookSignatureTest, GithubForgedOrMalformedSignaturesFail) {
  const std::string secret = "It's a Secret to Everybody";
  const std::string good = std::string("sha256=") + kGithubDocsHex;
  EXPECT_FALSE(VerifyGithubSignature(secret, "Hello, World?", good));  // body changed
  EXPECT_FALSE(VerifyGithubSignature("another secret", "Hello, World!", good));
  std::string flipped = good;
  flipped.back() = flipped.back() == '7' ? '8' : '7';
  EXPECT_FALSE(VerifyGithubSignature(secret, "Hello, World!", flipped));
  EXPECT_FALSE(VerifyGithubSignature(secret, "Hello, World!", ""));              // missing
  EXPECT_FALSE(VerifyGithubSignature(secret, "Hello, World!", kGithubDocsHex));  // no prefix
  EXPECT_FALSE(
      VerifyGithubSignature(secret, "Hello, World!", "sha1=" + std::string(kGithubDocsHex)));
  EXPECT_FALSE(VerifyGithubSignature(secret, "Hello, World!", good.substr(0, good.size() - 2)));
  EXPECT_FALSE(VerifyGithubSignature(secret, "Hello, World!", good + "00"));
  std::string not_hex = good;
  not_hex[10] = 'g';
  EXPECT_FALSE(VerifyGithubSignature(secret, "Hello, World!", not_hex));
  // A connection without a secret accepts nothing, not even an HMAC under "".
  EXPECT_FALSE(VerifyGithubSignature("", "x", "sha256=" + HmacSha256Hex("", "x")));
}

TEST(WebhookSignatureTest, GitlabTokenAndSharedSecret) {
  EXPECT_TRUE(VerifyGitlabToken("s3cret-token", "s3cret-token"));
  EXPECT_FALSE(VerifyGitlabToken("s3cret-token", "s3cret-tokem"));
  EXPECT_FALSE(VerifyGitlabToken("s3cret-token", "s3cret-token "));
  EXPECT_FALSE(VerifyGitlabToken("s3cret-token", ""));
  EXPECT_FALSE(VerifyGitlabToken("", ""));
  EXPECT_TRUE(VerifySharedSecret("abc", "abc"));
  EXPECT_FALSE(VerifySharedSecret("abc", "abd"));
  EXPECT_FALSE(VerifySharedSecret("abc", "ab"));
  EXPECT_FALSE(VerifySharedSecret("", ""));
}

// Real GitHub webhook bodies, signed by the openssl command line as the
// oracle: our check accepts its signature and rejects it after one byte of
// the body changes.
TEST(WebhookSignatureTest, RealGithubBodiesSignedByOpenssl) {
  const std::string root = testing::SharedFixturesDir();
  const std::string dir = root.empty() ? "" : root + "/payloads/github_webhooks";
  if (dir.empty() || !std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << "../shared/fixtures/payloads/github_webhooks is absent";
  }
  if (testing::RunShell("command -v openssl").exit_code != 0) {
    GTEST_SKIP() << "the openssl command line tool is not installed";
  }
  const std::string secret = "fixture-secret";
  int checked = 0;
  for (const char* name :
       {"push__with-new-branch__octokit.json", "pull_request__opened__octokit.json",
        "deployment_status__payload__octokit.json"}) {
    const std::string path = dir + "/" + name;
    const std::string body = testing::ReadFile(path);
    if (body.empty()) continue;
    const testing::CommandResult r = testing::RunShell("openssl dgst -sha256 -hmac '" + secret +
                                                       "' < '" + path + "' | sed 's/.*= //'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string hex = r.out.substr(0, 64);
    ASSERT_EQ(hex.size(), 64u) << r.out;
    EXPECT_TRUE(VerifyGithubSignature(secret, body, "sha256=" + hex)) << name;
    std::string forged = body;
    forged[forged.size() / 2] ^= 1;
    EXPECT_FALSE(VerifyGithubSignature(secret, forged, "sha256=" + hex)) << name;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace sei::net
