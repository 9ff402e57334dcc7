// What the push and webhook routes need: the validator, the group-commit
// queue, and the webhook secret of each source ("github", "gitlab",
// "generic") for /webhooks/{source}, and of each connection for
// /webhooks/{source}/{connection}; a source or connection without a secret
// refuses every delivery.
//
// Thread safety: filled before the routes are added, then only read.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "api/push_queue.h"
#include "collectors/push/push_validator.h"

namespace sei::api {

class ApiServer;

struct PushContext {
  const collectors::push::PushValidator* validator = nullptr;
  PushQueue* queue = nullptr;
  std::map<std::string, std::string> webhook_secrets;
  // The webhook secret of a connection ("github:acme", "push:ci"), nullopt
  // when it has none (set by `sei connect` or /api/v1/connections).
  std::function<Result<std::optional<std::string>>(const std::string& connection_id)>
      connection_webhook_secret;
};

void AddPushRoutes(ApiServer& api, PushContext* ctx);

}  // namespace sei::api
