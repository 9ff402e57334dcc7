// `sei migrate --from DB --to DB`: moves an installation from one database
// to another — a SQLite file into PostgreSQL when it outgrows one machine,
// or back, or into a new file — through the Store interface
// (store/copy/store_copier.h), and verifies the copy by row counts and
// checksums of every table read back from both. `--verify-only` compares
// two databases without writing. docs/operations.md has the procedure.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/store_factory.h"
#include "app/terminal_progress.h"
#include "common/strings.h"
#include "model/org.h"
#include "store/copy/store_copier.h"

namespace sei::app {

namespace {

namespace fs = std::filesystem;

struct MigrateArgs {
  std::string from;  // empty: the global --db
  std::string to;
  bool resume = false;
  bool verify_only = false;
  size_t batch_rows = 10000;
  int jobs = 2;
  std::string format = "text";
};

// A --from/--to value: a SQLite file (a path, or sqlite:PATH) or a
// PostgreSQL URL; any other URL is refused, never taken for a file name.
Status CheckDbValue(const std::string& flag, const std::string& db) {
  if (db.empty()) return InvalidArgumentError(flag + " is empty");
  if (IsPostgresUrl(db)) return Status::Ok();
  const size_t scheme = db.find("://");
  if (scheme != std::string::npos) {
    return InvalidArgumentError(fmt::format(
        "{} '{}://...' is not a database sei knows: pass a SQLite file (a path, or sqlite:PATH) "
        "or postgres://user[:password]@host[:port]/database",
        flag, db.substr(0, scheme)));
  }
  if (SqlitePath(db).empty()) return InvalidArgumentError(flag + " names no file");
  return Status::Ok();
}

bool SameSqliteFile(const std::string& a, const std::string& b) {
  if (IsPostgresUrl(a) || IsPostgresUrl(b)) return false;
  std::error_code ea, eb;
  const fs::path pa = fs::weakly_canonical(SqlitePath(a), ea);
  const fs::path pb = fs::weakly_canonical(SqlitePath(b), eb);
  return ea || eb ? SqlitePath(a) == SqlitePath(b) : pa == pb;
}

// The database to read: it must exist and hold SEI's schema (opening it
// for writing then migrates it to this sei's version, as any command does).
Result<std::unique_ptr<Store>> OpenSource(const std::string& db, bool read_only) {
  std::error_code ec;
  if (!IsPostgresUrl(db) && !fs::exists(SqlitePath(db), ec)) {
    return NotFoundError(fmt::format(
        "no database at {} to migrate from; pass --from with an existing SQLite file (or a "
        "postgres:// URL), or --db",
        SqlitePath(db)));
  }
  // Read-only first: a database without SEI's schema (an empty one, another
  // program's) is an error, not an installation to migrate and copy.
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> probe, OpenStore(db, true));
  SEI_ASSIGN_OR_RETURN(int version, probe->SchemaVersion());
  if (version == 0) {
    return NotFoundError(
        fmt::format("{} holds no SEI data (it has no SEI schema)", probe->Describe()));
  }
  if (read_only) return probe;
  probe.reset();
  return OpenStore(db, false);
}

std::string Verdict(const store_copy::TableResult& t) {
  if (t.source_rows != t.destination_rows) return "ROWS DIFFER";
  if (t.source_checksum != t.destination_checksum) return "CHECKSUM DIFFERS";
  return "OK";
}

void PrintText(const store_copy::CopyResult& r, const Store& from, const Store& to, bool copied) {
  std::printf("%s -> %s (schema version %d)\n", from.Describe().c_str(), to.Describe().c_str(),
              r.schema_version);
  std::printf("\n%-26s %14s %14s  %-16s  %s\n", "table", "source rows", "dest. rows", "checksum",
              "");
  int64_t rows = 0;
  for (const store_copy::TableResult& t : r.tables) {
    rows += t.source_rows;
    std::printf("%-26s %14s %14s  %-16s  %s%s\n", t.table.c_str(),
                WithThousands(t.source_rows).c_str(), WithThousands(t.destination_rows).c_str(),
                t.destination_checksum.substr(0, 16).c_str(), Verdict(t).c_str(),
                t.skipped ? " (already copied)" : "");
  }
  std::printf("\n");
  if (copied) {
    const double rate =
        r.copy_seconds > 0 ? static_cast<double>(r.rows_copied) / r.copy_seconds : 0;
    std::printf("Copied %s rows in %s (%s rows/s); ", WithThousands(r.rows_copied).c_str(),
                HumanDuration(r.copy_seconds).c_str(),
                WithThousands(static_cast<int64_t>(rate)).c_str());
  }
  std::printf("verified %s rows of %zu tables in %s: %s\n", WithThousands(rows).c_str(),
              r.tables.size(), HumanDuration(r.verify_seconds).c_str(),
              r.ok() ? "row counts and checksums equal" : "DIFFERENCES FOUND");
}

void PrintJson(const store_copy::CopyResult& r, const Store& from, const Store& to, bool copied) {
  nlohmann::json tables = nlohmann::json::array();
  for (const store_copy::TableResult& t : r.tables) {
    tables.push_back({{"table", t.table},
                      {"source_rows", t.source_rows},
                      {"destination_rows", t.destination_rows},
                      {"source_checksum", t.source_checksum},
                      {"destination_checksum", t.destination_checksum},
                      {"copied_rows", t.copied},
                      {"copy_seconds", t.copy_seconds},
                      {"skipped", t.skipped},
                      {"ok", t.ok()}});
  }
  nlohmann::json j = {{"source", from.Describe()},
                      {"destination", to.Describe()},
                      {"schema_version", r.schema_version},
                      {"copied", copied},
                      {"copied_rows", r.rows_copied},
                      {"copy_seconds", r.copy_seconds},
                      {"verify_seconds", r.verify_seconds},
                      {"ok", r.ok()},
                      {"tables", tables}};
  std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

// Connection secrets travel sealed: the new installation opens them only
// with the key they were sealed with.
void NoteSealedSecrets(const store_copy::CopyResult& r) {
  for (const store_copy::TableResult& t : r.tables) {
    if (t.table != model::SpecOf<model::ConnectionSecret>().table || t.source_rows == 0) continue;
    std::fprintf(stderr,
                 "note: %s connection secrets were copied sealed; sei opens them only with the "
                 "key that sealed them: $SEI_SECRET_KEY, else secret.key in the data directory "
                 "(--data-dir; by default .sei beside a SQLite file, ./.sei for PostgreSQL). "
                 "Run sei on the new database with the same key (the same SEI_SECRET_KEY, the "
                 "same --data-dir or config data_dir, or a copy of secret.key).\n",
                 WithThousands(t.source_rows).c_str());
  }
}

// Removes a SQLite destination this run created when nothing was copied
// into it (a refused or failed start leaves no empty file behind).
void RemoveIfCreated(const std::string& db, bool created) {
  if (!created || IsPostgresUrl(db)) return;
  std::error_code ec;
  const std::string path = SqlitePath(db);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ec);
}

Status RunMigrate(const Globals& g, const MigrateArgs& a) {
  const std::string from = a.from.empty() ? g.db : a.from;
  SEI_RETURN_IF_ERROR(CheckDbValue("--from", from));
  SEI_RETURN_IF_ERROR(CheckDbValue("--to", a.to));
  if (from == a.to || SameSqliteFile(from, a.to)) {
    return InvalidArgumentError("--from and --to name the same database (" + from + ")");
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> source, OpenSource(from, a.verify_only));
  std::error_code ec;
  const bool created = !IsPostgresUrl(a.to) && !fs::exists(SqlitePath(a.to), ec);
  if (a.verify_only && created) {
    return NotFoundError("no database at " + SqlitePath(a.to) + " to verify against");
  }
  Result<std::unique_ptr<Store>> opened =
      a.verify_only ? OpenSource(a.to, true) : OpenStore(a.to, false);
  if (!opened.ok()) {
    RemoveIfCreated(a.to, created);
    return opened.status();
  }
  std::unique_ptr<Store> destination = std::move(opened).value();
  if (source->Describe() == destination->Describe()) {
    return InvalidArgumentError("--from and --to name the same database (" + source->Describe() +
                                ")");
  }

  const bool show = g.progress == "always" || (g.progress == "auto" && !g.quiet && isatty(2));
  std::unique_ptr<Progress> progress;
  if (show) progress = std::make_unique<TerminalProgress>(stderr);
  store_copy::CopyOptions o;
  o.resume = a.resume;
  o.batch_rows = a.batch_rows;
  o.jobs = a.jobs;
  o.open_source = [from, read_only = a.verify_only] { return OpenStore(from, read_only); };
  o.open_destination = [to = a.to, read_only = a.verify_only] { return OpenStore(to, read_only); };
  o.progress = progress.get();
  o.cancel = g.cancel;
  int64_t written = 0;
  Result<store_copy::CopyResult> result = [&] {
    // Gone (with the stores its jobs opened) before anything is removed.
    store_copy::StoreCopier copier(*source, *destination, o);
    Result<store_copy::CopyResult> r = a.verify_only ? copier.Verify() : copier.Copy();
    written = copier.rows_written();
    return r;
  }();
  progress.reset();
  if (!result.ok()) {
    if (written == 0) {
      destination.reset();
      RemoveIfCreated(a.to, created);
      return result.status();
    }
    if (result.status().code() == StatusCode::kCancelled) return result.status();
    return Status(result.status().code(),
                  fmt::format("{}; {} rows were copied before it stopped: run the same command "
                              "with --resume to finish the copy",
                              result.status().message(), WithThousands(written)));
  }
  if (a.format == "json") {
    PrintJson(*result, *source, *destination, !a.verify_only);
  } else if (!g.quiet) {
    PrintText(*result, *source, *destination, !a.verify_only);
  }
  if (!a.verify_only && !g.quiet) NoteSealedSecrets(*result);
  if (!result->ok()) {
    std::string list;
    for (const std::string& m : result->Mismatches()) list += (list.empty() ? "" : "; ") + m;
    return DataLossError(
        fmt::format("{} and {} differ: {}", source->Describe(), destination->Describe(), list));
  }
  return Status::Ok();
}

}  // namespace

void AddMigrateCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<MigrateArgs>();
  CLI::App* cmd = root.add_subcommand(
      "migrate",
      "Move an installation to another database (SQLite to PostgreSQL ...): copy every table, "
      "then verify row counts and checksums");
  cmd->add_option("--from", args->from,
                  "Database to copy: a SQLite file (PATH or sqlite:PATH) or postgres://... "
                  "(default: --db, the config's db)");
  cmd->add_option("--to", args->to,
                  "Database to copy into, empty or new: postgres://user[:password]@host[:port]/"
                  "database, or a SQLite file")
      ->required();
  cmd->add_flag("--resume", args->resume,
                "Finish an interrupted copy: the destination may hold rows of this same source "
                "(checked row by row); whole tables are skipped, the others copied again");
  cmd->add_flag("--verify-only", args->verify_only,
                "Copy nothing: compare the row counts and checksums of every table of both "
                "databases (opened read-only)");
  cmd->add_option("--batch-rows", args->batch_rows,
                  "Rows per transaction (default 10000; a batch also ends at 16 MiB)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("-j,--jobs", args->jobs,
                  "Tables copied and verified at once, each job on connections of its own "
                  "(default 2; a SQLite destination takes one writer at a time)")
      ->check(CLI::Range(1, 32));
  cmd->add_option("--format", args->format, "text or json (the summary on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->footer(
      "\nEvery table is copied as it is (ids, lineage, sealed secrets, the audit log, the raw\n"
      "archive), in batches of one transaction each; then the destination's id sequences are\n"
      "moved past the copied ids, and each table of both databases is read back and compared:\n"
      "row counts and an order-independent checksum of every row. The exit status is 1 when\n"
      "anything differs, naming the table. Both databases are migrated to this sei's schema\n"
      "first. The destination must be empty (a new PostgreSQL database, a new file): one that\n"
      "holds data is refused before anything is written, unless --resume finds only rows of\n"
      "this same source in it. Stop `sei serve` and scheduled syncs on the source first.\n"
      "Examples:\n"
      "  createdb sei && sei migrate --from sqlite:/var/lib/sei/sei.db \\\n"
      "      --to postgres://sei:secret@db.internal:5432/sei\n"
      "  sei --db /var/lib/sei/sei.db migrate --to postgres://sei@db.internal/sei --format json\n"
      "  sei migrate --from sei.db --to postgres://sei@db.internal/sei --resume   # after Ctrl-C\n"
      "  sei migrate --from sei.db --to postgres://sei@db.internal/sei --verify-only\n"
      "  sei migrate --from postgres://sei@db.internal/sei --to sqlite:backup.db\n"
      "Then point sei at the new database: --db URL, or `db: URL` in sei.yaml.");
  out->push_back({cmd, [args](const Globals& g) { return RunMigrate(g, *args); }});
}

}  // namespace sei::app
