// Small wrappers over libsodium shared by the auth services: one-time
// library initialisation, random bytes, encodings and the token hash.
// Internal to src/auth.
//
// Thread safety: every function is thread-safe (sodium_init is called once,
// under a function-local static).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sei::auth::crypto {

// Initialises libsodium once; an error when the library cannot start (no
// entropy source).
Status EnsureSodium();

// `n` bytes from randombytes_buf (EnsureSodium first).
std::string RandomBytes(size_t n);

std::string Hex(std::string_view bytes);
// URL-safe base64 without padding (43 characters for 32 bytes).
std::string Base64Url(std::string_view bytes);
// Standard base64 with padding, and back; decoding fails on anything else.
std::string Base64(std::string_view bytes);
Result<std::string> FromBase64(std::string_view text);

// Hex BLAKE2b-256 (crypto_generichash, unkeyed) of `data`.
std::string Blake2bHex(std::string_view data);

}  // namespace sei::auth::crypto
