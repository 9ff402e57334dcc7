#include "collectors/push/generic_receiver.h"

namespace sei::collectors::push {

Result<GenericOutcome> GenericReceiver::Receive(std::string_view connection_name,
                                                std::string_view delivery_id, std::string body,
                                                int64_t received_at) {
  GenericOutcome out;
  // The name is checked first: a delivery to no valid connection is not kept.
  Validated<std::string> connection = PushValidator::ConnectionIdFor(connection_name);
  if (!connection.ok()) {
    out.errors = connection.errors();
    return out;
  }
  Result<InboxOutcome> accepted = inbox_.Accept("generic", delivery_id, "push", body, received_at);
  if (!accepted.ok()) return accepted.status();
  const InboxOutcome& in = *accepted;
  out.duplicate = in.duplicate;
  out.raw_id = in.raw_id;
  // A duplicate whose first delivery was never converted (the store failed
  // mid-way and the source retried) is converted now.
  if (in.duplicate && in.status != "received") return out;
  Validated<PushItem> item = validator_.ValidateGeneric(connection_name, std::move(body));
  if (!item.ok()) {
    out.errors = item.errors();
    SEI_RETURN_IF_ERROR(inbox_.MarkStatus("generic", delivery_id, "failed"));
    return out;
  }
  item.value().archived_raw_id = in.raw_id;
  item.value().received_at = received_at;
  SEI_RETURN_IF_ERROR(writer_.Apply({std::move(item).value()}));
  SEI_RETURN_IF_ERROR(inbox_.MarkStatus("generic", delivery_id, "converted"));
  return out;
}

}  // namespace sei::collectors::push
