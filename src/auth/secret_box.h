// SecretBox: encrypts secrets at rest (connection credentials, webhook
// secrets) with crypto_secretbox_easy (XSalsa20-Poly1305), so a copied
// database file does not hand out the tokens it holds.
//
// The key is 32 bytes, from the environment variable SEI_SECRET_KEY (base64)
// or else the key file <data dir>/secret.key (base64, one line), which Load
// creates with mode 0600 when absent. A key file readable by group or others
// is refused. Sealed text is "sb1:" + base64(nonce || ciphertext), a fresh
// random nonce each time; Open fails on a wrong key or any altered byte.
//
// Thread safety: Seal and Open are const and thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sei::auth {

class SecretBox {
 public:
  static constexpr std::string_view kKeyEnv = "SEI_SECRET_KEY";
  static constexpr std::string_view kKeyFile = "secret.key";

  // From the 32 raw key bytes.
  static Result<SecretBox> FromKey(std::string_view key);
  // From base64 of the 32 key bytes (what SEI_SECRET_KEY and the key file hold).
  static Result<SecretBox> FromBase64(std::string_view text);
  // SEI_SECRET_KEY when set, else <data_dir>/secret.key, created (with the
  // directory) when absent.
  static Result<SecretBox> Load(const std::string& data_dir);
  // A new random key, base64 (for `SEI_SECRET_KEY=$(...)` and the key file).
  static Result<std::string> NewKeyBase64();

  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  ~SecretBox();

  Result<std::string> Seal(std::string_view plaintext) const;
  Result<std::string> Open(std::string_view sealed) const;

 private:
  SecretBox() = default;
  std::array<unsigned char, 32> key_{};
};

}  // namespace sei::auth
