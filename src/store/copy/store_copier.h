// StoreCopier: copies every table of one Store into another — SQLite to
// PostgreSQL when an installation outgrows its file, or any other pair,
// since it goes through the Store interface only — and verifies the copy by
// row counts and checksums read back through both (`sei migrate`,
// src/app/cmd_migrate.cc; docs/operations.md).
//
// What is copied: every entity of the registry (model::AllSpecs(), in its
// order: repositories before commits before their parents, files and
// refs), each table in batches of Store::CopyRows, one transaction each,
// rows as they are (store-assigned ids and raw_id lineage kept, sealed
// secrets as ciphertext); then the destination's id sequences are moved
// past the copied ids (Store::AdvanceIdSequences), so later appends do not
// collide. A table of the source that the registry does not know
// (Store::DataTables) stops the copy before anything is written: a future
// table is never silently left behind.
//
// The destination must hold no rows, or — with `resume` — only rows that
// the source holds too, unchanged (the part of an interrupted copy of the
// same source): each of its tables is then checked row by row against the
// source, tables already whole are skipped and the others copied again
// (idempotent upserts). Either check fails before anything is written.
//
// Verification reads each table of both stores whole (in storage order, no
// sort; the source and the destination in parallel) and compares row
// counts and TableChecksums (row_checksum.h).
//
// With `jobs` > 1, that many tables are copied (and verified) at once
// (table_pool.h), each job on Stores of its own that the options open.
//
// Thread safety: one copier at a time per pair of stores; it uses them
// from threads of its own while it runs, so no one else may meanwhile.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "store/store.h"

namespace sei::store_copy {

// The tables a copy writes, in order.
const std::vector<const model::TableSpec*>& CopyPlan();

// Ok when the copy plan covers every data table of `store`; otherwise a
// FailedPrecondition naming the tables a copy would leave behind.
Status CheckCoverage(Store& store);

struct TableResult {
  std::string table;
  int64_t source_rows = 0;
  int64_t destination_rows = 0;
  std::string source_checksum;
  std::string destination_checksum;
  int64_t copied = 0;       // rows this run wrote
  double copy_seconds = 0;  // how long writing them took
  bool skipped = false;     // resume: already whole, not written again
  bool ok() const {
    return source_rows == destination_rows && source_checksum == destination_checksum;
  }
};

struct CopyResult {
  int schema_version = 0;
  std::vector<TableResult> tables;
  int64_t rows_copied = 0;
  double copy_seconds = 0;
  double verify_seconds = 0;
  bool ok() const;
  // "commits (999 rows in the destination, 1,000 in the source)", one per
  // table that differs.
  std::vector<std::string> Mismatches() const;
};

struct CopyOptions {
  bool resume = false;
  // A batch (one transaction) ends at whichever comes first.
  size_t batch_rows = 10000;
  size_t batch_bytes = 16u << 20;
  Progress* progress = nullptr;               // none: silent
  const std::atomic<bool>* cancel = nullptr;  // checked between batches
  // Tables copied and verified at once, each job on stores of its own
  // (one connection to each database): more than one needs open_source
  // and open_destination, which open another Store on each database. A
  // table read through a view waits for the table it hangs off.
  int jobs = 1;
  std::function<Result<std::unique_ptr<Store>>()> open_source;
  std::function<Result<std::unique_ptr<Store>>()> open_destination;
};

class StoreCopier {
 public:
  StoreCopier(Store& source, Store& destination, CopyOptions options);
  ~StoreCopier();

  // Checks, copies every table, advances the destination's ids, verifies.
  // An error means the copy stopped (rows_written() says whether anything
  // was written); a finished copy whose verification found a difference is
  // a result that is not ok().
  Result<CopyResult> Copy();
  // Only the checks of the schema and the verification; writes nothing.
  Result<CopyResult> Verify();

  int64_t rows_written() const { return rows_written_.load(); }

 private:
  // One job's stores: the copier's own for the first, opened for others.
  struct Worker {
    Store* source = nullptr;
    Store* destination = nullptr;
    std::unique_ptr<Store> own_source;
    std::unique_ptr<Store> own_destination;
  };
  using Advance = std::function<void(int64_t rows)>;
  using TableTask = std::function<Status(Worker& w, size_t table, const Advance& advance)>;

  Status CheckSchemas(CopyResult* result);
  Status CheckDestination(std::vector<bool>* whole);
  // Counts the source's rows (totals_); returns their sum.
  Result<int64_t> SourceRows();
  Status OpenWorkers();
  // Runs `task` for every table of the plan on the workers, with progress.
  Status RunTables(const std::string& phase, int64_t total, const TableTask& task);
  Status CopyTable(Worker& w, const model::TableSpec& spec, TableResult* result,
                   const Advance& advance);
  Status VerifyTable(Worker& w, const model::TableSpec& spec, TableResult* result,
                     const Advance& advance);
  Status VerifyTables(CopyResult* result, int64_t total);
  bool Stopped() const;
  Status Cancelled() const;

  Store& source_;
  Store& destination_;
  CopyOptions options_;
  NullProgress null_progress_;
  Progress* progress_;
  std::vector<Worker> workers_;
  std::vector<int64_t> totals_;  // the source's rows, per table of the plan
  std::atomic<int64_t> rows_written_{0};
  std::atomic<int64_t> rows_done_{0};  // of the phase running, for progress
  std::atomic<bool> stop_{false};      // a job failed: the others stop too
};

}  // namespace sei::store_copy
