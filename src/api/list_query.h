// Entity lists over the Dataset: each list (pull-requests, deployments,
// incidents, issues) is described by an EntityListSpec (its sort fields,
// filters and time field), and one engine parses the query parameters,
// filters by scope, time range and fields, sorts with ties broken by id, and
// pages with an opaque cursor (the last row's sort value and id), so paging
// stays stable while rows are added.
//
// Thread safety: specs are immutable; the functions are pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http_message.h"
#include "api/router.h"
#include "common/result.h"
#include "metrics/core/dataset.h"

namespace sei::api {

struct EntityListSpec {
  std::string name;  // "pull-requests": the path and the entity
  std::string summary;
  std::string time_field;  // what since/until filter on, e.g. "created_at"
  size_t (*count)(const metrics::Dataset&);
  const std::string& (*id)(const metrics::Dataset&, size_t);
  std::optional<int64_t> (*time)(const metrics::Dataset&, size_t);
  bool (*in_scope)(const metrics::Dataset&, const metrics::ResolvedScope&, size_t);
  nlohmann::json (*to_json)(const metrics::Dataset&, size_t);
  struct Sort {
    std::string field;
    std::optional<int64_t> (*key)(const metrics::Dataset&, size_t);
  };
  std::vector<Sort> sorts;  // the first is the default, descending
  struct Filter {
    std::string field;
    std::string description;
    std::vector<std::string> values;  // allowed values, when fixed
    bool (*match)(const metrics::Dataset&, size_t, const std::string& value);
  };
  std::vector<Filter> filters;
};

const std::vector<EntityListSpec>& EntityListSpecs();
std::vector<ParamDoc> ListParamDocs(const EntityListSpec& spec);

struct ListQuery {
  Target target;
  metrics::ResolvedScope scope;
  std::optional<int64_t> since, until;
  std::vector<std::pair<const EntityListSpec::Filter*, std::string>> filters;
  const EntityListSpec::Sort* sort = nullptr;
  bool descending = true;
  int64_t limit = 50;
  // After this row (from the cursor).
  std::optional<int64_t> after_key;
  bool after_missing = false;  // the cursor's row had no sort value
  std::string after_id;
  bool has_cursor = false;
};

// Every invalid parameter is reported at once: on error, `errors` holds
// {"field", "reason"} for each, for the 400's details.
Result<ListQuery> ParseListQuery(const HttpRequest& r, const metrics::Dataset& ds,
                                 const EntityListSpec& spec, nlohmann::json* errors);
// {"items": [...], "total": N, "next_cursor": "..." or null, "sort": ...}
Result<nlohmann::json> RunListQuery(const metrics::Dataset& ds, const EntityListSpec& spec,
                                    const ListQuery& q);

}  // namespace sei::api
