// Runs every golden case under tests/golden/ (see golden_case.h): input rows
// into a fresh SQLite store (and again into a fresh PostgreSQL database), the case's steps, the
// metrics engine, and the report compared with the case's expectations; and, when the case expects
// tables, the stored rows compared with them.
#include <gtest/gtest.h>

#include <filesystem>

#include "golden/golden_case.h"
#include "metrics/core/dataset_loader.h"
#include "metrics/core/report_json.h"
#include "metrics/engine/engine.h"
#include "model/registry.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/pg_cluster.h"
#include "testing/test_util.h"

namespace sei::golden {
namespace {

using nlohmann::json;

std::vector<std::string> CaseFiles() {
  std::vector<std::string> files;
  const std::filesystem::path root = std::filesystem::path(testing::SourceDir()) / "tests/golden";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") {
      files.push_back(std::filesystem::relative(e.path(), root).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<metrics::Query> ParseQuery(const json& q) {
  metrics::Query query;
  SEI_ASSIGN_OR_RETURN(query.scope, metrics::ParseScope(q.value("scope", std::string("org"))));
  SEI_ASSIGN_OR_RETURN(query.range.since, ParseInstant(q.at("since")));
  SEI_ASSIGN_OR_RETURN(query.range.until, ParseInstant(q.at("until")));
  SEI_ASSIGN_OR_RETURN(query.granularity,
                       metrics::ParseGranularity(q.value("granularity", std::string("week"))));
  query.drill = q.value("drill", false);
  query.series = q.value("series", true);
  query.compare = q.value("compare", false);
  if (q.contains("band_year")) {
    const json& y = q.at("band_year");
    query.band_year = y.is_string() ? y.get<std::string>() : y.dump();
  }
  if (q.contains("only")) query.only = q.at("only").get<std::vector<std::string>>();
  return query;
}

// c[key] when present, else an empty object or array (never a temporary to
// iterate: GCC 12 misreads those as uninitialised).
const json& Section(const json& c, const char* key, const json& empty) {
  return c.contains(key) ? c.at(key) : empty;
}

// The rows of table `entity` as JSON objects, ordered by the table's key;
// integers (instants are epoch seconds) stay integers, booleans are true or
// false, NULL is null.
Result<json> TableRows(Store& store, const std::string& entity) {
  const model::TableSpec* spec = model::FindSpec(entity);
  if (spec == nullptr) return InvalidArgumentError("expect.tables: no entity '" + entity + "'");
  json rows = json::array();
  SEI_RETURN_IF_ERROR(store.ScanRows(*spec, {}, [&](const model::Row& row) {
    json o = json::object();
    for (size_t i = 0; i < spec->columns.size(); ++i) {
      const model::Value& v = row[i];
      if (std::holds_alternative<std::monostate>(v)) {
        o[spec->columns[i].name] = nullptr;
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        if (spec->columns[i].type == model::ColumnType::kBoolean) {
          o[spec->columns[i].name] = *n != 0;
        } else {
          o[spec->columns[i].name] = *n;
        }
      } else if (const auto* d = std::get_if<double>(&v)) {
        o[spec->columns[i].name] = *d;
      } else {
        o[spec->columns[i].name] = std::get<std::string>(v);
      }
    }
    rows.push_back(std::move(o));
    return Status::Ok();
  }));
  return rows;
}

// expect.tables: {entity: [subset of row, ...]}: the table holds exactly
// that many rows, in key order, each containing its expected columns.
void ExpectTables(Store& store, const json& tables, const std::string& file) {
  for (const auto& [entity, want] : tables.items()) {
    auto rows = TableRows(store, entity);
    ASSERT_TRUE(rows.ok()) << file << ": " << rows.status().ToString();
    const std::string m = Mismatch(want, *rows);
    EXPECT_EQ(m, "") << file << ": table " << entity << m << "\nactual: " << rows->dump(1);
  }
}

// The case `name` (a path under tests/golden/) on a new, empty store.
void RunCase(const std::string& name, Store* store) {
  const std::string file = testing::SourceDir() + "/tests/golden/" + name;
  json c = YamlFileToJson(file);
  ASSERT_TRUE(c.contains("description")) << file << ": every case says what it shows";
  ASSERT_TRUE(c.contains("expect")) << file << ": no expect section";
  static const json kObject = json::object(), kArray = json::array();
  Status loaded = LoadRows(*store, Section(c, "rows", kObject));
  ASSERT_TRUE(loaded.ok()) << file << ": " << loaded.ToString();
  auto settings = ParseSettings(Section(c, "settings", kObject));
  ASSERT_TRUE(settings.ok()) << file << ": " << settings.status().ToString();
  for (const json& step : Section(c, "steps", kArray)) {
    auto it = Steps().find(step.get<std::string>());
    ASSERT_NE(it, Steps().end()) << file << ": no step '" << step << "'";
    Status s = it->second(*store, *settings);
    ASSERT_TRUE(s.ok()) << file << ": step " << step << ": " << s.ToString();
  }
  static const json kNoTables = json::object();
  const json& tables = Section(c.at("expect"), "tables", kNoTables);
  if (!tables.empty()) ExpectTables(*store, tables, file);
  if (!c.contains("query")) {
    ASSERT_FALSE(tables.empty()) << file << ": a case without a query expects tables";
    return;
  }
  auto query = ParseQuery(c.at("query"));
  ASSERT_TRUE(query.ok()) << file << ": " << query.status().ToString();
  const std::string family = c.at("query").value("family", std::string());
  const metrics::Family* f = metrics::FindFamily(family);
  ASSERT_NE(f, nullptr) << file << ": no family '" << family << "'";
  metrics::LoadOptions options;
  options.commits = f->needs_commits;
  options.files = f->needs_files;
  auto ds = metrics::LoadDataset(*store, *settings, options);
  ASSERT_TRUE(ds.ok()) << file << ": " << ds.status().ToString();
  auto report = metrics::Compute(**ds, family, *query);
  const json expect = c.at("expect");
  if (expect.contains("error")) {
    ASSERT_FALSE(report.ok()) << file << ": expected an error";
    EXPECT_NE(report.status().message().find(expect.at("error").get<std::string>()),
              std::string::npos)
        << report.status().message();
    return;
  }
  ASSERT_TRUE(report.ok()) << file << ": " << report.status().ToString();
  const json actual = metrics::ToJson(*report);
  std::map<std::string, json> by_key;
  for (const json& m : actual.at("metrics")) by_key[m.at("key").get<std::string>()] = m;
  for (const auto& [key, want] : Section(expect, "metrics", kObject).items()) {
    auto it = by_key.find(key);
    ASSERT_NE(it, by_key.end()) << file << ": no metric " << key << " in " << actual.dump(1);
    const std::string m = Mismatch(want, it->second);
    EXPECT_EQ(m, "") << file << ": " << key << m << "\nactual: " << it->second.dump(1);
  }
  for (const json& key : Section(expect, "absent", kArray)) {
    EXPECT_EQ(by_key.count(key.get<std::string>()), 0u) << file << ": " << key << " present";
  }
  if (expect.contains("report")) {
    const std::string m = Mismatch(expect.at("report"), actual);
    EXPECT_EQ(m, "") << file << ": report" << m;
  }
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpectedOutput) {
  testing::TempDir dir;
  auto store = sqlite::SqliteStore::Open(dir.Sub("golden.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  RunCase(GetParam(), store->get());
}

// Every case again on PostgreSQL (a new database of the run's test
// cluster each): the same rows in, the same numbers out.
class GoldenPostgresTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenPostgresTest, MatchesExpectedOutput) {
  SEI_PG_CLUSTER_OR_SKIP(cluster);
  std::string why;
  const std::string url = cluster->CreateDatabase(&why);
  ASSERT_FALSE(url.empty()) << why;
  {
    auto store = pg::PostgresStore::Open(url);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    RunCase(GetParam(), store->get());
  }
  cluster->DropDatabase(url);
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(CaseFiles()), CaseName);
INSTANTIATE_TEST_SUITE_P(Cases, GoldenPostgresTest, ::testing::ValuesIn(CaseFiles()), CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenPostgresTest);

}  // namespace
}  // namespace sei::golden
