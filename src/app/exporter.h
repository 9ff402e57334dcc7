// Exporter: writes any stored entity as CSV, TSV or JSON Lines for other
// tools (`sei export ENTITY`).
//
// Formats:
//  - csv: RFC 4180, header line by default;
//  - tsv: no header by default; fields holding control characters, '"' or
//    '\' are C-quoted the way git quotes paths (core.quotePath=false), so one
//    record is always one line;
//  - jsonl: one JSON object per line, NULL as null, booleans as true/false.
// commit-files defaults to the columns sha, path, added, deleted in TSV, with
// binary files as "-" — the same lines as `git log --numstat` — and paths as
// their exact bytes.
//
// Thread safety: stateless functions.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/entity.h"
#include "store/store.h"

namespace sei::app {

struct ExportOptions {
  std::string format = "csv";        // csv | tsv | jsonl
  std::vector<std::string> columns;  // empty: the entity's defaults
  std::optional<bool> header;        // default: csv yes, tsv no
  std::vector<std::pair<std::string, model::Value>> where;
};

// Writes every matching row of `spec` to `out`; returns the row count.
Result<int64_t> ExportEntity(Store* store, const model::TableSpec& spec,
                             const ExportOptions& options, std::FILE* out);

}  // namespace sei::app
