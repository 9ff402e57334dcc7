#include "auth/password.h"

#include <sodium.h>

#include "auth/crypto.h"

namespace sei::auth {

Result<std::string> HashPassword(std::string_view password) {
  SEI_RETURN_IF_ERROR(crypto::EnsureSodium());
  if (password.size() < kMinPasswordLength) {
    return InvalidArgumentError("a password needs at least " + std::to_string(kMinPasswordLength) +
                                " characters");
  }
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return ResourceExhaustedError("hashing the password ran out of memory (argon2id needs 64 MiB)");
  }
  out.resize(out.find('\0'));
  return out;
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (!crypto::EnsureSodium().ok()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void BurnPasswordCheck(std::string_view password) {
  static const std::string kDummy = [] {
    Result<std::string> h = HashPassword("not-a-real-password");
    return h.ok() ? *h : std::string();
  }();
  if (!kDummy.empty()) VerifyPassword(password, kDummy);
}

}  // namespace sei::auth
