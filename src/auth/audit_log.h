// AuditLog: the append-only record of every write and every login (issue 5,
// "Access"): who (actor), what (action, target), when, from where, and the
// outcome. Entries never hold a secret: no token, password or key goes into
// `detail`.
//
// Thread safety: as the Store it is given; ids increase across concurrent
// writers (SQLite assigns them under its write lock).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "model/access.h"
#include "store/store.h"

namespace sei::auth {

using AuditEntry = model::AuditEntry;

class AuditLog {
 public:
  // Appends `entry` (its id is ignored and assigned). An entry without
  // actor, action or outcome is an InvalidArgument error.
  static Status Record(Store& store, AuditEntry entry);
  // The same entry as a write to pass to Store::ApplyWrites with the change
  // it records, so both commit or neither does.
  static Result<TableWrite> Write(AuditEntry entry);

  // The newest `limit` entries (1..1000) with an id below `before_id` (all
  // when empty), newest first: page on with the last id returned.
  static Result<std::vector<AuditEntry>> Recent(Store& store, int64_t limit,
                                                std::optional<int64_t> before_id = std::nullopt);
};

}  // namespace sei::auth
