#include "testing/fake_github.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/time.h"

namespace sei::testing {

namespace {

using nlohmann::json;

// RFC 4180 CSV: quoted fields with "" escapes and newlines inside.
std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::string Param(const std::string& query, const std::string& name) {
  std::istringstream in(query);
  std::string kv;
  while (std::getline(in, kv, '&')) {
    const size_t eq = kv.find('=');
    if (kv.substr(0, eq) == name) return eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return "";
}

int64_t TimeOf(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return 0;
  auto t = ParseTimestamp(j[key].get<std::string>());
  return t.ok() ? t->unix_seconds : 0;
}

}  // namespace

FakeGithub::FakeGithub(const std::string& raw_dir, int per_page_cap) : per_page_cap_(per_page_cap) {
  for (const char* t : {"pull_requests", "pull_request_commits", "pull_request_reviews",
                        "pull_request_review_comments", "comments", "issues", "runs", "jobs"}) {
    std::ifstream f(raw_dir + "/_raw_github_api_" + t + ".csv", std::ios::binary);
    if (!f) return;
    std::stringstream ss;
    ss << f.rdbuf();
    auto rows = ReadCsv(ss.str());
    if (rows.empty()) return;
    const auto& head = rows[0];
    auto col = [&](const char* n) { return std::find(head.begin(), head.end(), n) - head.begin(); };
    const size_t params = col("params"), data = col("data"), input = col("input");
    for (size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].size() <= std::max({params, data, input})) continue;
      if (rows[i][params].find("\"ConnectionId\":1,") == std::string::npos) continue;
      items_[t].push_back(rows[i][data]);
      inputs_[t].push_back(rows[i][input]);
    }
  }
  // DevLake's jobs belong to 2021 runs its runs table does not hold: a run
  // in GitHub's shape is made for each from its first job, so the jobs are
  // reachable the way GitHub lists them (runs, then each run's jobs).
  std::set<int64_t> listed;
  for (const std::string& run : items_["runs"])
    listed.insert(json::parse(run)["id"].get<int64_t>());
  for (const std::string& job : items_["jobs"]) {
    const json j = json::parse(job);
    const int64_t run_id = j["run_id"].get<int64_t>();
    if (!listed.insert(run_id).second) continue;
    json run = {{"id", run_id},
                {"name", j.value("workflow_name", "CI")},
                {"head_branch", j.value("head_branch", "master")},
                {"head_sha", j["head_sha"]},
                {"event", "push"},
                {"status", j["status"]},
                {"conclusion", j["conclusion"]},
                {"created_at", j["started_at"]},
                {"run_started_at", j["started_at"]},
                {"updated_at", j["completed_at"]},
                {"html_url", j.value("run_url", "")},
                {"repository", {{"full_name", "panjf2000/ants"}}}};
    items_["runs"].push_back(run.dump());
    inputs_["runs"].push_back("null");
  }
  MakeReleasesAndDeployments();
  ok_ = true;
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) {
    FakeResponse out = Answer(r);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [match, delay] : delays_) {
        if (r.target.find(match) != std::string::npos) out.delay = std::max(out.delay, delay);
      }
    }
    if (out.status != 200) return out;
    // As GitHub: a weak ETag of the answer; If-None-Match with it is a 304.
    const std::string etag = "W/\"" + std::to_string(std::hash<std::string>{}(out.body)) + "\"";
    if (r.Header("if-none-match") == etag) {
      FakeResponse same;
      same.status = 304;
      same.WithHeader("ETag", etag);
      std::lock_guard<std::mutex> lock(mu_);
      ++not_modified_;
      return same;
    }
    out.WithHeader("ETag", etag);
    return out;
  });
}

void FakeGithub::SetMergeCommitSha(int64_t number, const std::string& sha) {
  for (std::string& item : items_["pull_requests"]) {
    json j = json::parse(item);
    if (j.value("number", int64_t{0}) != number) continue;
    j["merge_commit_sha"] = sha;
    item = j.dump();
  }
}

void FakeGithub::MakeReleasesAndDeployments() {
  const std::string api = "https://api.github.com/repos/panjf2000/ants";
  std::vector<json> merged;
  for (const std::string& s : items_["pull_requests"]) {
    json p = json::parse(s);
    if (!p["merged_at"].is_null()) merged.push_back(std::move(p));
  }
  std::stable_sort(merged.begin(), merged.end(), [](const json& a, const json& b) {
    return TimeOf(a, "merged_at") < TimeOf(b, "merged_at");
  });
  std::vector<json> releases;
  for (size_t i = 0; i < merged.size(); ++i) {
    const json& p = merged[i];
    const int64_t id = 9000000 + static_cast<int64_t>(i);
    const std::string tag = "v1." + std::to_string(i) + ".0";
    const std::string at = FormatRfc3339Utc(TimeOf(p, "merged_at") + 3600);
    releases.push_back({{"url", api + "/releases/" + std::to_string(id)},
                        {"html_url", "https://github.com/panjf2000/ants/releases/tag/" + tag},
                        {"id", id},
                        {"tag_name", tag},
                        {"target_commitish", i % 3 == 0 ? std::string("master")
                                                        : p["merge_commit_sha"].get<std::string>()},
                        {"name", i % 4 == 1 ? std::string("") : "ants " + tag},
                        {"draft", false},
                        {"prerelease", i % 5 == 2},
                        {"author", p["user"]},
                        {"created_at", at},
                        {"published_at", at},
                        {"assets", json::array()},
                        {"body", "Changes: #" + std::to_string(p["number"].get<int64_t>())}});
  }
  if (!merged.empty()) {  // a draft: no name, no published_at
    releases.push_back({{"url", api + "/releases/9100000"},
                        {"html_url", "https://github.com/panjf2000/ants/releases/tag/untagged-1"},
                        {"id", 9100000},
                        {"tag_name", "v2.0.0"},
                        {"target_commitish", "master"},
                        {"name", nullptr},
                        {"draft", true},
                        {"prerelease", false},
                        {"author", merged.back()["user"]},
                        {"created_at", FormatRfc3339Utc(TimeOf(merged.back(), "merged_at") + 7200)},
                        {"published_at", nullptr},
                        {"assets", json::array()},
                        {"body", nullptr}});
  }
  std::stable_sort(releases.begin(), releases.end(), [](const json& a, const json& b) {
    return TimeOf(a, "created_at") > TimeOf(b, "created_at");
  });
  for (const json& r : releases) releases_.push_back(r.dump());
  // Deployments of the last merges to production, each with statuses
  // (newest first, as GitHub lists them): queued, in_progress, then
  // success or (the middle one) failure; the first has 25 statuses, more
  // than a page. The last names the repository by a former name in its
  // URLs (as a transferred repository's old deployments do): it is still
  // the repository the sync asked about.
  for (size_t k = 0; k < 3 && k < merged.size(); ++k) {
    const json& p = merged[merged.size() - 1 - k];
    const int64_t id = 7700000 + static_cast<int64_t>(k);
    const int64_t at = TimeOf(p, "merged_at") + 600;
    const std::string home = k == 2 ? "https://api.github.com/repos/ants-former-owner/ants" : api;
    deployments_.push_back(json{
        {"url", home + "/deployments/" + std::to_string(id)},
        {"id", id},
        {"sha", p["merge_commit_sha"]},
        {"ref", "master"},
        {"task", "deploy"},
        {"environment", "production"},
        {"production_environment", true},
        {"creator", p["user"]},
        {"created_at", FormatRfc3339Utc(at)},
        {"updated_at", FormatRfc3339Utc(at + 300)},
        {"statuses_url", home + "/deployments/" + std::to_string(id) + "/statuses"},
        {"repository_url",
         home}}.dump());
    std::vector<std::string> states = {"queued"};
    for (int n = 0; n < (k == 0 ? 23 : 1); ++n) states.push_back("in_progress");
    states.push_back(k == 1 ? "failure" : "success");
    std::vector<std::string>& list = statuses_[id];
    for (size_t n = 0; n < states.size(); ++n) {
      list.insert(list.begin(),
                  json{{"id", id * 100 + static_cast<int64_t>(n)},
                       {"state", states[n]},
                       {"created_at", FormatRfc3339Utc(at + 10 * static_cast<int64_t>(n))},
                       {"log_url", "https://ci.example.com/deploy/" + std::to_string(id)},
                       {"creator", p["user"]}}
                      .dump());
    }
  }
}

std::vector<std::string> FakeGithub::Releases() {
  std::lock_guard<std::mutex> lock(mu_);
  return releases_;
}

void FakeGithub::RemoveRelease(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  releases_.erase(std::remove_if(releases_.begin(), releases_.end(),
                                 [&](const std::string& r) {
                                   return json::parse(r)["id"].get<int64_t>() == id;
                                 }),
                  releases_.end());
}

std::vector<std::string> FakeGithub::Deployments() { return deployments_; }

std::vector<std::string> FakeGithub::DeploymentStatuses(int64_t id) {
  auto it = statuses_.find(id);
  return it == statuses_.end() ? std::vector<std::string>() : it->second;
}

const std::vector<std::string>& FakeGithub::Items(const std::string& table) const {
  static const std::vector<std::string> none;
  auto it = items_.find(table);
  return it == items_.end() ? none : it->second;
}

const std::vector<std::string>& FakeGithub::Inputs(const std::string& table) const {
  static const std::vector<std::string> none;
  auto it = inputs_.find(table);
  return it == inputs_.end() ? none : it->second;
}

void FakeGithub::AddFault(FakeGithubFault fault) {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.push_back(std::move(fault));
}

FakeResponse FakeGithub::Paged(const FakeRequest& r, std::vector<std::string> items, bool envelope,
                               const std::string& envelope_key, int cap) {
  int per_page = std::atoi(Param(r.query, "per_page").c_str());
  if (per_page <= 0) per_page = 30;
  per_page = std::min(per_page, cap > 0 ? cap : per_page_cap_);
  int page = std::max(1, std::atoi(Param(r.query, "page").c_str()));
  const size_t pages = std::max<size_t>(1, (items.size() + per_page - 1) / per_page);
  json out = json::array();
  for (size_t i = (page - 1) * per_page; i < items.size() && i < size_t(page) * per_page; ++i) {
    out.push_back(json::parse(items[i]));
  }
  std::string body =
      envelope ? json{{"total_count", items.size()}, {envelope_key, out}}.dump() : out.dump();
  FakeResponse resp = FakeResponse::Json(200, body);
  auto link = [&](int p) {
    std::string q = r.query;
    size_t at = q.rfind("page=", 0) == 0 ? 0 : q.find("&page=");
    if (at != std::string::npos && at > 0) ++at;  // past the '&'
    if (at != std::string::npos) {
      const size_t end = q.find('&', at);
      q = q.substr(0, at) + "page=" + std::to_string(p) +
          (end == std::string::npos ? "" : q.substr(end));
    } else {
      q += (q.empty() ? "" : "&") + std::string("page=") + std::to_string(p);
    }
    return server_->Url(r.path + "?" + q);
  };
  std::string links;
  if (size_t(page) < pages) links = "<" + link(page + 1) + ">; rel=\"next\", ";
  links += "<" + link(int(pages)) + ">; rel=\"last\"";
  resp.WithHeader("Link", links);
  resp.WithHeader("X-RateLimit-Remaining", "4999");
  return resp;
}

FakeResponse FakeGithub::Answer(const FakeRequest& r) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (FakeGithubFault& f : faults_) {
      if (f.times > 0 && r.target.find(f.match) != std::string::npos) {
        --f.times;
        return f.response;
      }
    }
  }
  const std::string repo = "/repos/panjf2000/ants";
  if (r.path == repo) {
    json j = {
        {"id", 142217591},
        {"name", "ants"},
        {"full_name", "panjf2000/ants"},
        {"owner", {{"login", "panjf2000"}, {"id", 7496278}, {"type", "User"}}},
        {"html_url", "https://github.com/panjf2000/ants"},
        {"clone_url", clone_url_.empty() ? server_->Url("/git/panjf2000/ants.git") : clone_url_},
        {"default_branch", "master"},
        {"created_at", "2018-05-24T15:44:15Z"}};
    return FakeResponse::Json(200, j.dump());
  }
  if (r.path.rfind(repo, 0) != 0) return FakeResponse::Json(404, R"({"message":"Not Found"})");
  const std::string rest = r.path.substr(repo.size());
  auto by_input = [&](const std::string& table, const char* key, int64_t want) {
    std::vector<std::string> out;
    const auto& all = Items(table);
    const auto& in = Inputs(table);
    for (size_t i = 0; i < all.size(); ++i) {
      json j = json::parse(in[i], nullptr, false);
      if (j.is_object() && j.value(key, int64_t{-1}) == want) out.push_back(all[i]);
    }
    return out;
  };
  auto since_filtered = [&](const std::string& table) {
    const std::string since = Param(r.query, "since");
    int64_t from = 0;
    if (!since.empty()) {
      auto t = ParseTimestamp(since);
      if (t.ok()) from = t->unix_seconds;
    }
    std::vector<std::string> out;
    for (const std::string& s : Items(table)) {
      if (TimeOf(json::parse(s), "updated_at") >= from) out.push_back(s);
    }
    return out;
  };
  if (rest == "/pulls") {
    std::vector<std::string> items = Items("pull_requests");
    const bool desc = Param(r.query, "direction") == "desc";
    std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
      const int64_t ta = TimeOf(json::parse(a), "updated_at");
      const int64_t tb = TimeOf(json::parse(b), "updated_at");
      return desc ? ta > tb : ta < tb;
    });
    return Paged(r, items, false, "");
  }
  int64_t n = 0;
  char tail[64] = {0};
  if (std::sscanf(rest.c_str(), "/pulls/%ld%63s", &n, tail) >= 1 && n > 0) {
    const std::string t = tail;
    if (t.empty()) {
      for (const std::string& s : Items("pull_requests")) {
        json j = json::parse(s);
        if (j.value("number", int64_t{0}) != n) continue;
        j["merged"] = !j["merged_at"].is_null();
        return FakeResponse::Json(200, j.dump());
      }
      return FakeResponse::Json(404, R"({"message":"Not Found"})");
    }
    if (t == "/commits") return Paged(r, by_input("pull_request_commits", "Number", n), false, "");
    if (t == "/reviews") return Paged(r, by_input("pull_request_reviews", "Number", n), false, "");
  }
  if (rest == "/pulls/comments")
    return Paged(r, since_filtered("pull_request_review_comments"), false, "");
  if (rest == "/issues/comments") return Paged(r, since_filtered("comments"), false, "");
  if (rest == "/issues") return Paged(r, since_filtered("issues"), false, "");
  if (rest == "/actions/runs") return Paged(r, Items("runs"), true, "workflow_runs");
  if (std::sscanf(rest.c_str(), "/actions/runs/%ld/jobs", &n) == 1) {
    return Paged(r, by_input("jobs", "ID", n), true, "jobs");
  }
  if (rest == "/deployments") return Paged(r, deployments_, false, "", 1);  // one to a page
  if (std::sscanf(rest.c_str(), "/deployments/%ld/statuses", &n) == 1) {
    return Paged(r, DeploymentStatuses(n), false, "");
  }
  if (rest == "/releases") return Paged(r, Releases(), false, "");
  return FakeResponse::Json(404, R"({"message":"Not Found"})");
}

}  // namespace sei::testing
