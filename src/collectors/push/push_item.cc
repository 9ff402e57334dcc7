#include "collectors/push/push_item.h"

#include <fmt/format.h>

namespace sei::collectors::push {

Status FieldErrorsToStatus(const std::vector<FieldError>& errors) {
  if (errors.empty()) return Status::Ok();
  std::string message =
      errors.size() == 1 ? "1 invalid field: " : fmt::format("{} invalid fields: ", errors.size());
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) message += "; ";
    message +=
        errors[i].field.empty() ? errors[i].reason : errors[i].field + ": " + errors[i].reason;
  }
  return InvalidArgumentError(std::move(message));
}

std::string_view PushKindName(PushKind kind) {
  switch (kind) {
    case PushKind::kDeployment:
      return "deployment";
    case PushKind::kIncident:
      return "incident";
    case PushKind::kPullRequest:
      return "pull_request";
    case PushKind::kIssue:
      return "issue";
  }
  return "";
}

std::optional<PushKind> ParsePushKind(std::string_view name) {
  if (name == "deployment") return PushKind::kDeployment;
  if (name == "incident") return PushKind::kIncident;
  if (name == "pull_request" || name == "pull-request") return PushKind::kPullRequest;
  if (name == "issue") return PushKind::kIssue;
  return std::nullopt;
}

std::string_view PushKindIdSegment(PushKind kind) {
  return kind == PushKind::kPullRequest ? "pr" : PushKindName(kind);
}

}  // namespace sei::collectors::push
