#include "auth/secret_box.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

#include "testing/test_util.h"

namespace sei::auth {
namespace {

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("SEI_SECRET_KEY"); }
  void TearDown() override { unsetenv("SEI_SECRET_KEY"); }
  testing::TempDir dir_;
};

TEST_F(SecretBoxTest, CiphertextHidesThePlaintextAndAWrongKeyFails) {
  auto box = SecretBox::FromKey(std::string(32, 'k'));
  auto other = SecretBox::FromKey(std::string(32, 'x'));
  ASSERT_TRUE(box.ok() && other.ok());
  const std::string secret = "ghp_supersecretgithubtoken1234567890";
  auto sealed = box->Seal(secret);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->find(secret), std::string::npos);
  EXPECT_EQ(sealed->find("supersecret"), std::string::npos);
  EXPECT_EQ(sealed->rfind("sb1:", 0), 0u);
  EXPECT_NE(*box->Seal(secret), *sealed);  // a fresh nonce every time
  EXPECT_EQ(*box->Open(*sealed), secret);
  auto wrong = other->Open(*sealed);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("not the key"), std::string::npos);
  std::string altered = *sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->Open(altered).ok());
  EXPECT_FALSE(box->Open("plain text").ok());
  EXPECT_FALSE(box->Open("sb1:AAAA").ok());
}

TEST_F(SecretBoxTest, CreatesAPrivateKeyFileOnceAndReusesIt) {
  const std::string data = dir_.Sub("data");
  auto first = SecretBox::Load(data);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  struct stat st {};
  ASSERT_EQ(stat((data + "/secret.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto sealed = first->Seal("webhook-secret");
  ASSERT_TRUE(sealed.ok());
  auto second = SecretBox::Load(data);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second->Open(*sealed), "webhook-secret");
  // A key file others can read is refused, with the fix.
  ASSERT_EQ(chmod((data + "/secret.key").c_str(), 0644), 0);
  auto loose = SecretBox::Load(data);
  ASSERT_FALSE(loose.ok());
  EXPECT_NE(loose.status().message().find("chmod 600"), std::string::npos);
}

TEST_F(SecretBoxTest, TheEnvironmentKeyWinsAndABadOneIsExplained) {
  auto key = SecretBox::NewKeyBase64();
  ASSERT_TRUE(key.ok());
  setenv("SEI_SECRET_KEY", key->c_str(), 1);
  auto from_env = SecretBox::Load(dir_.Sub("unused"));
  ASSERT_TRUE(from_env.ok()) << from_env.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("unused/secret.key")));
  auto same = SecretBox::FromBase64(*key);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same->Open(*from_env->Seal("x")), "x");
  for (const char* bad : {"not base64!", "c2hvcnQ=" /* "short" */}) {
    setenv("SEI_SECRET_KEY", bad, 1);
    auto r = SecretBox::Load(dir_.path());
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("SEI_SECRET_KEY must be the base64 of 32 random bytes"),
              std::string::npos)
        << r.status().message();
  }
  EXPECT_FALSE(SecretBox::FromKey("too short").ok());
}

}  // namespace
}  // namespace sei::auth
