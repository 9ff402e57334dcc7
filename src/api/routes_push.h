// What the push and webhook routes need: the validator, the group-commit
// queue, and the webhook secret of each source ("github", "gitlab",
// "generic"); a source without a secret refuses every delivery.
//
// Thread safety: filled before the routes are added, then only read.
#pragma once

#include <map>
#include <string>

#include "api/push_queue.h"
#include "collectors/push/push_validator.h"

namespace sei::api {

class ApiServer;

struct PushContext {
  const collectors::push::PushValidator* validator = nullptr;
  PushQueue* queue = nullptr;
  std::map<std::string, std::string> webhook_secrets;
};

void AddPushRoutes(ApiServer& api, PushContext* ctx);

}  // namespace sei::api
