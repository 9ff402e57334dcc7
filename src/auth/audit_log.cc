#include "auth/audit_log.h"

#include <string>
#include <utility>

namespace sei::auth {

namespace {

Status Check(AuditEntry* entry) {
  if (entry->actor.empty() || entry->action.empty() || entry->outcome.empty()) {
    return InvalidArgumentError("an audit entry needs an actor, an action and an outcome");
  }
  entry->id = 0;
  return Status::Ok();
}

}  // namespace

Status AuditLog::Record(Store& store, AuditEntry entry) {
  SEI_RETURN_IF_ERROR(Check(&entry));
  return store.AppendRow(model::SpecOf<AuditEntry>(), model::ToRow(entry)).status();
}

Result<TableWrite> AuditLog::Write(AuditEntry entry) {
  SEI_RETURN_IF_ERROR(Check(&entry));
  return TableWrite::Append(std::vector<AuditEntry>{std::move(entry)});
}

Result<std::vector<AuditEntry>> AuditLog::Recent(Store& store, int64_t limit,
                                                 std::optional<int64_t> before_id) {
  if (limit < 1 || limit > 1000) {
    return InvalidArgumentError("an audit page holds 1 to 1000 entries, not " +
                                std::to_string(limit));
  }
  ScanOptions options;
  options.order_by = "id";
  options.descending = true;
  std::vector<AuditEntry> out;
  // The Store filters by equality only: skip the newer entries, then stop
  // (with a private Cancelled status) once the page is full.
  const Status kFull = CancelledError("page full");
  Status s = store.ScanRows(model::SpecOf<AuditEntry>(), options, [&](const model::Row& row) {
    SEI_ASSIGN_OR_RETURN(AuditEntry e, model::FromRow<AuditEntry>(row));
    if (before_id && e.id >= *before_id) return Status::Ok();
    out.push_back(std::move(e));
    return static_cast<int64_t>(out.size()) >= limit ? kFull : Status::Ok();
  });
  if (!s.ok() && !(s.code() == StatusCode::kCancelled && s.message() == kFull.message())) {
    return s;
  }
  return out;
}

}  // namespace sei::auth
