// GenericReceiver: the /webhooks/generic receiver after its shared secret is
// checked: the delivery goes into the inbox (de-duplicated, body archived),
// then its body — a push API body with a "kind" field — through the same
// PushValidator and PushWriter as POST /api/v1/push/..., pointing at the
// archived body rather than archiving it twice.
//
// Thread safety: one thread at a time (inbox and writer are single-threaded).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/push/push_validator.h"
#include "collectors/push/push_writer.h"
#include "collectors/push/webhook_inbox.h"

namespace sei::collectors::push {

struct GenericOutcome {
  bool duplicate = false;          // delivered before: not converted again (unless never finished)
  int64_t raw_id = 0;              // the archived body
  std::vector<FieldError> errors;  // non-empty: the body was refused (answer 400)
};

class GenericReceiver {
 public:
  GenericReceiver(WebhookInbox& inbox, const PushValidator& validator, PushWriter& writer)
      : inbox_(inbox), validator_(validator), writer_(writer) {}

  // A delivery to connection `connection_name` ("push:<name>" rows).
  Result<GenericOutcome> Receive(std::string_view connection_name, std::string_view delivery_id,
                                 std::string body, int64_t received_at);

 private:
  WebhookInbox& inbox_;
  const PushValidator& validator_;
  PushWriter& writer_;
};

}  // namespace sei::collectors::push
