// Helpers for the demo's tests: generate a demo organisation into a fresh
// SQLite store, and digest every table so two stores can be compared row
// for row.
//
// Thread safety: test-only; one test at a time.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "demo/demo_generator.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::demo {

struct DemoDb {
  std::unique_ptr<testing::TempDir> dir;
  std::unique_ptr<sqlite::SqliteStore> store;
  DemoSummary summary;
};

std::unique_ptr<sqlite::SqliteStore> OpenDemoStore(const std::string& path);
// Generates a demo with `options` into a new database; fails the test on error.
DemoDb GenerateDemo(const DemoOptions& options);
// "<rows>:<hash>" per table (every entity of model::AllSpecs()).
std::map<std::string, std::string> TableDigests(Store& store);
// Options for a fast, small organisation (the same shape, less activity).
DemoOptions SmallOptions(double size = 0.2);

}  // namespace sei::demo
