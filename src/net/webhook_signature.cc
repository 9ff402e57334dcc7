#include "net/webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace sei::net {
namespace {

constexpr std::string_view kGithubPrefix = "sha256=";
constexpr size_t kSha256Bytes = 32;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The HMAC of `body` under `secret` into `out`; false when OpenSSL fails.
bool Hmac(std::string_view secret, std::string_view body,
          std::array<unsigned char, kSha256Bytes>* out) {
  unsigned int len = 0;
  const unsigned char* mac =
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(body.data()), body.size(), out->data(), &len);
  return mac != nullptr && len == kSha256Bytes;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string HmacSha256Hex(std::string_view secret, std::string_view body) {
  std::array<unsigned char, kSha256Bytes> mac{};
  if (!Hmac(secret, body, &mac)) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * kSha256Bytes);
  for (unsigned char b : mac) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0xf];
  }
  return hex;
}

bool VerifyGithubSignature(std::string_view secret, std::string_view body,
                           std::string_view header) {
  if (secret.empty() || header.substr(0, kGithubPrefix.size()) != kGithubPrefix) return false;
  const std::string_view hex = header.substr(kGithubPrefix.size());
  if (hex.size() != 2 * kSha256Bytes) return false;
  std::array<unsigned char, kSha256Bytes> given{};
  for (size_t i = 0; i < kSha256Bytes; ++i) {
    const int hi = HexDigit(hex[2 * i]);
    const int lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    given[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  std::array<unsigned char, kSha256Bytes> want{};
  if (!Hmac(secret, body, &want)) return false;
  return CRYPTO_memcmp(given.data(), want.data(), kSha256Bytes) == 0;
}

bool VerifyGitlabToken(std::string_view secret, std::string_view header) {
  return !secret.empty() && ConstantTimeEqual(secret, header);
}

bool VerifySharedSecret(std::string_view secret, std::string_view header) {
  return !secret.empty() && ConstantTimeEqual(secret, header);
}

}  // namespace sei::net
