#include "store/copy/store_copier.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>

#include "common/strings.h"
#include "model/registry.h"
#include "store/copy/row_checksum.h"

namespace sei::store_copy {

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

size_t RowBytes(const model::Row& row) {
  size_t bytes = 16 * row.size();
  for (const model::Value& v : row) {
    if (const auto* s = std::get_if<std::string>(&v)) bytes += s->size();
  }
  return bytes;
}

bool IsCancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

// Every row of `spec` in `store`, checksummed; `progress` (may be null)
// counts them.
Result<TableChecksum> ChecksumTable(Store& store, const model::TableSpec& spec, Progress* progress,
                                    const std::atomic<bool>* cancel) {
  TableChecksum sum;
  ScanOptions all;
  all.storage_order = true;
  Status s = store.ScanRows(spec, all, [&](const model::Row& row) -> Status {
    sum.Add(row);
    if ((sum.rows() & 4095) == 0) {
      if (progress != nullptr) progress->Update(sum.rows());
      if (IsCancelled(cancel)) return CancelledError("interrupted");
    }
    return Status::Ok();
  });
  if (!s.ok())
    return s.WithContext(fmt::format("reading {} from {}", spec.table, store.Describe()));
  return sum;
}

// How many rows of `spec` in `part` are not in `whole` with the same
// content.
Result<int64_t> RowsNotIn(Store& part, Store& whole, const model::TableSpec& spec) {
  std::vector<RowHash> hashes;
  ScanOptions all;
  all.storage_order = true;
  SEI_RETURN_IF_ERROR(part.ScanRows(spec, all, [&](const model::Row& row) {
    hashes.push_back(HashRow(row));
    return Status::Ok();
  }));
  std::sort(hashes.begin(), hashes.end());
  std::vector<bool> found(hashes.size(), false);
  int64_t matched = 0;
  SEI_RETURN_IF_ERROR(whole.ScanRows(spec, all, [&](const model::Row& row) {
    const RowHash h = HashRow(row);
    auto it = std::lower_bound(hashes.begin(), hashes.end(), h);
    if (it != hashes.end() && *it == h) {
      const size_t i = static_cast<size_t>(it - hashes.begin());
      if (!found[i]) {
        found[i] = true;
        ++matched;
      }
    }
    return Status::Ok();
  }));
  return static_cast<int64_t>(hashes.size()) - matched;
}

}  // namespace

const std::vector<const model::TableSpec*>& CopyPlan() { return model::AllSpecs(); }

Status CheckCoverage(Store& store) {
  SEI_ASSIGN_OR_RETURN(std::vector<std::string> tables, store.DataTables());
  std::set<std::string> planned;
  for (const model::TableSpec* spec : CopyPlan()) planned.insert(spec->table);
  std::vector<std::string> left;
  for (const std::string& t : tables) {
    if (planned.count(t) == 0) left.push_back(t);
  }
  if (left.empty()) return Status::Ok();
  std::string names;
  for (const std::string& t : left) names += (names.empty() ? "" : ", ") + t;
  return FailedPreconditionError(fmt::format(
      "{} has {} table(s) that this sei does not know how to copy: {}; nothing was copied (a "
      "copy would leave them behind). Tables made outside sei must be moved by hand; a table "
      "of sei's own schema missing here is a bug of sei migrate",
      store.Describe(), left.size(), names));
}

bool CopyResult::ok() const {
  return std::all_of(tables.begin(), tables.end(), [](const TableResult& t) { return t.ok(); });
}

std::vector<std::string> CopyResult::Mismatches() const {
  std::vector<std::string> out;
  for (const TableResult& t : tables) {
    if (t.source_rows != t.destination_rows) {
      out.push_back(fmt::format("{} ({} rows in the destination, {} in the source)", t.table,
                                WithThousands(t.destination_rows), WithThousands(t.source_rows)));
    } else if (t.source_checksum != t.destination_checksum) {
      out.push_back(fmt::format("{} (same {} rows, checksums differ: a row's content differs)",
                                t.table, WithThousands(t.source_rows)));
    }
  }
  return out;
}

StoreCopier::StoreCopier(Store& source, Store& destination, CopyOptions options)
    : source_(source),
      destination_(destination),
      options_(options),
      progress_(options.progress != nullptr ? options.progress : &null_progress_) {
  options_.batch_rows = std::max<size_t>(options_.batch_rows, 1);
}

Status StoreCopier::Cancelled() const {
  return CancelledError(
      "interrupted; the destination holds a partial copy: run the same command with --resume "
      "to finish it");
}

Status StoreCopier::CheckSchemas(CopyResult* result) {
  SEI_ASSIGN_OR_RETURN(int from, source_.SchemaVersion());
  SEI_ASSIGN_OR_RETURN(int to, destination_.SchemaVersion());
  if (from != to) {
    return FailedPreconditionError(fmt::format(
        "{} is at schema version {} and {} at {}: both must be at this sei's version (open "
        "each once with a command that writes, e.g. `sei --db DB db status` does not; `sei "
        "migrate` itself migrates both when it copies)",
        source_.Describe(), from, destination_.Describe(), to));
  }
  result->schema_version = from;
  return CheckCoverage(source_);
}

Status StoreCopier::CheckDestination(std::vector<bool>* whole) {
  const std::vector<const model::TableSpec*>& plan = CopyPlan();
  whole->assign(plan.size(), false);
  std::vector<std::string> held;
  int64_t tables = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    SEI_ASSIGN_OR_RETURN(int64_t rows, destination_.CountRows(*plan[i], {}));
    if (rows == 0) continue;
    ++tables;
    if (held.size() < 5) {
      held.push_back(
          fmt::format("{}: {} row{}", plan[i]->table, WithThousands(rows), rows == 1 ? "" : "s"));
    }
    if (!options_.resume) continue;
    SEI_ASSIGN_OR_RETURN(int64_t foreign, RowsNotIn(destination_, source_, *plan[i]));
    if (foreign > 0) {
      return FailedPreconditionError(fmt::format(
          "--resume: {} is not a partial copy of {}: {} of its {} rows of {} are not in the "
          "source (or differ from it); nothing was written. Copy into an empty database "
          "instead",
          destination_.Describe(), source_.Describe(), WithThousands(foreign), WithThousands(rows),
          plan[i]->table));
    }
    SEI_ASSIGN_OR_RETURN(int64_t source_rows, source_.CountRows(*plan[i], {}));
    (*whole)[i] = rows == source_rows;
  }
  if (tables == 0 || options_.resume) return Status::Ok();
  std::string list;
  for (const std::string& h : held) list += (list.empty() ? "" : ", ") + h;
  if (tables > static_cast<int64_t>(held.size())) {
    list += fmt::format(" and {} more tables", tables - static_cast<int64_t>(held.size()));
  }
  return FailedPreconditionError(fmt::format(
      "{} already holds data ({}); sei migrate copies into an empty database only, and nothing "
      "was written. Pass a new database (PostgreSQL: createdb NAME; SQLite: a new file), or, "
      "to finish an interrupted copy of this same source, run the same command with --resume",
      destination_.Describe(), list));
}

Status StoreCopier::CopyTable(const model::TableSpec& spec, TableResult* result) {
  SEI_ASSIGN_OR_RETURN(int64_t total, source_.CountRows(spec, {}));
  progress_->Begin("rows of " + spec.table, total);
  std::vector<model::Row> batch;
  size_t bytes = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    SEI_RETURN_IF_ERROR(destination_.CopyRows(spec, batch));
    result->copied += static_cast<int64_t>(batch.size());
    rows_written_ += static_cast<int64_t>(batch.size());
    batch.clear();
    bytes = 0;
    progress_->Update(result->copied);
    return IsCancelled(options_.cancel) ? Cancelled() : Status::Ok();
  };
  ScanOptions all;
  all.storage_order = true;
  Status s = source_.ScanRows(spec, all, [&](const model::Row& row) -> Status {
    bytes += RowBytes(row);
    batch.push_back(row);
    if (batch.size() >= options_.batch_rows || bytes >= options_.batch_bytes) return flush();
    return Status::Ok();
  });
  if (s.ok()) s = flush();
  // Ids past the copied ones even if the copy stops at the next table.
  if (s.ok()) s = destination_.AdvanceIdSequences();
  progress_->End();
  if (!s.ok() && s.code() != StatusCode::kCancelled) {
    return s.WithContext("copying " + spec.table);
  }
  return s;
}

Status StoreCopier::VerifyTables(CopyResult* result) {
  const std::vector<const model::TableSpec*>& plan = CopyPlan();
  result->tables.resize(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    const model::TableSpec& spec = *plan[i];
    TableResult& t = result->tables[i];
    t.table = spec.table;
    // The source on a thread of its own, the destination here (with the
    // progress bar): each store is used by one thread at a time.
    std::future<Result<TableChecksum>> from = std::async(
        std::launch::async, [&] { return ChecksumTable(source_, spec, nullptr, options_.cancel); });
    Result<int64_t> total = destination_.CountRows(spec, {});
    progress_->Begin("rows of " + spec.table + " verified", total.ok() ? *total : 0);
    Result<TableChecksum> to = ChecksumTable(destination_, spec, progress_, options_.cancel);
    progress_->End();
    Result<TableChecksum> got = from.get();
    SEI_RETURN_IF_ERROR(got.status());
    SEI_RETURN_IF_ERROR(to.status());
    t.source_rows = got->rows();
    t.source_checksum = got->Hex();
    t.destination_rows = to->rows();
    t.destination_checksum = to->Hex();
  }
  return Status::Ok();
}

Result<CopyResult> StoreCopier::Copy() {
  CopyResult result;
  SEI_RETURN_IF_ERROR(CheckSchemas(&result));
  std::vector<bool> whole;
  SEI_RETURN_IF_ERROR(CheckDestination(&whole));
  const Clock::time_point start = Clock::now();
  const std::vector<const model::TableSpec*>& plan = CopyPlan();
  std::vector<TableResult> copied(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    copied[i].table = plan[i]->table;
    copied[i].skipped = whole[i];
    const Clock::time_point table_start = Clock::now();
    if (!whole[i]) SEI_RETURN_IF_ERROR(CopyTable(*plan[i], &copied[i]));
    copied[i].copy_seconds = SecondsSince(table_start);
  }
  SEI_RETURN_IF_ERROR(destination_.AdvanceIdSequences());
  result.copy_seconds = SecondsSince(start);
  result.rows_copied = rows_written_;
  const Clock::time_point verify = Clock::now();
  SEI_RETURN_IF_ERROR(VerifyTables(&result));
  result.verify_seconds = SecondsSince(verify);
  for (size_t i = 0; i < plan.size(); ++i) {
    result.tables[i].copied = copied[i].copied;
    result.tables[i].skipped = copied[i].skipped;
    result.tables[i].copy_seconds = copied[i].copy_seconds;
  }
  return result;
}

Result<CopyResult> StoreCopier::Verify() {
  CopyResult result;
  SEI_RETURN_IF_ERROR(CheckSchemas(&result));
  const Clock::time_point verify = Clock::now();
  SEI_RETURN_IF_ERROR(VerifyTables(&result));
  result.verify_seconds = SecondsSince(verify);
  return result;
}

}  // namespace sei::store_copy
