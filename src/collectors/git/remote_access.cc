#include "collectors/git/remote_access.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <git2.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>

namespace sei::collectors {

namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct CtxFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};

bool IsIpAddress(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

void RemoteCallbacks::Install(git_remote_callbacks* callbacks) {
  callbacks->credentials = &RemoteCallbacks::AcquireCredential;
  callbacks->certificate_check = &RemoteCallbacks::CheckCertificate;
  callbacks->payload = this;
}

int RemoteCallbacks::AcquireCredential(git_credential** out, const char*, const char*,
                                       unsigned int allowed_types, void* payload) {
  auto* self = static_cast<RemoteCallbacks*>(payload);
  if (self->access_.password.empty()) {
    self->none_ = true;
    git_error_set_str(GIT_ERROR_NET, "the server asks for credentials and none were given");
    return GIT_EAUTH;
  }
  if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0) {
    self->no_basic_ = true;
    git_error_set_str(GIT_ERROR_NET, "the server asks for credentials other than a token");
    return GIT_EAUTH;
  }
  if (self->offered_ > 0) {  // libgit2 asks again when the server said 401 to them
    self->refused_ = true;
    git_error_set_str(GIT_ERROR_NET, "the server refused the credentials");
    return GIT_EAUTH;
  }
  ++self->offered_;
  const std::string& user =
      self->access_.username.empty() ? std::string("x-access-token") : self->access_.username;
  return git_credential_userpass_plaintext_new(out, user.c_str(), self->access_.password.c_str());
}

int RemoteCallbacks::CheckCertificate(git_cert* cert, int valid, const char* host, void* payload) {
  auto* self = static_cast<RemoteCallbacks*>(payload);
  if (valid != 0) return 0;
  if (self->access_.ca_bundle_path.empty() || cert == nullptr || cert->cert_type != GIT_CERT_X509) {
    return GIT_PASSTHROUGH;  // libgit2's own verdict (and message) stands
  }
  const auto* x509 = reinterpret_cast<const git_cert_x509*>(cert);
  std::string why = VerifyCertificate(static_cast<const unsigned char*>(x509->data), x509->len,
                                      host != nullptr ? host : "", self->access_.ca_bundle_path);
  if (why.empty()) return 0;
  self->certificate_problem_ = why;
  git_error_set_str(GIT_ERROR_SSL, why.c_str());
  return GIT_ECERTIFICATE;
}

std::string RemoteCallbacks::Problem() const {
  if (!certificate_problem_.empty()) {
    return fmt::format(
        "the server's TLS certificate is not trusted: {}; check the CA bundle {} holds the CA "
        "that issued it",
        certificate_problem_, access_.ca_bundle_path);
  }
  if (refused_) {
    return "the server refused the token (HTTP 401); check that the connection's token is "
           "valid and may read the repository's contents";
  }
  if (none_) {
    return "the server asks for credentials and none were given (a GitHub connection's "
           "token: `sei connect github --name NAME --token-env VAR`)";
  }
  if (no_basic_) {
    return "the server asks for credentials other than a token (SSH keys are not supported); "
           "use an https clone URL";
  }
  return "";
}

std::string VerifyCertificate(const unsigned char* der, size_t len, const std::string& host,
                              const std::string& ca_bundle_path) {
  const unsigned char* p = der;
  std::unique_ptr<X509, X509Free> leaf(d2i_X509(nullptr, &p, static_cast<long>(len)));
  if (!leaf) return "the server's certificate cannot be read";
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  if (!store || X509_STORE_load_file(store.get(), ca_bundle_path.c_str()) != 1) {
    return fmt::format("the CA bundle {} cannot be read as PEM certificates", ca_bundle_path);
  }
  std::unique_ptr<X509_STORE_CTX, CtxFree> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) != 1) {
    return "out of memory verifying the server's certificate";
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  const int host_set = IsIpAddress(host) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                         : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  if (host_set != 1) return fmt::format("'{}' is not a host name to verify", host);
  if (X509_verify_cert(ctx.get()) == 1) return "";
  return fmt::format("{} (for {})",
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())), host);
}

}  // namespace sei::collectors
