#include "api/event_hub.h"

#include <algorithm>

#include "common/time.h"

namespace sei::api {

std::string EventHub::Format(std::string_view event, int64_t id, const nlohmann::json& data) {
  std::string out = "id: " + std::to_string(id) + "\nevent: ";
  out += event;
  out += "\ndata: ";
  out += data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += "\n\n";
  return out;
}

bool EventHub::Entry::Sees(const metrics::Scope& s) {
  std::lock_guard<std::mutex> l(mu);
  for (const auto& [scope, ok] : seen) {
    if (scope == s) return ok;
  }
  const bool ok = sub.may_see ? sub.may_see(s) : true;
  if (seen.size() < 4096) seen.emplace_back(s, ok);
  return ok;
}

void EventHub::Add(Subscriber s) {
  auto e = std::make_shared<Entry>();
  e->sub = std::move(s);
  e->checked = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> l(mu_);
  entries_.push_back(std::move(e));
}

void EventHub::PruneLocked() {
  std::erase_if(entries_, [](const std::shared_ptr<Entry>& e) {
    auto sink = e->sub.sink.lock();
    return !sink || !sink->open();
  });
}

size_t EventHub::size() {
  std::lock_guard<std::mutex> l(mu_);
  PruneLocked();
  return entries_.size();
}

void EventHub::Publish(int64_t generation, const metrics::ScopeChanges& changes,
                       int64_t loaded_at) {
  if (changes.empty()) return;
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard<std::mutex> l(mu_);
    PruneLocked();
    entries = entries_;
  }
  const auto now = std::chrono::steady_clock::now();
  for (const auto& e : entries) {
    auto sink = e->sub.sink.lock();
    if (!sink) continue;
    if (e->sub.still_allowed && now - e->checked >= recheck_) {
      e->checked = now;
      if (!e->sub.still_allowed()) {
        sink->Send(Format("denied", generation,
                          {{"message", "the credentials of this stream are no longer valid"}}));
        sink->End();
        continue;
      }
      std::lock_guard<std::mutex> l(e->mu);
      e->seen.clear();  // roles and teams may have changed too
    }
    nlohmann::json scopes = nlohmann::json::array();
    auto watched = [&e](const metrics::Scope& s) {
      return e->sub.only.empty() ||
             std::find(e->sub.only.begin(), e->sub.only.end(), s) != e->sub.only.end();
    };
    if (changes.all) {
      for (const auto& s : e->sub.only) scopes.push_back(s.ToString());
    } else {
      for (const auto& s : changes.scopes) {
        if (watched(s) && e->Sees(s)) scopes.push_back(s.ToString());
      }
      if (scopes.empty()) continue;
    }
    nlohmann::json data = {{"generation", generation},
                           {"all", changes.all},
                           {"scopes", scopes},
                           {"rows_changed", changes.rows_changed},
                           {"loaded_at", FormatRfc3339Utc(loaded_at)}};
    if (sink->Send(Format("metrics", generation, data))) ++events_sent;
  }
}

}  // namespace sei::api
