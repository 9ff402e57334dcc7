// `sei export ENTITY`, `sei db status` and `sei db migrate`.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "app/commands.h"
#include "app/exporter.h"
#include "app/store_factory.h"
#include "common/strings.h"
#include "model/registry.h"

namespace sei::app {

namespace {

void ListEntities() {
  for (const model::TableSpec* spec : model::AllSpecs()) {
    std::printf("%-22s %s\n", spec->entity.c_str(), spec->description.c_str());
  }
}

}  // namespace

Status RunExport(const Globals& g, const ExportArgs& args) {
  if (args.list) {
    ListEntities();
    return Status::Ok();
  }
  const model::TableSpec* spec = model::FindSpec(args.entity);
  if (spec == nullptr) {
    return InvalidArgumentError(fmt::format(
        "unknown entity '{}'; `sei export --list` shows them all (e.g. commits, commit-files)",
        args.entity));
  }
  if (args.header && args.no_header) {
    return InvalidArgumentError("pass --header or --no-header, not both");
  }
  ExportOptions o;
  o.format = args.format;
  o.columns = args.columns;
  if (args.header) o.header = true;
  if (args.no_header) o.header = false;
  if (!args.repo.empty()) {
    if (spec->ColumnIndex("repo_id") < 0) {
      return InvalidArgumentError(fmt::format("--repo does not apply to {}", spec->entity));
    }
    o.where.push_back({"repo_id", args.repo});
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, true));
  std::FILE* out = stdout;
  bool to_file = !args.output.empty() && args.output != "-";
  if (to_file) {
    out = std::fopen(args.output.c_str(), "wb");
    if (out == nullptr) {
      return PermissionDeniedError(
          fmt::format("cannot write {}: {}", args.output, std::strerror(errno)));
    }
  }
  Result<int64_t> rows = ExportEntity(store.get(), *spec, o, out);
  if (to_file && std::fclose(out) != 0 && rows.ok()) {
    return ResourceExhaustedError(fmt::format("cannot finish writing {}", args.output));
  }
  if (!rows.ok()) return rows.status();
  if (to_file && !g.quiet) {
    std::fprintf(stderr, "wrote %s %s rows to %s\n", WithThousands(*rows).c_str(),
                 spec->entity.c_str(), args.output.c_str());
  }
  return Status::Ok();
}

Status RunDbStatus(const Globals& g) {
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, true));
  SEI_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
  std::printf("database      %s\nschema        version %d\n\n", store->Describe().c_str(), version);
  std::printf("%-22s %12s\n", "entity", "rows");
  for (const model::TableSpec* spec : model::AllSpecs()) {
    SEI_ASSIGN_OR_RETURN(int64_t n, store->CountRows(*spec, {}));
    std::printf("%-22s %12s\n", spec->entity.c_str(), WithThousands(n).c_str());
  }
  return Status::Ok();
}

Status RunDbMigrate(const Globals& g) {
  // The version before, to say what was done: a database that does not
  // exist yet (or has no schema) is version 0; any other failure (a newer
  // schema, a server that refuses us) stops here.
  int before = 0;
  {
    Result<std::unique_ptr<Store>> existing = OpenStore(g.db, true);
    if (existing.ok()) {
      SEI_ASSIGN_OR_RETURN(before, (*existing)->SchemaVersion());
    } else if (existing.status().code() != StatusCode::kNotFound) {
      return existing.status();
    }
  }
  // Opening for writing migrates (PostgreSQL: under the advisory lock, so
  // a server starting meanwhile waits for us, or we for it).
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  SEI_ASSIGN_OR_RETURN(int after, store->SchemaVersion());
  if (!g.quiet) {
    if (after == before) {
      std::printf("database %s: schema version %d, up to date\n", store->Describe().c_str(), after);
    } else {
      std::printf("database %s: schema version %d -> %d\n", store->Describe().c_str(), before,
                  after);
    }
  }
  return Status::Ok();
}

}  // namespace sei::app
