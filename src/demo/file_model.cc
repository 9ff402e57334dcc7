#include "demo/file_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace sei::demo {

namespace {

struct Layout {
  const char* sources[2];
  const char* test;
  const char* fresh;
  const char* fixed[8];
  const char* binary[2];
  const char* manifest;
  const char* lockfile;
};

// clang-format off
constexpr Layout kLayouts[] = {
    // Go
    {{"internal/{pkg}/{name}.go", "pkg/{pkg}/{name}.go"}, "internal/{pkg}/{name}_test.go",
     "db/migrations/{n}_{name}.sql",
     {"cmd/server/main.go", "Makefile", "README.md", "Dockerfile", ".github/workflows/ci.yml",
      "deploy/values.yaml", "api/openapi.yaml", "scripts/release.sh"},
     {"docs/architecture.png", nullptr}, "go.mod", "go.sum"},
    // TypeScript
    {{"src/components/{Name}.tsx", "src/lib/{name}.ts"}, "src/__tests__/{name}.test.ts",
     "src/features/{name}{n}/index.ts",
     {"README.md", "tsconfig.json", ".eslintrc.json", "vite.config.ts", ".github/workflows/ci.yml",
      "Dockerfile", "scripts/build.sh", "src/main.tsx"},
     {"public/logo.png", "public/fonts/inter.woff2"}, "package.json", "package-lock.json"},
    // Python
    {{"{pkg}/{name}.py", "{pkg}/core/{name}.py"}, "tests/test_{name}.py",
     "migrations/versions/{n}_{name}.py",
     {"README.md", "setup.cfg", "Dockerfile", ".github/workflows/ci.yml", "Makefile",
      "scripts/run.sh", "app/main.py", "app/settings.py"},
     {"models/baseline.pkl", nullptr}, "pyproject.toml", "poetry.lock"},
    // Java
    {{"src/main/java/com/acme/{pkg}/{Name}.java", "src/main/java/com/acme/{pkg}/{Name}Service.java"},
     "src/test/java/com/acme/{pkg}/{Name}Test.java",
     "src/main/resources/db/migration/V{n}__{name}.sql",
     {"README.md", "Dockerfile", ".github/workflows/ci.yml", "src/main/resources/application.yml",
      "scripts/deploy.sh", "src/main/java/com/acme/Application.java", nullptr, nullptr},
     {"gradle/wrapper/gradle-wrapper.jar", nullptr}, "pom.xml", "pom.xml"},
    // Kotlin
    {{"app/src/main/java/com/acme/{pkg}/{Name}.kt", "app/src/main/java/com/acme/{pkg}/{Name}ViewModel.kt"},
     "app/src/test/java/com/acme/{pkg}/{Name}Test.kt",
     "app/src/main/java/com/acme/feature{n}/{Name}Screen.kt",
     {"README.md", "app/src/main/AndroidManifest.xml", "settings.gradle.kts",
      ".github/workflows/android.yml", "fastlane/Fastfile", nullptr, nullptr, nullptr},
     {"app/src/main/res/drawable/ic_launcher.png", "gradle/wrapper/gradle-wrapper.jar"},
     "app/build.gradle.kts", "gradle/libs.versions.toml"},
    // Swift
    {{"App/{Pkg}/{Name}.swift", "App/{Pkg}/{Name}View.swift"}, "AppTests/{Name}Tests.swift",
     "App/Features/{Name}{n}View.swift",
     {"README.md", "App/Info.plist", ".github/workflows/ios.yml", "fastlane/Fastfile",
      "App.xcodeproj/project.pbxproj", nullptr, nullptr, nullptr},
     {"App/Assets.xcassets/AppIcon.png", nullptr}, "Package.swift", "Package.resolved"},
    // SQL (dbt)
    {{"models/marts/{name}.sql", "models/staging/stg_{name}.sql"}, "tests/assert_{name}.sql",
     "models/marts/{name}_{n}.sql",
     {"README.md", "dbt_project.yml", "models/schema.yml", "profiles.yml",
      ".github/workflows/dbt.yml", "macros/helpers.sql", nullptr, nullptr},
     {"docs/lineage.png", nullptr}, "packages.yml", "package-lock.yml"},
    // HCL (Terraform)
    {{"modules/{pkg}/main.tf", "modules/{pkg}/variables.tf"}, "modules/{pkg}/outputs.tf",
     "envs/sandbox{n}/main.tf",
     {"README.md", "envs/production/main.tf", "envs/staging/main.tf",
      ".github/workflows/terraform.yml", "scripts/plan.sh", nullptr, nullptr, nullptr},
     {"docs/network.png", nullptr}, "versions.tf", ".terraform.lock.hcl"},
};

constexpr const char* kWords[] = {
    "billing", "auth", "cache", "config", "events", "http", "storage", "queue", "metrics",
    "users", "orders", "search", "render", "session", "retry", "webhook", "ledger", "risk",
    "notify", "export", "schema", "index", "rank", "query", "feature", "report", "pipeline",
    "stream", "token", "profile", "cart", "invoice", "refund", "audit", "limits", "checkout",
    "catalog", "pricing", "consent", "tracking"};
// clang-format on

constexpr int64_t kRegularMode = 0100644;
constexpr int64_t kExecutableMode = 0100755;

std::string Camel(const std::string& word) {
  std::string out = word;
  if (!out.empty()) out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string Expand(const char* pattern, Rng& rng, int64_t n) {
  std::string pkg = rng.Pick(kWords), name = rng.Pick(kWords);
  if (rng.Chance(0.5)) name += std::string("_") + rng.Pick(kWords);
  std::string camel;
  for (size_t start = 0; start <= name.size();) {
    size_t end = name.find('_', start);
    if (end == std::string::npos) end = name.size();
    camel += Camel(name.substr(start, end - start));
    start = end + 1;
  }
  std::string out = pattern;
  auto replace = [&out](const std::string& key, const std::string& value) {
    for (size_t at = out.find(key); at != std::string::npos;
         at = out.find(key, at + value.size())) {
      out.replace(at, key.size(), value);
    }
  };
  replace("{pkg}", pkg);
  replace("{Pkg}", Camel(pkg));
  replace("{name}", name);
  replace("{Name}", camel);
  replace("{n}", fmt::format("{:04d}", n));
  return out;
}

}  // namespace

FileModel::FileModel(const DemoRepo& repo, uint64_t seed) {
  Rng rng = Rng::Derive(seed, "files:" + repo.id);
  BuildCatalog(repo, rng);
}

void FileModel::Add(std::string path, double weight, bool binary) {
  if (std::find(paths_.begin(), paths_.end(), path) != paths_.end()) return;
  paths_.push_back(std::move(path));
  weights_.push_back(weight);
  binary_.push_back(binary);
}

void FileModel::BuildCatalog(const DemoRepo& repo, Rng& rng) {
  const Layout& layout = kLayouts[static_cast<int>(repo.language)];
  const int sources = static_cast<int>(rng.UniformInt(30, 120));
  for (int i = 0; i < sources; ++i) {
    Add(Expand(layout.sources[rng.Index(2)], rng, i), 1.0);
    if (rng.Chance(0.4)) Add(Expand(layout.test, rng, i), 0.6);
  }
  for (const char* fixed : layout.fixed) {
    if (fixed != nullptr) Add(fixed, 0.3);
  }
  // Zipf over a random ranking: a few files take most of the churn.
  std::vector<size_t> rank(paths_.size());
  for (size_t i = 0; i < rank.size(); ++i) rank[i] = i;
  for (size_t i = rank.size(); i > 1; --i) std::swap(rank[i - 1], rank[rng.Index(i)]);
  for (size_t i = 0; i < rank.size(); ++i) weights_[rank[i]] *= 1.0 / std::pow(i + 1.0, 1.05);
  for (const char* binary : layout.binary) {
    if (binary != nullptr) Add(binary, 0.004, true);
  }
  Add(layout.manifest, 0.002);
  manifest_ = static_cast<FileRef>(std::find(paths_.begin(), paths_.end(), layout.manifest) -
                                   paths_.begin());
  Add(layout.lockfile, 0.001);
  lockfile_ = static_cast<FileRef>(std::find(paths_.begin(), paths_.end(), layout.lockfile) -
                                   paths_.begin());
  Add("CHANGELOG.md", 0.0005);
  changelog_ = static_cast<FileRef>(paths_.size()) - 1;
  fresh_dir_ = layout.fresh;
}

std::vector<FileRef> FileModel::PickFocus(Rng& rng, size_t k) const {
  std::vector<FileRef> out;
  k = std::min(k, paths_.size());
  for (int attempts = 0; out.size() < k && attempts < 64; ++attempts) {
    const FileRef f = static_cast<FileRef>(rng.Weighted(weights_));
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  if (out.empty()) out.push_back(0);
  return out;
}

FileRef FileModel::AddFresh(Rng& rng) {
  fresh_.push_back(Expand(fresh_dir_.c_str(), rng, static_cast<int64_t>(fresh_.size()) + 1));
  return -static_cast<FileRef>(fresh_.size());
}

const std::string& FileModel::Path(FileRef f) const {
  return f >= 0 ? paths_[static_cast<size_t>(f)] : fresh_[static_cast<size_t>(-f - 1)];
}

int64_t FileModel::Mode(FileRef f) const {
  const std::string& p = Path(f);
  return p.size() > 3 && p.compare(p.size() - 3, 3, ".sh") == 0 ? kExecutableMode : kRegularMode;
}

FileChange FileModel::Change(Rng& rng, FileRef f, char change, double scale) const {
  FileChange c;
  c.file = f;
  c.change = change;
  if (IsBinary(f)) return c;
  c.added = static_cast<int32_t>(std::lround(rng.LogNormal(9.0 * scale, 1.1)));
  c.deleted = change == 'A' || rng.Chance(0.2)
                  ? 0
                  : static_cast<int32_t>(std::lround(rng.LogNormal(3.5 * scale, 1.2)));
  c.added = std::clamp(c.added, change == 'A' ? 1 : 0, 4000);
  c.deleted = std::clamp(c.deleted, 0, 3000);
  return c;
}

std::vector<FileChange> FileModel::InitialTree(Rng& rng) const {
  std::vector<FileChange> out;
  for (size_t i = 0; i < paths_.size(); ++i) {
    FileChange c = Change(rng, static_cast<FileRef>(i), 'A', 6.0);
    out.push_back(c);
  }
  return out;
}

std::vector<model::CommitFile> FileModel::ToRows(const std::string& repo_id, const std::string& sha,
                                                 const std::vector<FileChange>& changes) const {
  std::vector<const FileChange*> sorted;
  sorted.reserve(changes.size());
  for (const FileChange& c : changes) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [this](const FileChange* a, const FileChange* b) {
    return Path(a->file) < Path(b->file);
  });
  std::vector<model::CommitFile> rows;
  rows.reserve(sorted.size());
  for (const FileChange* c : sorted) {
    model::CommitFile f;
    f.repo_id = repo_id;
    f.sha = sha;
    f.idx = static_cast<int64_t>(rows.size());
    f.path = Path(c->file);
    f.change = std::string(1, c->change);
    if (c->added >= 0) f.added = c->added;
    if (c->deleted >= 0) f.deleted = c->deleted;
    f.is_binary = IsBinary(c->file);
    f.old_mode = c->change == 'A' ? 0 : Mode(c->file);
    f.new_mode = Mode(c->file);
    rows.push_back(std::move(f));
  }
  return rows;
}

std::vector<FileChange> Aggregate(const std::vector<const std::vector<FileChange>*>& parts) {
  std::map<FileRef, FileChange> by_file;
  for (const std::vector<FileChange>* part : parts) {
    for (const FileChange& c : *part) {
      auto [it, inserted] = by_file.emplace(c.file, c);
      if (inserted) continue;
      FileChange& a = it->second;
      if (a.added >= 0 && c.added >= 0) a.added += c.added;
      if (a.deleted >= 0 && c.deleted >= 0) a.deleted += c.deleted;
    }
  }
  std::vector<FileChange> out;
  out.reserve(by_file.size());
  for (auto& [file, change] : by_file) out.push_back(change);
  return out;
}

}  // namespace sei::demo
