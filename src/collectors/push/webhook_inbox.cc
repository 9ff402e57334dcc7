#include "collectors/push/webhook_inbox.h"

#include <fmt/format.h>

namespace sei::collectors::push {
namespace {

constexpr size_t kMaxDeliveryId = 256;
// Returned from inside the transaction when another writer stored the
// delivery first; never leaves this file.
constexpr std::string_view kRaceMarker = "webhook delivery stored concurrently";

}  // namespace

Result<std::optional<model::WebhookDelivery>> WebhookInbox::Find(std::string_view source,
                                                                 std::string_view delivery_id) {
  ScanOptions where;
  where.where = {{"source", model::Value{std::string(source)}},
                 {"delivery_id", model::Value{std::string(delivery_id)}}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::WebhookDelivery> found,
                       store_.List<model::WebhookDelivery>(where));
  if (found.empty()) return std::optional<model::WebhookDelivery>();
  return std::optional<model::WebhookDelivery>(std::move(found.front()));
}

Result<InboxOutcome> WebhookInbox::Accept(std::string_view source, std::string_view delivery_id,
                                          std::string_view event, std::string_view body,
                                          int64_t received_at, std::string_view connection_id) {
  if (source.empty()) return InvalidArgumentError("a webhook delivery needs its source");
  if (delivery_id.empty() || delivery_id.size() > kMaxDeliveryId) {
    return InvalidArgumentError(fmt::format(
        "a {} webhook delivery needs a delivery id of 1 to {} bytes (the source's delivery "
        "header, e.g. X-GitHub-Delivery)",
        source, kMaxDeliveryId));
  }
  SEI_ASSIGN_OR_RETURN(std::optional<model::WebhookDelivery> seen, Find(source, delivery_id));
  if (seen) return InboxOutcome{true, seen->raw_id.value_or(0), seen->status};

  model::RawPayload raw;
  raw.connection_id = std::string(connection_id.empty() ? source : connection_id);
  raw.source = std::string(source);
  raw.scope = "webhook";
  raw.entity = std::string(event);
  raw.url = fmt::format("webhook:{}/{}", source, delivery_id);
  raw.fetched_at = received_at;
  raw.content_type = "application/json";
  raw.body = std::string(body);
  int64_t raw_id = 0;
  Status s = store_.ArchiveAndApply(
      {raw}, [&](const std::vector<int64_t>& ids) -> Result<std::vector<TableWrite>> {
        SEI_ASSIGN_OR_RETURN(std::optional<model::WebhookDelivery> raced,
                             Find(source, delivery_id));
        if (raced) return InternalError(std::string(kRaceMarker));
        raw_id = ids.at(0);
        model::WebhookDelivery d{
            std::string(source), std::string(delivery_id), std::string(event), received_at, raw_id,
            "received"};
        // Inserted only when new: a server that took the same delivery at
        // the same moment (PostgreSQL, where writers do not serialise) and
        // committed first makes this whole write, the archived body with
        // it, roll back as a duplicate.
        return std::vector<TableWrite>{
            TableWrite::InsertNew(std::vector<model::WebhookDelivery>{std::move(d)})};
      });
  if (!s.ok() && (s.message() == kRaceMarker || s.code() == StatusCode::kAlreadyExists)) {
    SEI_ASSIGN_OR_RETURN(seen, Find(source, delivery_id));
    return InboxOutcome{true, seen ? seen->raw_id.value_or(0) : 0,
                        seen ? seen->status : "received"};
  }
  if (!s.ok()) return s.WithContext(fmt::format("archiving {} delivery {}", source, delivery_id));
  return InboxOutcome{false, raw_id, "received"};
}

Status WebhookInbox::MarkStatus(std::string_view source, std::string_view delivery_id,
                                std::string_view status) {
  SEI_ASSIGN_OR_RETURN(std::optional<model::WebhookDelivery> d, Find(source, delivery_id));
  if (!d) {
    return NotFoundError(fmt::format("no {} webhook delivery {}", source, delivery_id));
  }
  d->status = std::string(status);
  return store_.ApplyWrites({TableWrite::Upsert(std::vector<model::WebhookDelivery>{*d})});
}

}  // namespace sei::collectors::push
