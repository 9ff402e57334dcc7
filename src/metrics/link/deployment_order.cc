#include "metrics/link/deployment_order.h"

#include <algorithm>
#include <numeric>

#include "metrics/link/link_util.h"

namespace sei::metrics::link {

namespace {

constexpr char kSep = '\x1f';

std::string GroupKey(const model::Deployment& d,
                     const std::unordered_map<std::string, std::string>& ci_scope_of, Mode mode) {
  if (mode == Mode::kDevLake) {
    std::string scope = d.connection_id;
    if (d.pipeline_id) {
      auto it = ci_scope_of.find(*d.pipeline_id);
      if (it != ci_scope_of.end()) scope = it->second;
    }
    return scope + kSep + d.repo_id.value_or("") + kSep + d.environment;
  }
  std::string key = d.repo_id ? "r" + *d.repo_id : d.service ? "s" + *d.service : "-";
  return key + kSep + d.environment;
}

bool Ships(const model::Deployment& d, int64_t at, Mode mode) {
  if (at == kNoTime || !IsSuccess(d.result)) return false;
  if (mode == Mode::kDevLake) {
    return d.finished_at.has_value() && !d.environment.empty() && d.repo_id.has_value() &&
           !d.repo_id->empty();
  }
  return true;
}

}  // namespace

DeploymentOrder DeploymentOrder::Build(
    const std::vector<model::Deployment>& deps,
    const std::unordered_map<std::string, std::string>& ci_scope_of, Mode mode) {
  DeploymentOrder o;
  const size_t n = deps.size();
  o.at.resize(n);
  o.ships.resize(n);
  o.prev.assign(n, -1);
  std::vector<std::string> group(n);
  for (size_t i = 0; i < n; ++i) {
    const model::Deployment& d = deps[i];
    o.at[i] = d.finished_at ? *d.finished_at : d.started_at ? *d.started_at : kNoTime;
    o.ships[i] = Ships(d, o.at[i], mode) ? 1 : 0;
    group[i] = GroupKey(d, ci_scope_of, mode);
  }
  const auto earlier = [&](int32_t a, int32_t b) {
    const size_t ia = static_cast<size_t>(a), ib = static_cast<size_t>(b);
    if (o.at[ia] != o.at[ib]) return o.at[ia] < o.at[ib];
    const int64_t sa = deps[ia].started_at.value_or(kNoTime);
    const int64_t sb = deps[ib].started_at.value_or(kNoTime);
    if (sa != sb) return sa < sb;
    return deps[ia].id < deps[ib].id;
  };
  std::vector<int32_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  for (int32_t i : all) {
    if (o.at[static_cast<size_t>(i)] != kNoTime) o.by_time.push_back(i);
  }
  std::sort(o.by_time.begin(), o.by_time.end(), earlier);
  std::vector<int32_t> shipping;
  for (int32_t i : o.by_time) {
    if (o.ships[static_cast<size_t>(i)]) shipping.push_back(i);
  }
  std::stable_sort(shipping.begin(), shipping.end(), [&](int32_t a, int32_t b) {
    return group[static_cast<size_t>(a)] < group[static_cast<size_t>(b)];
  });
  for (size_t k = 1; k < shipping.size(); ++k) {
    const size_t cur = static_cast<size_t>(shipping[k]);
    const size_t before = static_cast<size_t>(shipping[k - 1]);
    if (group[cur] == group[before]) o.prev[cur] = shipping[k - 1];
  }
  return o;
}

}  // namespace sei::metrics::link
