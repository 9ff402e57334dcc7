// WebhookInbox: the first stop of every signed webhook delivery. It
// de-duplicates deliveries by (source, delivery id), since sources retry and
// an attacker may replay a captured delivery, and archives the raw body, so
// conversion (issue 7 for GitHub and GitLab payloads; the generic receiver
// below) runs from the archive, in the same code path as API collection.
//
// The signature is the server's to check (net/webhook_signature.h) before
// Accept is called: an unsigned or forged request must leave no trace here.
//
// Accept is exact under concurrency, also across servers on one PostgreSQL
// database: the delivery row is inserted only when new
// (TableWrite::insert_new) in the transaction that archives the body, so of
// two concurrent deliveries with one id, one commits and the other rolls
// back, its body with it, and is answered as the duplicate.
//
// Thread safety: one thread at a time (it uses a Store& of one thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "model/inbox.h"
#include "store/store.h"

namespace sei::collectors::push {

struct InboxOutcome {
  bool duplicate = false;  // this (source, delivery id) was accepted before
  int64_t raw_id = 0;      // the archived body (the first delivery's, for a duplicate)
  // The delivery's status: "received" for a new one; for a duplicate, the
  // first delivery's ("received" means its conversion never finished, so a
  // retry may convert it again; conversions are idempotent upserts).
  std::string status = "received";
};

class WebhookInbox {
 public:
  explicit WebhookInbox(Store& store) : store_(store) {}

  // Records a delivery of `event` from `source` ("github", "gitlab",
  // "generic") and archives `body`; a delivery id seen before stores nothing
  // and returns duplicate with the first delivery's raw_id. The delivery id
  // must be 1..256 bytes. The body is archived under `connection_id` (a
  // delivery to one connection, /webhooks/{source}/{connection}), else
  // under the source.
  Result<InboxOutcome> Accept(std::string_view source, std::string_view delivery_id,
                              std::string_view event, std::string_view body, int64_t received_at,
                              std::string_view connection_id = {});

  // Sets a delivery's status: "converted" or "failed" (conversion refused it).
  Status MarkStatus(std::string_view source, std::string_view delivery_id, std::string_view status);

  // The stored delivery, if any.
  Result<std::optional<model::WebhookDelivery>> Find(std::string_view source,
                                                     std::string_view delivery_id);

 private:
  Store& store_;
};

}  // namespace sei::collectors::push
