#include "api/api_server.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "common/time.h"

namespace sei::api {

namespace fs = std::filesystem;

namespace {

const char* ContentTypeOf(const std::string& ext) {
  static const std::map<std::string, const char*> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string JsonEscape(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

ApiServer::ApiServer(ApiOptions options, StorePool* stores, MetricsService* metrics,
                     AccessControl* access)
    : options_(std::move(options)), stores_(stores), metrics_(metrics), access_(access) {}

void ApiServer::Seal() {
  std::vector<std::string> labels;
  for (const auto& r : router_.routes()) labels.push_back(r.method + " " + r.pattern);
  stats_ = std::make_unique<ServerStats>(std::move(labels));
}

Result<Caller> ApiServer::Authenticate(const HttpRequest& request) {
  if (access_ == nullptr) return Caller{"anonymous", "", "admin", {}, {}, {}};
  bool unauthenticated = false;
  return access_->Authenticate(request, &unauthenticated);
}

Status ApiServer::Authorize(const Caller& caller, RouteGroup group, const Target& target) {
  if (access_ == nullptr) return Status::Ok();
  return access_->Authorize(caller, group, target);
}

HttpResponse ApiServer::Handle(HttpRequest& request) {
  size_t index = router_.routes().size();
  HttpResponse out;
  try {
    out = RouteRequest(request, &index);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sei serve: internal error on %s %s: %s\n", request.method.c_str(),
                 request.path.c_str(), e.what());
    out = ErrorResponse(500, "internal", "internal error; see the server log");
  }
  request.route_index = index;
  return out;
}

HttpResponse ApiServer::RouteRequest(HttpRequest& request, size_t* route_index) {
  if (request.path == "\x01" || request.path.empty() || request.path[0] != '/') {
    return ErrorResponse(400, "bad_request", "the request target is not a valid path and query");
  }
  RouteMatch m = router_.Match(request.method, request.path);
  if (m.route == nullptr) {
    if (m.method_mismatch) {
      HttpResponse r = ErrorResponse(
          405, "method_not_allowed",
          request.method + " is not allowed on " + request.path + "; allowed: " + m.allowed);
      r.headers.push_back({"Allow", m.allowed});
      return r;
    }
    if ((request.method == "GET" || request.method == "HEAD") &&
        request.path.rfind("/api/", 0) != 0 && request.path.rfind("/webhooks/", 0) != 0) {
      return Static(request);
    }
    return ErrorResponse(404, "not_found",
                         "no route " + request.method + " " + request.path +
                             " (the routes are listed in /api/v1/openapi.json)");
  }
  *route_index = router_.IndexOf(m.route);
  request.path_params = std::move(m.params);
  Caller caller;
  caller.id = "anonymous";
  const RouteGroup g = m.route->group;
  if (g != RouteGroup::kPublic && g != RouteGroup::kWebhook && access_ != nullptr) {
    bool unauthenticated = false;
    auto c = access_->Authenticate(request, &unauthenticated);
    if (!c.ok()) {
      HttpResponse r = unauthenticated ? ErrorResponse(401, "unauthenticated", c.status().message())
                                       : ErrorResponse(c.status());
      if (unauthenticated) r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"sei\""});
      return r;
    }
    caller = *c;
    request.caller_id = caller.id;
    // Scoped groups are checked by the handler, which knows the scope.
    if (g != RouteGroup::kScopedMetrics && g != RouteGroup::kEntityLists) {
      Status s = access_->Authorize(caller, g, Target{});
      if (!s.ok()) return ErrorResponse(403, "forbidden", s.message());
    }
  }
  return m.route->handler(request, caller);
}

HttpResponse ApiServer::Static(const HttpRequest& request) {
  if (options_.web_dir.empty() || !fs::is_directory(options_.web_dir)) {
    if (request.path == "/") {
      HttpResponse r;
      r.content_type = "text/html; charset=utf-8";
      r.body = std::make_shared<const std::string>(
          "<!doctype html><title>SEI Platform</title><h1>SEI Platform</h1>"
          "<p>The web app is not built here. The API is at <a href=\"/api/v1/openapi.json\">"
          "/api/v1/openapi.json</a>; build the dashboards with <code>make run</code>.</p>");
      return r;
    }
    return ErrorResponse(404, "not_found", "no file " + request.path);
  }
  std::error_code ec;
  const fs::path root = fs::canonical(options_.web_dir, ec);
  fs::path file = fs::weakly_canonical(root / fs::path(request.path).relative_path(), ec);
  const std::string rel = file.lexically_relative(root).string();
  if (ec || rel.rfind("..", 0) == 0) return ErrorResponse(404, "not_found", "no such file");
  bool spa = false;
  if (!fs::is_regular_file(file, ec)) {
    // Client-side routes (/team/payments) get the app's index.html.
    if (fs::path(request.path).has_extension()) {
      return ErrorResponse(404, "not_found", "no file " + request.path);
    }
    file = root / "index.html";
    spa = true;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return ErrorResponse(404, "not_found", "no file " + request.path);
  std::ostringstream buf;
  buf << in.rdbuf();
  HttpResponse r;
  r.content_type = ContentTypeOf(file.extension().string());
  r.body = std::make_shared<const std::string>(buf.str());
  const bool hashed = !spa && rel.rfind("assets/", 0) == 0;
  r.headers.push_back(
      {"Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return r;
}

void ApiServer::Observe(const ExchangeInfo& info) {
  const HttpRequest& r = *info.request;
  stats_->Observe(r.route_index, info.status, info.seconds);
  if (options_.access_log == nullptr) return;
  if (!options_.log_health && (r.path == "/healthz" || r.path == "/readyz")) return;
  // One JSON object per line; the query string is left out (it may carry
  // names), and never a header or a body.
  const std::string line = fmt::format(
      "{{\"ts\":{},\"remote\":{},\"method\":{},\"path\":{},\"route\":{},\"status\":{},"
      "\"bytes\":{},\"ms\":{:.3f},\"caller\":{}}}\n",
      JsonEscape(FormatRfc3339Utc(SystemClock::Get().NowUnixSeconds())), JsonEscape(r.remote_addr),
      JsonEscape(r.method), JsonEscape(r.path),
      JsonEscape(r.route_index < router_.routes().size() ? router_.routes()[r.route_index].pattern
                                                         : std::string()),
      info.status, info.bytes_out, info.seconds * 1000,
      JsonEscape(r.caller_id.empty() ? "-" : r.caller_id));
  std::lock_guard<std::mutex> l(log_mu_);
  std::fwrite(line.data(), 1, line.size(), options_.access_log);
  std::fflush(options_.access_log);
}

}  // namespace sei::api
