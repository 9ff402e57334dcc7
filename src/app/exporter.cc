#include "app/exporter.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace sei::app {

namespace {

struct Plan {
  std::vector<int> columns;  // indexes into spec.columns
  int path_bytes = -1;       // commit-files: exact path bytes replace `path`
  bool dash_for_null = false;
};

Result<Plan> MakePlan(const model::TableSpec& spec, const ExportOptions& options) {
  std::vector<std::string> names = options.columns;
  bool numstat = spec.entity == "commit-files";
  if (names.empty() && numstat && options.format == "tsv") {
    names = {"sha", "path", "added", "deleted"};
  }
  Plan plan;
  if (names.empty() || (names.size() == 1 && names[0] == "all")) {
    for (size_t i = 0; i < spec.columns.size(); ++i) plan.columns.push_back(static_cast<int>(i));
  } else {
    for (const std::string& n : names) {
      int i = spec.ColumnIndex(n);
      if (i < 0) {
        std::string all;
        for (const model::Column& c : spec.columns) all += (all.empty() ? "" : ", ") + c.name;
        return InvalidArgumentError(
            fmt::format("{} has no column '{}' (columns: {})", spec.entity, n, all));
      }
      plan.columns.push_back(i);
    }
  }
  if (numstat) {
    plan.path_bytes = spec.ColumnIndex("path_bytes");
    plan.dash_for_null = options.format != "jsonl";
  }
  return plan;
}

std::string Cell(const model::TableSpec& spec, const Plan& plan, const model::Row& row, int i) {
  const model::Column& col = spec.columns[i];
  const model::Value& v = row[i];
  if (col.name == "path" && plan.path_bytes >= 0) {
    if (const auto* raw = std::get_if<std::string>(&row[plan.path_bytes])) return *raw;
  }
  if (col.name == "path_bytes") {
    if (const auto* raw = std::get_if<std::string>(&v)) return Base64Encode(*raw);
  }
  if (std::holds_alternative<std::monostate>(v) && plan.dash_for_null &&
      (col.name == "added" || col.name == "deleted")) {
    return "-";
  }
  return model::ValueToString(v);
}

nlohmann::json JsonCell(const model::TableSpec& spec, const model::Row& row, int i) {
  const model::Column& col = spec.columns[i];
  const model::Value& v = row[i];
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (col.name == "path_bytes") return Base64Encode(std::get<std::string>(v));
  switch (col.type) {
    case model::ColumnType::kBoolean:
      return std::get<int64_t>(v) != 0;
    case model::ColumnType::kInteger:
      return std::get<int64_t>(v);
    case model::ColumnType::kReal:
      return std::get<double>(v);
    case model::ColumnType::kText:
      return std::get<std::string>(v);
  }
  return nullptr;
}

void AppendLine(const model::TableSpec& spec, const Plan& plan, const ExportOptions& o,
                const model::Row& row, std::string* buf) {
  if (o.format == "jsonl") {
    nlohmann::json obj = nlohmann::json::object();
    for (int i : plan.columns) obj[spec.columns[i].name] = JsonCell(spec, row, i);
    *buf += obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    *buf += '\n';
    return;
  }
  bool tsv = o.format == "tsv";
  for (size_t k = 0; k < plan.columns.size(); ++k) {
    if (k > 0) *buf += tsv ? '\t' : ',';
    std::string cell = Cell(spec, plan, row, plan.columns[k]);
    *buf += tsv ? QuoteCStyle(cell) : CsvEscape(cell);
  }
  *buf += tsv ? "\n" : "\r\n";
}

}  // namespace

Result<int64_t> ExportEntity(Store* store, const model::TableSpec& spec,
                             const ExportOptions& options, std::FILE* out) {
  if (options.format != "csv" && options.format != "tsv" && options.format != "jsonl") {
    return InvalidArgumentError(
        fmt::format("unknown format '{}': use csv, tsv or jsonl", options.format));
  }
  SEI_ASSIGN_OR_RETURN(Plan plan, MakePlan(spec, options));
  std::string buf;
  bool header = options.header.value_or(options.format == "csv");
  if (header && options.format != "jsonl") {
    for (size_t k = 0; k < plan.columns.size(); ++k) {
      if (k > 0) buf += options.format == "tsv" ? "\t" : ",";
      buf += spec.columns[plan.columns[k]].name;
    }
    buf += options.format == "tsv" ? "\n" : "\r\n";
  }
  int64_t rows = 0;
  auto flush = [&]() -> Status {
    if (!buf.empty() && std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) {
      return ResourceExhaustedError("cannot write the export (disk full or closed pipe)");
    }
    buf.clear();
    return Status::Ok();
  };
  ScanOptions scan;
  scan.where = options.where;
  Status s = store->ScanRows(spec, scan, [&](const model::Row& row) -> Status {
    AppendLine(spec, plan, options, row, &buf);
    ++rows;
    return buf.size() > (1 << 20) ? flush() : Status::Ok();
  });
  SEI_RETURN_IF_ERROR(s);
  SEI_RETURN_IF_ERROR(flush());
  if (std::fflush(out) != 0) return ResourceExhaustedError("cannot write the export");
  return rows;
}

}  // namespace sei::app
