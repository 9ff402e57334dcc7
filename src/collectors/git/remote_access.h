// RemoteAccess: how the git collector reaches a remote repository over
// https — credentials (a GitHub token is user "x-access-token", password the
// token) and a CA bundle — and the libgit2 callbacks that apply them to a
// clone or fetch.
//
// Secrets stay in memory: libgit2 asks for credentials through its callback
// when the server answers 401, so they are never written into the URL, the
// mirror's config, a log or an error message. Credentials the server refuses
// are not offered twice (libgit2 would ask again and again).
//
// A CA bundle is applied per clone or fetch through libgit2's certificate
// callback (libgit2's own CA setting is process-wide and would change every
// other connection's trust): a certificate libgit2 could not verify is
// accepted when it is for the host and chains to a certificate of the bundle
// (OpenSSL). libgit2 hands over the server's certificate only, so the bundle
// must hold the issuing CA itself (a private CA, or the intermediate).
//
// Thread safety: a RemoteCallbacks is used by one clone or fetch at a time;
// VerifyCertificate is thread-safe.
#pragma once

#include <cstddef>
#include <string>

// libgit2's types (git2.h), declared here so users of the options need not
// see libgit2.
struct git_remote_callbacks;
struct git_credential;
struct git_cert;

namespace sei::collectors {

struct RemoteAccess {
  std::string username;        // "x-access-token" for a GitHub token
  std::string password;        // the token; empty: no credentials to offer
  std::string ca_bundle_path;  // PEM; empty: libgit2's default trust
};

// The state the callbacks keep for one clone or fetch, and what went wrong.
class RemoteCallbacks {
 public:
  explicit RemoteCallbacks(const RemoteAccess& access) : access_(access) {}
  RemoteCallbacks(const RemoteCallbacks&) = delete;
  RemoteCallbacks& operator=(const RemoteCallbacks&) = delete;

  // Points `callbacks`' credentials and certificate checks at this object.
  void Install(git_remote_callbacks* callbacks);

  // Why the operation failed because of access, in words with the fix, or
  // empty: the server refused the credentials, asked for some when none
  // were given, or showed a certificate the bundle does not trust.
  std::string Problem() const;

 private:
  static int AcquireCredential(git_credential** out, const char* url, const char* username_from_url,
                               unsigned int allowed_types, void* payload);
  static int CheckCertificate(git_cert* cert, int valid, const char* host, void* payload);

  const RemoteAccess& access_;
  int offered_ = 0;        // times the credentials were handed to libgit2
  bool refused_ = false;   // asked again after they were offered
  bool none_ = false;      // asked for when there were none
  bool no_basic_ = false;  // asked for a kind other than user and password (ssh)
  std::string certificate_problem_;
};

// Empty when the DER certificate `der` is valid now for `host` and chains to
// a certificate in the PEM file `ca_bundle_path`; otherwise why not.
std::string VerifyCertificate(const unsigned char* der, size_t len, const std::string& host,
                              const std::string& ca_bundle_path);

}  // namespace sei::collectors
