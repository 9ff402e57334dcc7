// EventHub: the live-update stream behind GET /api/v1/events. Each open
// stream (Server-Sent Events, api/http_server.h's StreamSink) subscribes
// with what its caller may see and, optionally, the scopes it watches; after
// every reload of the metrics (a push, a collection, `sei link` in another
// process) the hub sends each subscriber one `metrics` event naming the
// changed scopes among those (metrics/core/dataset_diff.h says how changes
// are found), or nothing when none of its scopes changed.
//
//   id: 42
//   event: metrics
//   data: {"generation":42,"all":false,"scopes":["org","team:t1"],...}
//
// `all: true` means every scope may have changed (identities moved, or too
// many rows to name): refresh everything shown. A client that reconnects
// with Last-Event-ID below the current generation is told `all` at once, so
// nothing is missed across a reconnect.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.h"
#include "metrics/core/dataset_diff.h"

namespace sei::api {

struct Subscriber {
  std::weak_ptr<StreamSink> sink;
  // Whether the caller may see a scope's metrics (memoised by the hub).
  std::function<bool(const metrics::Scope&)> may_see;
  // Whether the caller's credentials still hold (re-checked every
  // `recheck` by Publish; a revoked token's stream is ended).
  std::function<bool()> still_allowed;
  // The scopes watched; empty: every scope the caller may see.
  std::vector<metrics::Scope> only;
};

class EventHub {
 public:
  explicit EventHub(std::chrono::seconds recheck = std::chrono::seconds(30)) : recheck_(recheck) {}

  void set_recheck(std::chrono::seconds every) { recheck_ = every; }
  void Add(Subscriber s);
  void Publish(int64_t generation, const metrics::ScopeChanges& changes, int64_t loaded_at);
  // Open subscriptions (dropping those whose stream closed).
  size_t size();

  // One Server-Sent Event: "id: ...\nevent: ...\ndata: <json>\n\n".
  static std::string Format(std::string_view event, int64_t id, const nlohmann::json& data);

  std::atomic<int64_t> events_sent{0};

 private:
  struct Entry {
    Subscriber sub;
    std::mutex mu;  // guards seen
    std::vector<std::pair<metrics::Scope, bool>> seen;
    std::chrono::steady_clock::time_point checked;
    bool Sees(const metrics::Scope& s);
  };
  void PruneLocked();  // drops subscribers whose stream closed; mu_ held

  std::chrono::seconds recheck_;
  std::mutex mu_;  // guards entries_
  std::vector<std::shared_ptr<Entry>> entries_;
};

}  // namespace sei::api
