// Webhook signature checks: is this delivery really from the source we gave
// the secret to? Run before a byte of the body is parsed, so a forged or
// unsigned request is rejected without touching the JSON parser or the store.
//
//   GitHub   X-Hub-Signature-256: "sha256=" + lowercase hex of
//            HMAC-SHA256(secret, body). Hex digits are accepted in either
//            case; anything else (no prefix, sha1=, wrong length) is false.
//   GitLab   X-Gitlab-Token: the secret itself, compared in constant time.
//   generic  a shared secret header (X-Sei-Webhook-Secret, chosen by the
//            server): the secret itself, compared in constant time.
//
// Every comparison runs in time independent of where the bytes differ
// (CRYPTO_memcmp); only lengths leak, and an HMAC's length is public. An
// empty secret never verifies: a connection without a configured secret must
// not accept anything.
//
// Thread safety: pure functions; safe from any number of threads.
#pragma once

#include <string>
#include <string_view>

namespace sei::net {

// Lowercase hex of HMAC-SHA256(secret, body) (64 characters).
std::string HmacSha256Hex(std::string_view secret, std::string_view body);

// GitHub's X-Hub-Signature-256 header `header` ("sha256=<hex>") matches
// `body` signed with `secret`.
bool VerifyGithubSignature(std::string_view secret, std::string_view body, std::string_view header);

// GitLab's X-Gitlab-Token header equals `secret`.
bool VerifyGitlabToken(std::string_view secret, std::string_view header);

// The generic receiver's shared-secret header equals `secret`.
bool VerifySharedSecret(std::string_view secret, std::string_view header);

}  // namespace sei::net
