#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/config.h"
#include "app/exporter.h"
#include "app/terminal_progress.h"
#include "model/review.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace sei::app {
namespace {

using sei::testing::TempDir;
using sei::testing::WriteFile;

TEST(ConfigTest, LoadsSourcesTeamsAndSettingsResolvingPaths) {
  TempDir dir;
  std::string file = dir.Sub("conf/sei.yaml");
  ASSERT_TRUE(WriteFile(file,
                        "db: data/sei.db\n"
                        "data_dir: mirrors\n"
                        "sources:\n"
                        "  git:\n"
                        "    - path: ../repo\n"
                        "      name: api\n"
                        "    - url: https://example.com/org/web.git\n"
                        "teams:\n"
                        "  - name: Platform\n"
                        "    members: [ann@example.com, bob@example.com]\n"
                        "access:\n"
                        "  individual_metrics: false\n"
                        "settings:\n"
                        "  jobs: 2\n"
                        "  renames: true\n"));
  auto c = LoadConfig(file);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c->db, dir.Sub("conf/data/sei.db"));
  EXPECT_EQ(*c->data_dir, dir.Sub("conf/mirrors"));
  ASSERT_EQ(c->git_sources.size(), 2u);
  EXPECT_EQ(c->git_sources[0].location, dir.Sub("repo"));
  EXPECT_EQ(c->git_sources[0].name, std::optional<std::string>("api"));
  EXPECT_EQ(c->git_sources[1].location, "https://example.com/org/web.git");
  ASSERT_EQ(c->org.teams.size(), 1u);
  EXPECT_EQ(c->org.teams[0].members.size(), 2u);
  EXPECT_EQ(c->jobs, std::optional<int>(2));
  EXPECT_TRUE(c->renames);
  EXPECT_FALSE(c->individual_metrics);
}

// A PostgreSQL URL in `db:` is taken as it is, not as a path beside the file.
TEST(ConfigTest, DbUrlIsNotResolvedAsAPath) {
  TempDir dir;
  for (const std::string url :
       {"postgres://sei@db.example.com:5432/sei", "postgresql://sei:pw@db/sei?sslmode=require"}) {
    const std::string file = dir.Sub("conf/sei.yaml");
    ASSERT_TRUE(WriteFile(file, "db: " + url + "\n"));
    auto c = LoadConfig(file);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(*c->db, url);
  }
}

TEST(ConfigTest, RejectsMistakesWithFileLineAndKey) {
  TempDir dir;
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"db: a\nsourcse: {}\n", "sei.yaml:2: unknown key 'sourcse' in the top level"},
      {"sources:\n  git:\n    - path: a\n      url: b\n", "sei.yaml:3: a git source has either"},
      {"sources:\n  git:\n    - name: x\n", "needs a path or a url"},
      {"sources:\n  svn: []\n", "unknown key 'svn' in sources"},
      {"settings:\n  jobs: -1\n", "sei.yaml:2: settings.jobs must be between 0 and 256"},
      {"settings:\n  renames: maybe\n", "sei.yaml:2: wrong type"},
      {"teams:\n  - members: [a]\n", "a team needs a name"},
      {"access:\n  individual: no\n", "sei.yaml:2: unknown key 'individual' in access"},
      {"db: [unclosed\n", "invalid YAML"},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(WriteFile(dir.Sub("sei.yaml"), c.yaml));
    auto r = LoadConfig(dir.Sub("sei.yaml"));
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.yaml << " -> " << r.status().message();
  }
  ASSERT_TRUE(WriteFile(dir.Sub("empty.yaml"), ""));
  EXPECT_TRUE(LoadConfig(dir.Sub("empty.yaml")).ok());
}

TEST(ConfigTest, GithubSourcesAreCheckedAndReadAsConnectionSettings) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.Sub("sei.yaml"),
                        "sources:\n"
                        "  github:\n"
                        "    - org: AcmeCorp\n"
                        "      token_env: GH_TOKEN\n"
                        "      interval_seconds: 900\n"
                        "      mirror: false\n"
                        "      patterns:\n"
                        "        deployment: '^(deploy|release)'\n"
                        "    - name: tools\n"
                        "      repos: [acme/cli, acme/sdk]\n"
                        "      base_url: https://ghe.example.com/api/v3\n"));
  auto c = LoadConfig(dir.Sub("sei.yaml"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->github_sources.size(), 2u);
  const GithubSourceConfig& org = c->github_sources[0];
  EXPECT_EQ(org.name, "acmecorp");  // from the org, as `sei connect github --org` names it
  EXPECT_EQ(org.token_env, std::optional<std::string>("GH_TOKEN"));
  EXPECT_EQ(org.where, dir.Sub("sei.yaml") + ":3");
  auto settings = nlohmann::json::parse(org.settings_json);
  EXPECT_EQ(settings["org"], "AcmeCorp");
  EXPECT_EQ(settings["interval_seconds"], 900);
  EXPECT_EQ(settings["mirror"], false);
  EXPECT_EQ(settings["patterns"]["deployment"], "^(deploy|release)");
  const GithubSourceConfig& tools = c->github_sources[1];
  EXPECT_EQ(tools.name, "tools");
  EXPECT_EQ(tools.base_url, std::optional<std::string>("https://ghe.example.com/api/v3"));
  EXPECT_EQ(nlohmann::json::parse(tools.settings_json)["repos"],
            nlohmann::json::array({"acme/cli", "acme/sdk"}));

  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"sources:\n  github:\n    - org: a\n      tokn_env: X\n",
       "unknown key 'tokn_env' in a github source"},
      {"sources:\n  github:\n    - repos: [acme]\n      name: x\n",
       "sei.yaml:3: sources.github: the GitHub connection's config: repos[0]"},
      {"sources:\n  github:\n    - repos: [acme/api]\n", "needs a name"},
      {"sources:\n  github:\n    - name: x\n", "sei.yaml:3: sources.github:"},
      {"sources:\n  github:\n    - org: a\n      interval_seconds: 5\n", "at least 60"},
      {"sources:\n  github:\n    - org: a\n    - org: A\n", "a second github source named 'a'"},
      {"sources:\n  github:\n    - org: a\n      base_url: ghe.example.com\n",
       "base_url must be an http:// or https:// URL"},
      {"sources:\n  github: {org: a}\n", "sources.github must be a list"},
  };
  for (const Case& k : cases) {
    ASSERT_TRUE(WriteFile(dir.Sub("sei.yaml"), k.yaml));
    auto r = LoadConfig(dir.Sub("sei.yaml"));
    ASSERT_FALSE(r.ok()) << k.yaml;
    EXPECT_NE(r.status().message().find(k.message), std::string::npos)
        << k.yaml << " -> " << r.status().message();
  }
}

TEST(TerminalProgressTest, RendersCountsRateAndEta) {
  std::string line = TerminalProgress::Render("commits", 2500, 10000, 5.0, 100);
  EXPECT_NE(line.find("2,500/10,000 commits"), std::string::npos) << line;
  EXPECT_NE(line.find("500/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 15.0s"), std::string::npos) << line;
  EXPECT_NE(line.find("[##########"), std::string::npos) << line;  // a quarter of 40
  std::string unknown = TerminalProgress::Render("commits", 12, 0, 1.0, 100);
  EXPECT_EQ(unknown.find('['), std::string::npos) << unknown;
  std::string narrow = TerminalProgress::Render("commits", 1, 2, 1.0, 30);
  EXPECT_LE(narrow.size(), 40u);
}

TEST(TerminalProgressTest, DrawsAndErasesTheLine) {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buf, &size);
  {
    TerminalProgress p(out);
    p.Begin("commits", 10);
    p.Update(10);
    p.End();
  }
  std::fclose(out);
  std::string text(buf, size);
  free(buf);
  EXPECT_NE(text.find("0/10 commits"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K");
}

TEST(ExporterTest, WritesCsvTsvAndJsonlWithEscaping) {
  TempDir dir;
  auto store = sqlite::SqliteStore::Open(dir.Sub("sei.db"));
  ASSERT_TRUE(store.ok());
  model::PullRequest pr;
  pr.id = "github:1:pr:1";
  pr.connection_id = "github:1";
  pr.repo_id = "github:1:repo:1";
  pr.number = 1;
  pr.title = "Fix \"quotes\", commas\tand\nnewlines";
  pr.state = "merged";
  pr.created_at = 1700000000;
  ASSERT_TRUE((*store)->Upsert(std::vector{pr}).ok());
  auto run = [&](const std::string& format) {
    char* buf = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&buf, &size);
    ExportOptions o;
    o.format = format;
    o.columns = {"number", "title", "merged_at"};
    auto rows = ExportEntity(store->get(), model::SpecOf<model::PullRequest>(), o, out);
    std::fclose(out);
    std::string text(buf, size);
    free(buf);
    EXPECT_TRUE(rows.ok());
    EXPECT_EQ(*rows, 1);
    return text;
  };
  EXPECT_EQ(run("csv"),
            "number,title,merged_at\r\n1,\"Fix \"\"quotes\"\", commas\tand\nnewlines\",\r\n");
  EXPECT_EQ(run("tsv"), "1\t\"Fix \\\"quotes\\\", commas\\tand\\nnewlines\"\t\n");
  EXPECT_EQ(run("jsonl"),
            "{\"merged_at\":null,\"number\":1,\"title\":\"Fix \\\"quotes\\\", "
            "commas\\tand\\nnewlines\"}\n");
  ExportOptions bad;
  bad.format = "xml";
  EXPECT_FALSE(ExportEntity(store->get(), model::SpecOf<model::PullRequest>(), bad, stdout).ok());
}

}  // namespace
}  // namespace sei::app
