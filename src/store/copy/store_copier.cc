#include "store/copy/store_copier.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <utility>

#include "common/strings.h"
#include "model/registry.h"
#include "store/copy/row_checksum.h"
#include "store/copy/table_pool.h"
#include "store/sql_text.h"

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

// Every row of `spec` in `store`, checksummed; `advance` (may be empty)
// is told of every 4096 rows, and `stopped` asked.
Result<TableChecksum> ChecksumTable(Store& store, const model::TableSpec& spec,
                                    const std::function<void(int64_t)>& advance,
                                    const std::function<bool()>& stopped) {
  TableChecksum sum;
  ScanOptions all;
  all.storage_order = true;
  Status s = store.ScanRows(spec, all, [&](const model::Row& row) -> Status {
    sum.Add(row);
    if ((sum.rows() & 4095) == 0) {
      if (advance) advance(4096);
      if (stopped()) return CancelledError("interrupted");
    }
    return Status::Ok();
  });
  if (!s.ok())
    return s.WithContext(fmt::format("reading {} from {}", spec.table, store.Describe()));
  if (advance) advance(sum.rows() & 4095);
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
      options_(std::move(options)),
      progress_(options_.progress != nullptr ? options_.progress : &null_progress_) {
  options_.batch_rows = std::max<size_t>(options_.batch_rows, 1);
  options_.jobs = std::max(options_.jobs, 1);
}

StoreCopier::~StoreCopier() = default;

bool StoreCopier::Stopped() const { return stop_.load() || IsCancelled(options_.cancel); }

Status StoreCopier::Cancelled() const {
  return CancelledError(
      "interrupted; the destination holds a partial copy: run the same command with --resume "
      "to finish it");
}

Status StoreCopier::OpenWorkers() {
  if (!workers_.empty()) return Status::Ok();
  workers_.push_back({&source_, &destination_, nullptr, nullptr});
  for (int w = 1; w < options_.jobs; ++w) {
    if (!options_.open_source || !options_.open_destination) {
      return InternalError("copying with more than one job needs a way to open the stores");
    }
    Worker worker;
    SEI_ASSIGN_OR_RETURN(worker.own_source, options_.open_source());
    SEI_ASSIGN_OR_RETURN(worker.own_destination, options_.open_destination());
    worker.source = worker.own_source.get();
    worker.destination = worker.own_destination.get();
    workers_.push_back(std::move(worker));
  }
  return Status::Ok();
}

Status StoreCopier::RunTables(const std::string& phase, int64_t total, const TableTask& task) {
  const std::vector<const model::TableSpec*>& plan = CopyPlan();
  // A table read through a view waits for the table it hangs off.
  std::vector<int> after(plan.size(), -1);
  for (size_t i = 0; i < plan.size(); ++i) {
    const store_sql::ViewTable* view = store_sql::FindViewTable(*plan[i]);
    if (view == nullptr) continue;
    const std::string parent = view->parent_cells == 1 ? "repos" : "commits";
    for (size_t j = 0; j < i; ++j) {
      if (plan[j]->table == parent) after[i] = static_cast<int>(j);
    }
  }
  const bool parallel = workers_.size() > 1;
  rows_done_ = 0;
  if (parallel) progress_->Begin(phase, total);
  Status s = RunTablePool(
      after, workers_.size(),
      [&](size_t worker, size_t i) -> Status {
        int64_t table_done = 0;
        auto advance = [&](int64_t rows) {
          table_done += rows;
          rows_done_ += rows;
          if (!parallel) progress_->Update(table_done);
        };
        if (!parallel) {
          progress_->Begin(
              fmt::format("rows of {} {} ({}/{})", plan[i]->table, phase, i + 1, plan.size()),
              totals_[i]);
        }
        Status t = task(workers_[worker], i, advance);
        if (!parallel) progress_->End();
        return t;
      },
      [&] { progress_->Update(rows_done_.load()); }, &stop_);
  if (parallel) progress_->End();
  return s;
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

Status StoreCopier::CopyTable(Worker& w, const model::TableSpec& spec, TableResult* result,
                              const std::function<void(int64_t)>& advance) {
  const Clock::time_point start = Clock::now();
  std::vector<model::Row> batch;
  size_t bytes = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    SEI_RETURN_IF_ERROR(w.destination->CopyRows(spec, batch));
    result->copied += static_cast<int64_t>(batch.size());
    rows_written_ += static_cast<int64_t>(batch.size());
    advance(static_cast<int64_t>(batch.size()));
    batch.clear();
    bytes = 0;
    return Stopped() ? Cancelled() : Status::Ok();
  };
  ScanOptions all;
  all.storage_order = true;
  Status s = w.source->ScanRows(spec, all, [&](const model::Row& row) -> Status {
    bytes += RowBytes(row);
    batch.push_back(row);
    if (batch.size() >= options_.batch_rows || bytes >= options_.batch_bytes) return flush();
    return Status::Ok();
  });
  if (s.ok()) s = flush();
  // Ids past the copied ones even if the copy stops at the next table.
  if (s.ok()) s = w.destination->AdvanceIdSequences();
  result->copy_seconds = SecondsSince(start);
  if (!s.ok() && s.code() != StatusCode::kCancelled) {
    return s.WithContext("copying " + spec.table);
  }
  return s;
}

Status StoreCopier::VerifyTable(Worker& w, const model::TableSpec& spec, TableResult* result,
                                const std::function<void(int64_t)>& advance) {
  result->table = spec.table;
  // The source on a thread of its own: each store is used by one thread at
  // a time.
  std::future<Result<TableChecksum>> from = std::async(std::launch::async, [&] {
    return ChecksumTable(*w.source, spec, nullptr, [this] { return Stopped(); });
  });
  Result<TableChecksum> to =
      ChecksumTable(*w.destination, spec, advance, [this] { return Stopped(); });
  Result<TableChecksum> got = from.get();
  SEI_RETURN_IF_ERROR(got.status());
  SEI_RETURN_IF_ERROR(to.status());
  result->source_rows = got->rows();
  result->source_checksum = got->Hex();
  result->destination_rows = to->rows();
  result->destination_checksum = to->Hex();
  return Status::Ok();
}

Result<int64_t> StoreCopier::SourceRows() {
  int64_t total = 0;
  totals_.clear();
  for (const model::TableSpec* spec : CopyPlan()) {
    SEI_ASSIGN_OR_RETURN(int64_t rows, source_.CountRows(*spec, {}));
    totals_.push_back(rows);
    total += rows;
  }
  return total;
}

Status StoreCopier::VerifyTables(CopyResult* result, int64_t total) {
  const std::vector<const model::TableSpec*>& plan = CopyPlan();
  result->tables.resize(plan.size());
  const Clock::time_point start = Clock::now();
  Status s = RunTables("verified", total, [&](Worker& w, size_t i, const Advance& advance) {
    return VerifyTable(w, *plan[i], &result->tables[i], advance);
  });
  result->verify_seconds = SecondsSince(start);
  if (s.code() == StatusCode::kCancelled) {
    return CancelledError("interrupted while verifying; check the copy with --verify-only");
  }
  return s;
}

Result<CopyResult> StoreCopier::Copy() {
  CopyResult result;
  SEI_RETURN_IF_ERROR(CheckSchemas(&result));
  std::vector<bool> whole;
  SEI_RETURN_IF_ERROR(CheckDestination(&whole));
  SEI_ASSIGN_OR_RETURN(int64_t total, SourceRows());
  SEI_RETURN_IF_ERROR(OpenWorkers());
  const std::vector<const model::TableSpec*>& plan = CopyPlan();
  std::vector<TableResult> copied(plan.size());
  const Clock::time_point start = Clock::now();
  Status s = RunTables("copied", total, [&](Worker& w, size_t i, const Advance& advance) {
    copied[i].skipped = whole[i];
    return whole[i] ? Status::Ok() : CopyTable(w, *plan[i], &copied[i], advance);
  });
  // Whatever was copied, new ids go past it (a stopped copy included).
  Status advanced = destination_.AdvanceIdSequences();
  SEI_RETURN_IF_ERROR(s);
  SEI_RETURN_IF_ERROR(advanced);
  result.copy_seconds = SecondsSince(start);
  result.rows_copied = rows_written_;
  SEI_RETURN_IF_ERROR(VerifyTables(&result, total));
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
  SEI_ASSIGN_OR_RETURN(int64_t total, SourceRows());
  SEI_RETURN_IF_ERROR(OpenWorkers());
  SEI_RETURN_IF_ERROR(VerifyTables(&result, total));
  return result;
}

}  // namespace sei::store_copy
