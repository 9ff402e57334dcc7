// The webhook inbox: one row per webhook delivery accepted from a source, so
// a delivery the source retries (same delivery id) is recognised and not
// converted twice, and every accepted delivery points at its archived body.
//
// A delivery is keyed by (source, delivery_id): GitHub's X-GitHub-Delivery,
// GitLab's X-Gitlab-Event-UUID, the generic receiver's X-Sei-Delivery.
// `status` is "received" when archived, "converted" once turned into rows,
// "failed" when conversion refused it (the archive keeps the body).
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct WebhookDelivery {
  std::string source;       // "github", "gitlab", "generic"
  std::string delivery_id;  // the source's delivery id
  std::string event;        // "push", "pull_request", "deployment" ...
  int64_t received_at = 0;
  std::optional<int64_t> raw_id;  // raw_payloads.id of the body
  std::string status;             // "received", "converted", "failed"

  static constexpr const char* kTable = "webhook_deliveries";
  static constexpr const char* kView = "webhook_deliveries";
  static constexpr const char* kEntity = "webhook-deliveries";
  static constexpr const char* kDescription =
      "webhook deliveries received, de-duplicated by the source's delivery id";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"source", "delivery_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("source", &WebhookDelivery::source);
    v("delivery_id", &WebhookDelivery::delivery_id);
    v("event", &WebhookDelivery::event);
    v("received_at", &WebhookDelivery::received_at);
    v("raw_id", &WebhookDelivery::raw_id);
    v("status", &WebhookDelivery::status);
  }
};

}  // namespace sei::model
