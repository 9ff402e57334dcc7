#include "auth/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/crypto.h"

namespace sei::auth {

namespace {

constexpr std::string_view kSealedPrefix = "sb1:";

std::string KeyProblem(std::string_view where) {
  return std::string(where) +
         " must be the base64 of 32 random bytes (make one with `head -c 32 /dev/urandom | "
         "base64`)";
}

Status WriteKeyFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return PermissionDeniedError("cannot create the secret key file " + path + ": " +
                                 std::strerror(errno));
  }
  const std::string line = text + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return ResourceExhaustedError("cannot write the secret key file " + path);
  return Status::Ok();
}

Result<SecretBox> LoadKeyFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return PermissionDeniedError("cannot read the secret key file " + path + ": " +
                                 std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    return PermissionDeniedError("the secret key file " + path +
                                 " is readable by other users; run `chmod 600 " + path + "`");
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return PermissionDeniedError("cannot read the secret key file " + path);
  Result<SecretBox> box = SecretBox::FromBase64(text.str());
  if (!box.ok()) return InvalidArgumentError(KeyProblem("the secret key file " + path));
  return box;
}

}  // namespace

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

Result<SecretBox> SecretBox::FromKey(std::string_view key) {
  SEI_RETURN_IF_ERROR(crypto::EnsureSodium());
  if (key.size() != crypto_secretbox_KEYBYTES) {
    return InvalidArgumentError("a secret key has 32 bytes, not " + std::to_string(key.size()));
  }
  SecretBox box;
  std::memcpy(box.key_.data(), key.data(), key.size());
  return box;
}

Result<SecretBox> SecretBox::FromBase64(std::string_view text) {
  Result<std::string> key = crypto::FromBase64(text);
  if (!key.ok() || key->size() != crypto_secretbox_KEYBYTES) {
    return InvalidArgumentError(KeyProblem("the secret key"));
  }
  Result<SecretBox> box = FromKey(*key);
  sodium_memzero(key->data(), key->size());
  return box;
}

Result<std::string> SecretBox::NewKeyBase64() {
  SEI_RETURN_IF_ERROR(crypto::EnsureSodium());
  std::string key = crypto::RandomBytes(crypto_secretbox_KEYBYTES);
  std::string text = crypto::Base64(key);
  sodium_memzero(key.data(), key.size());
  return text;
}

Result<SecretBox> SecretBox::Load(const std::string& data_dir) {
  if (const char* env = std::getenv(std::string(kKeyEnv).c_str()); env != nullptr && *env) {
    Result<SecretBox> box = FromBase64(env);
    if (!box.ok()) return InvalidArgumentError(KeyProblem("SEI_SECRET_KEY"));
    return box;
  }
  const std::string path = (std::filesystem::path(data_dir) / kKeyFile).string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
      return PermissionDeniedError("cannot create the data directory " + data_dir + ": " +
                                   ec.message());
    }
    SEI_ASSIGN_OR_RETURN(std::string key, NewKeyBase64());
    Status s = WriteKeyFile(path, key);
    // Another process created it first: use theirs.
    if (!s.ok() && !std::filesystem::exists(path, ec)) return s;
  }
  return LoadKeyFile(path);
}

Result<std::string> SecretBox::Seal(std::string_view plaintext) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(bytes, crypto_secretbox_NONCEBYTES);
  if (crypto_secretbox_easy(bytes + crypto_secretbox_NONCEBYTES,
                            reinterpret_cast<const unsigned char*>(plaintext.data()),
                            plaintext.size(), bytes, key_.data()) != 0) {
    return InternalError("crypto_secretbox_easy failed");
  }
  return std::string(kSealedPrefix) + crypto::Base64(out);
}

Result<std::string> SecretBox::Open(std::string_view sealed) const {
  if (sealed.substr(0, kSealedPrefix.size()) != kSealedPrefix) {
    return InvalidArgumentError("not a sealed secret (it should start with \"sb1:\")");
  }
  Result<std::string> raw = crypto::FromBase64(sealed.substr(kSealedPrefix.size()));
  const size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (!raw.ok() || raw->size() < overhead) {
    return DataLossError("a sealed secret is truncated or corrupt");
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw->data());
  std::string out(raw->size() - overhead, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(out.data()), bytes + crypto_secretbox_NONCEBYTES,
          raw->size() - crypto_secretbox_NONCEBYTES, bytes, key_.data()) != 0) {
    return PermissionDeniedError(
        "a sealed secret does not open with this key: SEI_SECRET_KEY or secret.key is not the "
        "key it was sealed with (or the text was altered)");
  }
  return out;
}

}  // namespace sei::auth
