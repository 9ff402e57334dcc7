#include "net/curl_http_client.h"

#include <curl/curl.h>

#include <mutex>
#include <string_view>

#include "common/strings.h"

#ifndef SEI_VERSION
#error "SEI_VERSION must be defined by the build (src/net/CMakeLists.txt)"
#endif

namespace sei::net {
namespace {

// One request's state: what libcurl's callbacks read and fill.
struct Transfer {
  HttpResponse response;
  curl_slist* header_list = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  int64_t max_body_bytes = 0;
  std::chrono::milliseconds read_timeout{0};
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
  curl_off_t last_progress_bytes = 0;
  bool body_too_large = false;
  bool read_timed_out = false;

  ~Transfer() { curl_slist_free_all(header_list); }
  void Touch() { last_activity = std::chrono::steady_clock::now(); }
};

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// CURLOPT_HEADERFUNCTION: one header line per call, status lines included.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  t->Touch();
  if (line.starts_with("HTTP/")) {
    t->response.headers.clear();  // a new response: after a redirect, a 100 or a proxy CONNECT
    return n;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // obsolete line folding: continues the previous value
    if (!t->response.headers.empty()) {
      t->response.headers.back().second.append(" ").append(Trim(line));
    }
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;  // the blank line that ends the head
  t->response.headers.emplace_back(AsciiLower(Trim(line.substr(0, colon))),
                                   std::string(Trim(line.substr(colon + 1))));
  return n;
}

// CURLOPT_WRITEFUNCTION: decoded body bytes.
size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  t->Touch();
  if (static_cast<int64_t>(t->response.body.size() + n) > t->max_body_bytes) {
    t->body_too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

// CURLOPT_XFERINFOFUNCTION: the read timeout (see the header).
int OnProgress(void* user, curl_off_t /*dltotal*/, curl_off_t dlnow, curl_off_t /*ultotal*/,
               curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (dlnow + ulnow != t->last_progress_bytes) {
    t->last_progress_bytes = dlnow + ulnow;
    t->Touch();
  }
  if (std::chrono::steady_clock::now() - t->last_activity > t->read_timeout) {
    t->read_timed_out = true;
    return 1;  // CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

std::string DurationText(std::chrono::milliseconds d) {
  return HumanDuration(static_cast<double>(d.count()) / 1000.0);
}

StatusCode CodeFor(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return StatusCode::kInvalidArgument;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_TOO_MANY_REDIRECTS:
      return StatusCode::kFailedPrecondition;
    case CURLE_FILESIZE_EXCEEDED:
      return StatusCode::kResourceExhausted;
    case CURLE_BAD_CONTENT_ENCODING:
      return StatusCode::kDataLoss;
    default:
      return StatusCode::kUnavailable;
  }
}

// A header line for CURLOPT_HTTPHEADER; libcurl sends "Name;" as an empty value.
Result<std::string> HeaderLine(const std::string& name, const std::string& value) {
  if (name.empty() || name.find_first_of(":\r\n ") != std::string::npos ||
      value.find_first_of("\r\n") != std::string::npos) {
    return InvalidArgumentError("invalid HTTP header name or value for header \"" +
                                ToValidUtf8(name.substr(0, 64)) + "\"");
  }
  return value.empty() ? name + ";" : name + ": " + value;
}

// Options every request shares: limits, TLS, proxy, callbacks.
void SetCommonOptions(CURL* h, const CurlHttpClientOptions& o, const HttpRequest& request,
                      Transfer* t) {
  const bool https = AsciiLower(request.url.substr(0, 8)) == "https://";
  const auto timeout = request.timeout.value_or(o.total_timeout);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, o.max_redirects > 0 ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(o.max_redirects));
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.ca_bundle_path.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_bundle_path.c_str());
  if (o.proxy) curl_easy_setopt(h, CURLOPT_PROXY, o.proxy->c_str());
  curl_easy_setopt(h, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_response_bytes));
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
}

// The method, the body and the request's own headers.
Status SetMethodAndHeaders(CURL* h, const HttpRequest& request, Transfer* t) {
  const std::string& m = request.method;
  if (m == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (m == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    if (m != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
    if (m == "POST" || m == "PUT" || m == "PATCH" || !request.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());  // not copied
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
  }
  for (const auto& [name, value] : request.headers) {
    SEI_ASSIGN_OR_RETURN(const std::string line, HeaderLine(name, value));
    t->header_list = curl_slist_append(t->header_list, line.c_str());
  }
  // No "Expect: 100-continue" round trip before large bodies.
  t->header_list = curl_slist_append(t->header_list, "Expect:");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->header_list);
  return Status::Ok();
}

// What went wrong, in words, and the Status code for it.
Status TransferError(CURLcode code, const CurlHttpClientOptions& o, const HttpRequest& request,
                     const Transfer& t) {
  const std::string detail = t.error[0] != '\0' ? t.error : curl_easy_strerror(code);
  StatusCode status = CodeFor(code);
  std::string what;
  if (t.read_timed_out) {
    what = "no data received for " + DurationText(o.read_timeout) + " (read timeout)";
  } else if (t.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
    status = StatusCode::kResourceExhausted;
    what = "response body exceeds the limit of " +
           HumanBytes(static_cast<uint64_t>(o.max_response_bytes)) + " (max_response_bytes)";
  } else if (code == CURLE_PARTIAL_FILE) {
    what = "response body truncated: " + detail;
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    what = "timed out: " + detail;
  } else {
    what = std::string(curl_easy_strerror(code)) +
           (t.error[0] != '\0' ? std::string(" (") + t.error + ")" : std::string());
  }
  return Status(status, request.method + " " + RedactUrl(request.url) + ": " + what);
}

}  // namespace

std::string DefaultUserAgent() { return std::string("sei/") + SEI_VERSION; }

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options) : options_(std::move(options)) {
  GlobalInitOnce();
  if (options_.user_agent.empty()) options_.user_agent = DefaultUserAgent();
  curl_ = curl_easy_init();
}

CurlHttpClient::~CurlHttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  if (curl_ == nullptr) return InternalError("curl_easy_init failed (out of memory?)");
  CURL* h = static_cast<CURL*>(curl_);
  Transfer t;
  t.max_body_bytes = options_.max_response_bytes;
  t.read_timeout = options_.read_timeout;
  curl_easy_reset(h);  // keeps live connections and the DNS/TLS caches
  SetCommonOptions(h, options_, request, &t);
  if (Status s = SetMethodAndHeaders(h, request, &t); !s.ok()) {
    return s.WithContext(request.method + " " + RedactUrl(request.url));
  }
  t.Touch();
  const CURLcode code = curl_easy_perform(h);
  // The error buffer and header list live in `t`: drop libcurl's pointers to them.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) return TransferError(code, options_, request, t);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  char* effective = nullptr;
  curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
  t.response.status = static_cast<int>(status);
  t.response.url = effective != nullptr ? effective : request.url;
  return std::move(t.response);
}

}  // namespace sei::net
