// UpdateOne: read one row, change it, write it back, in one transaction (a
// Store::ApplyWrites produce step runs under SQLite's write lock), so two
// writers never lose each other's change: a `sei token revoke` racing the
// server's last-used update cannot un-revoke the token. Internal to src/auth.
//
// Thread safety: as the Store it is given.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "model/entity.h"
#include "store/store.h"

namespace sei::auth {

// Applies `change` (Status(T&)) to the row of T whose `column` equals
// `value`; returns whether there was one. A non-ok Status from `change`
// aborts the write and is returned. `also` is applied in the same
// transaction (an audit entry).
template <class T, class Fn>
Result<bool> UpdateOne(Store& store, const std::string& column, const std::string& value, Fn change,
                       std::vector<TableWrite> also = {}) {
  bool found = false;
  TableWrite write;
  write.spec = &model::SpecOf<T>();
  write.produce = [&](const RowCallback& upsert, const RowCallback&) -> Status {
    ScanOptions options;
    options.where = {{column, value}};
    options.limit = 1;
    std::optional<T> item;
    SEI_RETURN_IF_ERROR(store.ScanRows(model::SpecOf<T>(), options, [&](const model::Row& row) {
      SEI_ASSIGN_OR_RETURN(T t, model::FromRow<T>(row));
      item = std::move(t);
      return Status::Ok();
    }));
    if (!item) return Status::Ok();
    found = true;
    SEI_RETURN_IF_ERROR(change(*item));
    return upsert(model::ToRow(*item));
  };
  also.insert(also.begin(), std::move(write));
  SEI_RETURN_IF_ERROR(store.ApplyWrites(also));
  return found;
}

}  // namespace sei::auth
