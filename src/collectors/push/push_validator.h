// PushValidator: turns the body of a push API request into a model row, or
// into the list of every invalid field and why (docs/api.md, "Push API").
//
// What it checks: the body is one JSON object with no unknown top-level
// fields; required fields are present; strings are at most 1 KiB (urls
// 2 KiB); timestamps are RFC 3339 with a zone; enums are in their
// vocabulary; SHAs are 7..64 hex digits; a deployment lists at most 10,000
// commits and finishes no earlier than it started. The connection name must
// match [a-z0-9][a-z0-9_-]{0,63}; ids are namespaced as
// "push:<name>:<kind>:<external id>" (model/ids.h), so two connections never
// collide and re-pushing the same external id updates one row.
//
// It never touches the store: the server validates each request before it
// joins a write batch, and a bad body stores nothing.
//
// Thread safety: immutable after construction; any number of threads may
// call it at once (the Clock must be thread-safe, as every Clock is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "collectors/push/push_item.h"
#include "common/clock.h"

namespace sei::collectors::push {

class PushValidator {
 public:
  explicit PushValidator(const Clock& clock) : clock_(clock) {}

  // "push:<name>" for a valid connection name; else an error on field
  // "connection".
  static Validated<std::string> ConnectionIdFor(std::string_view name);

  // A push of `kind` to connection `connection_name`; `body` is kept in the
  // item for the archive. received_at is the clock's now.
  Validated<PushItem> Validate(PushKind kind, std::string_view connection_name,
                               std::string body) const;

  // The generic webhook receiver's body: a push body with a "kind" field
  // ("deployment", "incident", "pull_request", "issue").
  Validated<PushItem> ValidateGeneric(std::string_view connection_name, std::string body) const;

  // The body of .../incidents/{id}/resolve: {"resolved_at": RFC 3339}, or
  // an empty body (or {}) for now.
  Validated<int64_t> ValidateResolve(std::string_view body) const;

  // An external id from a URL path (DELETE, resolve): 1..1024 bytes, no
  // control characters.
  static Validated<std::string> ExternalId(std::string_view id);

  // "production", "staging", "testing", "development" or "" (unknown) for an
  // environment name: model::EnvironmentTypeOf, the rules the CI deployment
  // generator uses too ("prod-eu" -> production, "uat" -> staging).
  static std::string EnvironmentTypeOf(std::string_view name);

 private:
  const Clock& clock_;
};

}  // namespace sei::collectors::push
