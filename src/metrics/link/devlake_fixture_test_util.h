// Test-only helpers for the DevLake compatibility tests: reading DevLake's
// end-to-end CSVs from ../shared/fixtures/devlake-e2e and turning their rows
// into our model. Header-only; included by *_test.cc files only.
//
// Thread safety: pure functions.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "metrics/link/link_util.h"
#include "model/org.h"
#include "testing/test_util.h"

namespace sei::metrics::link::testing_devlake {

using CsvRow = std::map<std::string, std::string>;

// RFC 4180: a header line, then rows; fields may be quoted ("" escapes ").
inline std::vector<CsvRow> ReadCsv(const std::string& path) {
  const std::string text = sei::testing::ReadFile(path);
  std::vector<std::vector<std::string>> lines(1);
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      lines.back().push_back(field);
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      lines.back().push_back(field);
      field.clear();
      lines.emplace_back();
    } else {
      field += c;
    }
    any = true;
  }
  if (any && (!field.empty() || !lines.back().empty())) lines.back().push_back(field);
  std::vector<CsvRow> rows;
  if (lines.empty()) return rows;
  const std::vector<std::string> header = lines[0];
  for (size_t l = 1; l < lines.size(); ++l) {
    if (lines[l].empty() || (lines[l].size() == 1 && lines[l][0].empty())) continue;
    CsvRow row;
    for (size_t k = 0; k < header.size(); ++k) {
      row[header[k]] = k < lines[l].size() ? lines[l][k] : "";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The case folder, or "" when ../shared is absent.
inline std::string CaseDir(const std::string& rel) {
  const std::string root = sei::testing::SharedFixturesDir();
  if (root.empty()) return "";
  const std::string dir = root + "/devlake-e2e/" + rel;
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir : "";
}

// DevLake dates ("2022-09-10T06:51:47.000+00:00", "2022-11-13 23:37:21"),
// to whole seconds; empty or "NULL" is none.
inline std::optional<int64_t> Instant(const std::string& s) {
  if (s.empty() || s == "NULL") return std::nullopt;
  auto t = ParseTimestamp(s);
  if (!t.ok()) return std::nullopt;
  return t->unix_seconds;
}

inline std::optional<std::string> Opt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// project_mapping.csv as our projects and project scopes ("cicd_scopes" ->
// ci_scope, "repos" -> repo, "boards" -> board).
inline void ProjectMapping(const std::string& path, std::vector<model::Project>* projects,
                           std::vector<model::ProjectScope>* scopes) {
  std::map<std::string, bool> seen;
  for (const CsvRow& r : ReadCsv(path)) {
    const std::string& name = r.at("project_name");
    if (!seen[name]) {
      seen[name] = true;
      projects->push_back({name, name, std::nullopt});
    }
    const std::string& table = r.at("table");
    const std::string kind = table == "cicd_scopes" ? "ci_scope"
                             : table == "repos"     ? "repo"
                             : table == "boards"    ? "board"
                                                    : table;
    scopes->push_back({name, kind, r.at("row_id")});
  }
}

}  // namespace sei::metrics::link::testing_devlake
