#include "api/list_query.h"

#include <algorithm>
#include <set>

#include "api/request_params.h"
#include "api/scope_params.h"
#include "common/clock.h"
#include "common/time.h"
#include "metrics/core/query_text.h"

namespace sei::api {

namespace {

constexpr int64_t kMaxLimit = 500;

std::string Hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

bool Unhex(const std::string& s, std::string* out) {
  if (s.size() % 2 != 0 || s.size() > 4096) return false;
  auto v = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); i += 2) {
    const int h = v(s[i]), l = v(s[i + 1]);
    if (h < 0 || l < 0) return false;
    out->push_back(static_cast<char>(h * 16 + l));
  }
  return true;
}

std::string Cursor(const std::optional<int64_t>& key, const std::string& id) {
  return Hex((key ? std::to_string(*key) : std::string("~")) + "\t" + id);
}

bool ParseCursor(const std::string& text, ListQuery* q) {
  std::string raw;
  if (!Unhex(text, &raw)) return false;
  const size_t tab = raw.find('\t');
  if (tab == std::string::npos) return false;
  const std::string key = raw.substr(0, tab);
  q->after_id = raw.substr(tab + 1);
  q->has_cursor = true;
  if (key == "~") {
    q->after_missing = true;
    return true;
  }
  try {
    size_t used = 0;
    q->after_key = std::stoll(key, &used);
    return used == key.size();
  } catch (...) {
    return false;
  }
}

// Scope parameters as the metrics take them, resolved.
Status ParseScope(const HttpRequest& r, const metrics::Dataset& ds, ListQuery* q) {
  metrics::QueryText t;
  ReadScopeParams(r, &t);
  t.since = "0d";
  SEI_ASSIGN_OR_RETURN(metrics::Query mq, metrics::ParseQuery(t, 0, ""));
  SEI_ASSIGN_OR_RETURN(q->scope, ds.Resolve(mq.scope));
  q->target = TargetOf(ds, q->scope);
  return Status::Ok();
}

}  // namespace

std::vector<ParamDoc> ListParamDocs(const EntityListSpec& spec) {
  std::vector<ParamDoc> p = {
      {"scope", "query", "string",
       "org (default), team:NAME, project:NAME, repo:NAME, person:NAME"},
      {"team", "query", "string", "Shorthand for scope=team:NAME"},
      {"project", "query", "string", "Shorthand for scope=project:NAME"},
      {"repo", "query", "string", "Shorthand for scope=repo:NAME"},
      {"person", "query", "string", "Shorthand for scope=person:NAME"},
      {"since", "query", "string", "Rows whose " + spec.time_field + " is at or after this"},
      {"until", "query", "string", "Rows whose " + spec.time_field + " is before this"},
      {"limit", "query", "integer", "Rows per page, 1 to 500 (default 50)"},
      {"cursor", "query", "string", "next_cursor of the previous page"},
  };
  std::vector<std::string> sorts;
  for (const auto& s : spec.sorts) {
    sorts.push_back(s.field);
    sorts.push_back("-" + s.field);
  }
  p.push_back({"sort", "query", "string",
               "Sort field; -field for descending (default -" + spec.sorts.front().field + ")",
               false, sorts});
  for (const auto& f : spec.filters) {
    p.push_back({f.field, "query", "string", f.description, false, f.values});
  }
  return p;
}

Result<ListQuery> ParseListQuery(const HttpRequest& r, const metrics::Dataset& ds,
                                 const EntityListSpec& spec, nlohmann::json* errors) {
  ListQuery q;
  *errors = nlohmann::json::array();
  auto bad = [errors](const std::string& field, const std::string& why) {
    errors->push_back({{"field", field}, {"reason", why}});
  };
  if (Status s = ParseScope(r, ds, &q); !s.ok()) bad("scope", s.message());
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  for (const char* name : {"since", "until"}) {
    auto v = r.Param(name);
    if (!v) continue;
    auto t = metrics::ParseWhen(*v, now, name);
    if (!t.ok())
      bad(name, t.status().message());
    else
      (std::string(name) == "since" ? q.since : q.until) = *t;
  }
  auto limit = IntParam(r, "limit", 50, 1, kMaxLimit);
  if (!limit.ok())
    bad("limit", limit.status().message());
  else
    q.limit = *limit;
  std::string sort = r.Param("sort").value_or("-" + spec.sorts.front().field);
  q.descending = !sort.empty() && sort[0] == '-';
  if (q.descending) sort = sort.substr(1);
  for (const auto& s : spec.sorts) {
    if (s.field == sort) q.sort = &s;
  }
  if (q.sort == nullptr) bad("sort", "'" + sort + "' is not a sort field of " + spec.name);
  for (const auto& f : spec.filters) {
    auto v = r.Param(f.field);
    if (!v) continue;
    if (!f.values.empty() && std::find(f.values.begin(), f.values.end(), *v) == f.values.end()) {
      std::string allowed;
      for (const auto& a : f.values) allowed += (allowed.empty() ? "" : ", ") + a;
      bad(f.field, "'" + *v + "' is not one of " + allowed);
      continue;
    }
    q.filters.push_back({&f, *v});
  }
  if (auto c = r.Param("cursor"); c && !ParseCursor(*c, &q)) {
    bad("cursor", "not a cursor this server made; pass next_cursor back unchanged");
  }
  static const std::set<std::string> kCommon = {"scope", "team",  "project", "repo",   "person",
                                                "since", "until", "limit",   "cursor", "sort"};
  for (const auto& [k, v] : r.query) {
    bool known = kCommon.count(k) > 0;
    for (const auto& f : spec.filters) known = known || f.field == k;
    if (!known) bad(k, "unknown parameter for " + spec.name);
  }
  if (!errors->empty()) {
    return InvalidArgumentError(std::to_string(errors->size()) + " invalid query parameter" +
                                (errors->size() == 1 ? "" : "s") + " (see details)");
  }
  return q;
}

Result<nlohmann::json> RunListQuery(const metrics::Dataset& ds, const EntityListSpec& spec,
                                    const ListQuery& q) {
  struct Row {
    std::optional<int64_t> key;
    size_t index;
  };
  std::vector<Row> rows;
  const size_t n = spec.count(ds);
  for (size_t i = 0; i < n; ++i) {
    if (!spec.in_scope(ds, q.scope, i)) continue;
    if (q.since || q.until) {
      auto t = spec.time(ds, i);
      if (!t || (q.since && *t < *q.since) || (q.until && *t >= *q.until)) continue;
    }
    bool ok = true;
    for (const auto& [f, v] : q.filters) ok = ok && f->match(ds, i, v);
    if (ok) rows.push_back({q.sort->key(ds, i), i});
  }
  // Missing values sort last in either direction; ties by id, ascending.
  auto less = [&](const Row& a, const Row& b) {
    if (a.key.has_value() != b.key.has_value()) return a.key.has_value();
    if (a.key && *a.key != *b.key) return q.descending ? *a.key > *b.key : *a.key < *b.key;
    return spec.id(ds, a.index) < spec.id(ds, b.index);
  };
  std::sort(rows.begin(), rows.end(), less);
  size_t start = 0;
  if (q.has_cursor) {
    const bool probe_has = !q.after_missing && q.after_key.has_value();
    const int64_t probe_key = probe_has ? *q.after_key : 0;
    // First row strictly after the cursor's (key, id).
    start = static_cast<size_t>(std::partition_point(rows.begin(), rows.end(),
                                                     [&](const Row& r) {
                                                       if (r.key.has_value() != probe_has)
                                                         return r.key.has_value();
                                                       if (r.key && *r.key != probe_key) {
                                                         return q.descending ? *r.key > probe_key
                                                                             : *r.key < probe_key;
                                                       }
                                                       return spec.id(ds, r.index) <= q.after_id;
                                                     }) -
                                rows.begin());
  }
  nlohmann::json items = nlohmann::json::array();
  const size_t end = std::min(rows.size(), start + static_cast<size_t>(q.limit));
  for (size_t i = start; i < end; ++i) items.push_back(spec.to_json(ds, rows[i].index));
  nlohmann::json next = nullptr;
  if (end < rows.size() && end > start) {
    next = Cursor(rows[end - 1].key, spec.id(ds, rows[end - 1].index));
  }
  return nlohmann::json{{"items", items},
                        {"total", rows.size()},
                        {"next_cursor", next},
                        {"sort", (q.descending ? "-" : "") + q.sort->field}};
}

}  // namespace sei::api
