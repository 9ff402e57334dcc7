// deploy/Dockerfile, checked without a container engine (none runs on this
// machine, so `docker build` itself is not tried): the files it copies
// exist and the build context keeps them, its build stage installs only the
// project's own packages (scripts/install-deps.sh) and configures with the
// cmake line it runs, its runtime stage installs packages that exist in
// Debian 12 and provide every shared library the built sei needs, it runs
// as an unprivileged user, its entrypoint and command are accepted by the
// built sei, and the health check asks the port sei listens on for
// /healthz, which a real `sei serve` answers with 200.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "deploy/deploy_support.h"
#include "testing/sei_server.h"
#include "testing/test_util.h"

namespace sei::deploy_test {
namespace {

namespace fs = std::filesystem;

class DockerfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    steps_ = ReadDockerfile(DeployDir() + "/Dockerfile");
    ASSERT_FALSE(steps_.empty());
    for (const Instruction& i : steps_) last_stage_ = std::max(last_stage_, i.stage);
  }
  // The instructions with `keyword`, of one stage (-1: any).
  std::vector<Instruction> Find(const std::string& keyword, int stage = -1) const {
    std::vector<Instruction> out;
    for (const Instruction& i : steps_) {
      if (i.keyword == keyword && (stage < 0 || i.stage == stage)) out.push_back(i);
    }
    return out;
  }
  std::vector<std::string> Packages(int stage) const {
    std::vector<std::string> out;
    for (const Instruction& run : Find("RUN", stage)) {
      for (const std::string& p : AptPackages(run.args)) out.push_back(p);
    }
    return out;
  }
  // The stage named `name` (FROM ... AS name).
  int StageNamed(const std::string& name) const {
    for (const Instruction& i : Find("FROM")) {
      if (i.args.size() > name.size() &&
          i.args.compare(i.args.size() - name.size() - 4, name.size() + 4, " AS " + name) == 0) {
        return i.stage;
      }
    }
    ADD_FAILURE() << "no stage " << name;
    return -1;
  }

  std::vector<Instruction> steps_;
  int last_stage_ = 0;
};

TEST_F(DockerfileTest, BasesAreDebian12AndTheRuntimeIsUnprivileged) {
  for (const Instruction& from : Find("FROM")) {
    EXPECT_TRUE(from.args.find("debian:12") == 0 ||
                from.args.find("-bookworm") != std::string::npos)
        << "Debian 12 (bookworm) bases only: " << from.args;
  }
  const std::vector<Instruction> user = Find("USER", last_stage_);
  ASSERT_EQ(user.size(), 1u) << "the runtime stage sets a USER";
  const std::string uid = user[0].args.substr(0, user[0].args.find(':'));
  EXPECT_NE(uid, "0");
  EXPECT_NE(uid, "root");
  // The user it names is the one the stage creates.
  bool created = false;
  for (const Instruction& run : Find("RUN", last_stage_)) {
    created = created || run.args.find("useradd --system --uid " + uid) != std::string::npos;
  }
  EXPECT_TRUE(created) << "useradd --uid " << uid;
}

TEST_F(DockerfileTest, CopiedFilesExistAndTheBuildContextKeepsThem) {
  const std::string ignore = testing::ReadFile(testing::SourceDir() + "/.dockerignore");
  ASSERT_FALSE(ignore.empty()) << ".dockerignore keeps build trees out of the context";
  std::vector<std::string> ignored;  // one pattern a line, comments aside
  std::istringstream lines(ignore);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#') ignored.push_back(line);
  }
  EXPECT_NE(std::find(ignored.begin(), ignored.end(), "build"), ignored.end());
  EXPECT_NE(std::find(ignored.begin(), ignored.end(), "web/node_modules"), ignored.end());
  int copied = 0;
  for (const Instruction& copy : Find("COPY")) {
    std::vector<std::string> words = SplitWords(copy.args);
    if (!words.empty() && words[0].rfind("--from=", 0) == 0) continue;  // from another stage
    ASSERT_GE(words.size(), 2u) << copy.args;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      std::string src = words[i];
      while (!src.empty() && src.back() == '/') src.pop_back();
      // In a stage whose WORKDIR is below the context's root the sources
      // are still relative to the context.
      EXPECT_TRUE(fs::exists(testing::SourceDir() + "/" + src)) << "COPY " << src;
      for (const std::string& pattern : ignored) {
        EXPECT_NE(src, pattern) << "COPY " << src << " is excluded by .dockerignore";
      }
      ++copied;
    }
  }
  EXPECT_GE(copied, 6);
  // What the runtime stage copies from the others is what they make.
  int web = StageNamed("web"), build = StageNamed("build");
  std::set<std::string> froms;
  for (const Instruction& copy : Find("COPY", last_stage_)) {
    const std::vector<std::string> w = SplitWords(copy.args);
    if (w[0].rfind("--from=", 0) == 0) froms.insert(w[0].substr(7) + " " + w[1]);
  }
  EXPECT_EQ(froms, (std::set<std::string>{"build /src/build/bin/sei", "web /src/web/dist"}));
  EXPECT_GE(web, 0);
  EXPECT_GE(build, 0);
}

TEST_F(DockerfileTest, BuildStageUsesTheProjectsPackagesAndCmakeLine) {
  const int build = StageNamed("build");
  const std::vector<std::string> packages = Packages(build);
  ASSERT_FALSE(packages.empty());
  const std::string deps = testing::ReadFile(testing::SourceDir() + "/scripts/install-deps.sh");
  const std::vector<std::string> words = SplitWords(deps);
  const std::set<std::string> project(words.begin(), words.end());
  for (const std::string& p : packages) {
    EXPECT_EQ(project.count(p), 1u) << p << " is not one of scripts/install-deps.sh's packages";
  }
  // The configure line, run here against this tree: its options exist and
  // a build without tests and benchmarks configures.
  std::string configure;
  for (const Instruction& run : Find("RUN", build)) {
    const size_t at = run.args.find("cmake -S");
    if (at != std::string::npos) configure = run.args.substr(at, run.args.find("&&", at) - at);
  }
  ASSERT_FALSE(configure.empty()) << "no cmake configure line";
  if (testing::RunShell("command -v cmake && command -v ninja").exit_code != 0) {
    GTEST_SKIP() << "cmake or ninja is not installed";
  }
  std::vector<std::string> argv = SplitWords(configure);
  testing::TempDir dir;
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == "-S") argv[i + 1] = testing::SourceDir();
    if (argv[i] == "-B") argv[i + 1] = dir.Sub("build");
  }
  testing::CommandResult r = testing::RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << configure << "\n" << r.out << r.err;
  EXPECT_TRUE(fs::exists(dir.Sub("build/build.ninja")));
}

// Every library the built binary links directly (its DT_NEEDED entries) is
// in a package the runtime stage installs, or in the base image's essential
// set; and every package it installs exists in Debian 12.
TEST_F(DockerfileTest, RuntimePackagesProvideEverySharedLibrary) {
  const std::vector<std::string> runtime = Packages(last_stage_);
  ASSERT_FALSE(runtime.empty());
  std::set<std::string> provided(runtime.begin(), runtime.end());
  for (const char* essential : {"libc6", "libgcc-s1", "libstdc++6"}) provided.insert(essential);
  if (testing::RunShell("command -v readelf && command -v ldd && command -v dpkg").exit_code != 0) {
    GTEST_SKIP() << "readelf, ldd or dpkg is missing";
  }
  testing::CommandResult needed = testing::RunCommand({"readelf", "-d", SeiBinary()});
  ASSERT_EQ(needed.exit_code, 0) << needed.err;
  testing::CommandResult ldd = testing::RunCommand({"ldd", SeiBinary()});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  const std::regex needed_re(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  int libraries = 0;
  for (auto it = std::sregex_iterator(needed.out.begin(), needed.out.end(), needed_re);
       it != std::sregex_iterator(); ++it) {
    const std::string lib = (*it)[1];
    ++libraries;
    // "\tlibpq.so.5 => /lib/x86_64-linux-gnu/libpq.so.5 (0x...)"
    const size_t at = ldd.out.find(lib + " => ");
    ASSERT_NE(at, std::string::npos) << lib << " is not resolved by ldd";
    const size_t start = at + lib.size() + 4;
    std::string path = ldd.out.substr(start, ldd.out.find(' ', start) - start);
    testing::CommandResult owner = testing::RunCommand({"dpkg", "-S", path});
    if (owner.exit_code != 0) {  // /lib is a link to /usr/lib on Debian 12
      owner = testing::RunCommand({"dpkg", "-S", fs::canonical(path).string()});
    }
    ASSERT_EQ(owner.exit_code, 0) << lib << " (" << path << ") belongs to no package";
    std::string package = owner.out.substr(0, owner.out.find(':'));
    EXPECT_EQ(provided.count(package), 1u)
        << lib << " comes from " << package << ", which the runtime stage does not install";
  }
  EXPECT_GE(libraries, 8);
  // Names that exist: installed here, or known to apt (when its lists are).
  const bool lists =
      testing::RunShell("ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1").exit_code == 0;
  for (const std::string& p : runtime) {
    const bool installed = testing::RunShell("dpkg-query -W -f='${Status}' " + p +
                                             " 2>/dev/null | grep -q 'ok installed'")
                               .exit_code == 0;
    if (installed || !lists) continue;
    EXPECT_EQ(testing::RunCommand({"apt-cache", "show", "--no-all-versions", p}).exit_code, 0)
        << p << " is no Debian 12 package";
  }
  EXPECT_EQ(provided.count("curl"), 1u) << "the health check runs curl";
}

TEST_F(DockerfileTest, EntrypointCommandAndHealthCheckAgreeWithSei) {
  const std::vector<Instruction> entry = Find("ENTRYPOINT", last_stage_);
  const std::vector<Instruction> cmd = Find("CMD", last_stage_);
  ASSERT_EQ(entry.size(), 1u);
  ASSERT_EQ(cmd.size(), 1u);
  std::vector<std::string> argv = ExecForm(entry[0].args);
  ASSERT_EQ(argv, std::vector<std::string>{"sei"});
  const std::vector<std::string> args = ExecForm(cmd[0].args);
  const Parsed p = ParseWithSei(args);
  EXPECT_EQ(p.exit_code, 0) << p.error;
  EXPECT_EQ(p.command, "serve");
  const int port = PortOf(FlagValue(args, "--listen"));
  const std::vector<Instruction> expose = Find("EXPOSE", last_stage_);
  ASSERT_EQ(expose.size(), 1u);
  EXPECT_EQ(expose[0].args, std::to_string(port));

  const std::vector<Instruction> health = Find("HEALTHCHECK", last_stage_);
  ASSERT_EQ(health.size(), 1u);
  const std::string& h = health[0].args;
  const std::vector<std::string> check = ExecForm(h.substr(h.find("CMD ") + 4));
  ASSERT_FALSE(check.empty());
  const std::string url = check.back();
  const std::regex url_re(R"(^http://127\.0\.0\.1:(\d+)(/\S*)$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(url, m, url_re)) << url;
  EXPECT_EQ(std::stoi(m[1]), port) << "the health check asks the port sei listens on";
  const std::string path = m[2];
  EXPECT_EQ(path, "/healthz");

  // ENV as the image sets it (SEI_DB moved into this test's directory);
  // the command, listening on a free loopback port; the check's path.
  testing::TempDir dir;
  std::vector<std::string> env;
  for (const Instruction& e : Find("ENV", last_stage_)) {
    for (const std::string& kv : SplitWords(e.args)) {
      if (kv.rfind("SEI_DB=", 0) == 0) {
        env.push_back("SEI_DB=" + dir.Sub("sei.db"));
        EXPECT_EQ(fs::path(kv.substr(7)).parent_path(), "/var/lib/sei") << "in the volume";
      } else if (kv.rfind("SEI_WEB_DIR=", 0) != 0) {  // the image's web build is not here
        env.push_back(kv);
      }
    }
  }
  std::vector<std::string> run = {SeiBinary()};
  for (size_t i = 0; i < args.size(); ++i) {
    run.push_back(i > 0 && args[i - 1] == "--listen" ? "127.0.0.1:0" : args[i]);
  }
  run.insert(run.end(), {"--access-log", "off"});
  testing::SeiServer server(testing::SeiServer::Argv{run}, env);
  ASSERT_TRUE(server.started()) << server.startup_output();
  EXPECT_EQ(server.Get(path).status, 200);
  if (testing::RunShell("command -v curl").exit_code == 0) {
    std::vector<std::string> curl = check;
    curl.back() = "http://127.0.0.1:" + std::to_string(server.port()) + path;
    EXPECT_EQ(testing::RunCommand(curl).exit_code, 0) << "the health check itself passes";
  }
}

}  // namespace
}  // namespace sei::deploy_test
