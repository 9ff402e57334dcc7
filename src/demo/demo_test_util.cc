// Test helpers (compiled into demo_test only: the name ends in _test_util.cc
// and the library's glob excludes it).
#include "demo/demo_test_util.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "demo/rng.h"
#include "model/registry.h"

namespace sei::demo {

std::unique_ptr<sqlite::SqliteStore> OpenDemoStore(const std::string& path) {
  auto store = sqlite::SqliteStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

DemoDb GenerateDemo(const DemoOptions& options) {
  DemoDb db;
  db.dir = std::make_unique<testing::TempDir>();
  db.store = OpenDemoStore(db.dir->Sub("demo.db"));
  DemoGenerator generator(db.store.get(), options);
  Result<DemoSummary> summary = generator.Run();
  EXPECT_TRUE(summary.ok()) << summary.status().ToString();
  if (summary.ok()) db.summary = *summary;
  return db;
}

std::map<std::string, std::string> TableDigests(Store& store) {
  std::map<std::string, std::string> out;
  for (const model::TableSpec* spec : model::AllSpecs()) {
    uint64_t hash = 0;
    int64_t rows = 0;
    Status s = store.ScanRows(*spec, {}, [&](const model::Row& row) {
      ++rows;
      for (const model::Value& cell : row) {
        hash = HashString(std::to_string(cell.index()) + "|" + model::ValueToString(cell), hash);
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << spec->table << ": " << s.ToString();
    out[spec->table] = fmt::format("{}:{:016x}", rows, hash);
  }
  return out;
}

DemoOptions SmallOptions(double size) {
  DemoOptions o;
  o.size = size;
  return o;
}

}  // namespace sei::demo
