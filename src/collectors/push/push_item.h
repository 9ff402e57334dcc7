// The values the push API hands between its validator and its writer: what
// was pushed (kind, connection, external id, the body as received) and the
// model row it was converted into, plus the field errors of a bad body.
//
// Why separate: the server validates each request as it arrives (a bad body
// gets its 400 at once and never reaches a batch), then hands the valid items
// of many concurrent requests to one PushWriter::Apply (group commit).
//
// Thread safety: value types.
#pragma once

#include "model/access.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"
#include "model/delivery.h"
#include "model/review.h"
#include "model/work.h"

namespace sei::collectors::push {

// One invalid field: where (a JSON path such as "commits[3]" or
// "commit_range.from"; "" for the body as a whole) and why.
struct FieldError {
  std::string field;
  std::string reason;
  bool operator==(const FieldError&) const = default;
};

// A value, or every reason it could not be made.
template <class T>
class Validated {
 public:
  Validated(T value) : value_(std::move(value)) {}  // NOLINT: implicit, like Result
  Validated(std::vector<FieldError> errors) : errors_(std::move(errors)) {}  // NOLINT

  bool ok() const { return errors_.empty() && value_.has_value(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }

  // InvalidArgument listing every error ("2 invalid fields: result: must be
  // one of ...; started_at: ..."); Ok when valid.
  Status ToStatus() const;

 private:
  std::optional<T> value_;
  std::vector<FieldError> errors_;
};

Status FieldErrorsToStatus(const std::vector<FieldError>& errors);

template <class T>
Status Validated<T>::ToStatus() const {
  return ok() ? Status::Ok() : FieldErrorsToStatus(errors_);
}

enum class PushKind { kDeployment, kIncident, kPullRequest, kIssue };

// "deployment", "incident", "pull_request", "issue".
std::string_view PushKindName(PushKind kind);
// The kind named `name` (also "pull-request"); nullopt when unknown.
std::optional<PushKind> ParsePushKind(std::string_view name);
// The kind segment of the kind's ids ("deployment", "incident", "pr", "issue").
std::string_view PushKindIdSegment(PushKind kind);

// A pushed deployment: the row, and the commits it shipped.
struct PushedDeployment {
  // repo_id holds the repo as pushed (an id or a name) until
  // PushWriter::Apply resolves it against the stored repos.
  model::Deployment deployment;
  std::vector<std::string> commits;       // "commits": lowercase shas, deduplicated
  std::optional<std::string> range_from;  // "commit_range.from" (to is commit_sha)
};

using PushRow = std::variant<PushedDeployment, model::Incident, model::PullRequest, model::Issue>;

// One valid push, ready for PushWriter::Apply.
struct PushItem {
  PushKind kind = PushKind::kDeployment;
  std::string connection_id;  // "push:<name>"
  std::string external_id;    // the pusher's id, unique per connection and kind
  std::string body;           // the body as received, archived as the row's raw payload
  int64_t received_at = 0;
  PushRow row;
  // Set when the body is archived already (a webhook delivery in the inbox):
  // Apply points the row at it instead of archiving the body again.
  std::optional<int64_t> archived_raw_id;
  // The audit entry of the request that pushed it (actor, action, target,
  // remote address), appended in the same transaction as the row; none for
  // items a webhook delivery carried (the delivery is the record).
  std::optional<model::AuditEntry> audit;
};

}  // namespace sei::collectors::push
