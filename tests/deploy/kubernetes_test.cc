// deploy/kubernetes, checked as far as a machine without a cluster allows:
// every manifest parses and is namespace-neutral, the kustomizations list
// every manifest beside them, each Deployment's ports match its Service and
// probes, the Secret keys and ConfigMap they read exist, one image version
// runs everywhere, the built sei accepts every container's command line,
// and the probe paths answer 200 on a real `sei serve` started with the
// server container's own command line and environment, after the migration
// Job's command migrated the database (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "deploy/deploy_support.h"
#include "testing/pg_cluster.h"
#include "testing/sei_server.h"
#include "testing/test_util.h"

namespace sei::deploy_test {
namespace {

namespace fs = std::filesystem;

std::string Str(const YAML::Node& n) { return n ? n.as<std::string>() : ""; }

// The version the built sei reports ("sei 0.1.0").
std::string SeiVersion() {
  testing::CommandResult r = Sei({"--version"});
  std::string v = r.out.substr(r.out.find(' ') + 1);
  while (!v.empty() && v.back() == '\n') v.pop_back();
  return v;
}

YAML::Node Workload(const std::vector<Manifest>& all, const std::string& kind,
                    const std::string& name) {
  for (const Manifest& m : OfKind(all, kind)) {
    if (Str(m.doc["metadata"]["name"]) == name) return m.doc;
  }
  ADD_FAILURE() << "no " << kind << " " << name << " in deploy/kubernetes";
  return YAML::Node();
}

// Whether every label of `selector` is in `labels`.
bool Selects(const YAML::Node& selector, const YAML::Node& labels) {
  if (!selector || selector.size() == 0) return false;
  for (const auto& kv : selector) {
    if (!labels[kv.first.as<std::string>()] ||
        labels[kv.first.as<std::string>()].as<std::string>() != kv.second.as<std::string>()) {
      return false;
    }
  }
  return true;
}

// A probe's or Service's port (a number, or a container port's name) as a
// number, -1 when it names no port of the container.
int ResolvePort(const YAML::Node& port, const YAML::Node& container) {
  for (const YAML::Node& p : container["ports"]) {
    const int number = p["containerPort"].as<int>();
    if (port.as<std::string>() == Str(p["name"]) ||
        port.as<std::string>() == std::to_string(number)) {
      return number;
    }
  }
  return -1;
}

TEST(KubernetesTest, ManifestsParseAndAreNamespaceNeutral) {
  const std::vector<Manifest> all = LoadManifests();
  ASSERT_GE(all.size(), 7u);
  std::set<std::string> files;
  for (const Manifest& m : all) {
    files.insert(m.file);
    EXPECT_TRUE(m.doc["apiVersion"] && m.doc["kind"]) << m.file;
    if (Str(m.doc["kind"]) != "Kustomization") {
      EXPECT_FALSE(Str(m.doc["metadata"]["name"]).empty()) << m.file;
    }
    EXPECT_FALSE(Path(m.doc, {"metadata", "namespace"})) << m.file << ": apply with -n instead";
    EXPECT_FALSE(m.doc["namespace"]) << m.file << ": apply with -n instead";
  }
  // Each kustomization lists every manifest of its folder (the example
  // Secret excepted: real secrets are made by hand), and only files that exist.
  std::set<std::string> listed;
  for (const Manifest& k : OfKind(all, "Kustomization")) {
    const fs::path dir = fs::path(k.file).parent_path();
    for (const YAML::Node& r : k.doc["resources"]) {
      const std::string file = (dir / r.as<std::string>()).string();
      EXPECT_EQ(files.count(file), 1u) << k.file << " lists " << file << ", which is not there";
      listed.insert(file);
    }
  }
  for (const std::string& f : files) {
    const std::string name = fs::path(f).filename().string();
    if (name == "kustomization.yaml" || name == "secret.example.yaml") continue;
    EXPECT_EQ(listed.count(f), 1u) << f << " is in no kustomization";
  }
}

TEST(KubernetesTest, DeploymentsMatchTheirServicesAndProbes) {
  const std::vector<Manifest> all = LoadManifests();
  const YAML::Node server = Workload(all, "Deployment", "sei-server");
  ASSERT_TRUE(server);
  for (const Manifest& d : OfKind(all, "Deployment")) {
    EXPECT_TRUE(Selects(d.doc["spec"]["selector"]["matchLabels"],
                        d.doc["spec"]["template"]["metadata"]["labels"]))
        << d.file << ": the selector must match the pod template's labels";
  }
  const YAML::Node container = PodSpec(server)["containers"][0];
  const std::vector<std::string> argv = ContainerArgv(container);
  const int listen = PortOf(FlagValue(argv, "--listen"));
  EXPECT_EQ(listen, 8080) << "sei serve --listen HOST:8080";
  EXPECT_EQ(FlagValue(argv, "--listen").rfind("0.0.0.0:", 0), 0u)
      << "a pod must listen beyond its loopback";
  ASSERT_TRUE(container["ports"]);
  EXPECT_EQ(ResolvePort(YAML::Node(std::to_string(listen)), container), listen)
      << "the container declares the port sei listens on";
  const YAML::Node ready = container["readinessProbe"]["httpGet"];
  const YAML::Node live = container["livenessProbe"]["httpGet"];
  EXPECT_EQ(Str(ready["path"]), "/readyz");
  EXPECT_EQ(Str(live["path"]), "/healthz");
  EXPECT_EQ(ResolvePort(ready["port"], container), listen);
  EXPECT_EQ(ResolvePort(live["port"], container), listen);

  const std::vector<Manifest> services = OfKind(all, "Service");
  ASSERT_EQ(services.size(), 1u);
  const YAML::Node svc = services[0].doc;
  EXPECT_TRUE(Selects(svc["spec"]["selector"], server["spec"]["template"]["metadata"]["labels"]))
      << "the Service selects the server pods";
  const YAML::Node worker = Workload(all, "Deployment", "sei-worker");
  EXPECT_FALSE(Selects(svc["spec"]["selector"], worker["spec"]["template"]["metadata"]["labels"]))
      << "the Service must not send traffic to workers";
  ASSERT_EQ(svc["spec"]["ports"].size(), 1u);
  EXPECT_EQ(svc["spec"]["ports"][0]["port"].as<int>(), 8080);
  EXPECT_EQ(ResolvePort(svc["spec"]["ports"][0]["targetPort"], container), listen);
  EXPECT_GT(PodSpec(server)["terminationGracePeriodSeconds"].as<int>(), 20)
      << "longer than sei serve's --shutdown-grace";
}

TEST(KubernetesTest, SecretsConfigAndImagesAreConsistent) {
  const std::vector<Manifest> all = LoadManifests();
  const std::vector<Manifest> secrets = OfKind(all, "Secret");
  ASSERT_EQ(secrets.size(), 1u);
  const YAML::Node secret = secrets[0].doc;
  std::map<std::string, std::string> config_maps;  // name -> file
  for (const Manifest& m : OfKind(all, "ConfigMap"))
    config_maps[Str(m.doc["metadata"]["name"])] = m.file;
  const std::string image = "sei:" + SeiVersion();
  int containers = 0;
  for (const char* kind : {"Deployment", "Job"}) {
    for (const Manifest& w : OfKind(all, kind)) {
      const YAML::Node pod = PodSpec(w.doc);
      std::map<std::string, std::string> mounts;  // volume -> path
      for (const YAML::Node& c : pod["containers"]) {
        ++containers;
        EXPECT_EQ(Str(c["image"]), image) << w.file << ": one image, this version's";
        EXPECT_FALSE(c["securityContext"]["allowPrivilegeEscalation"].as<bool>()) << w.file;
        EXPECT_TRUE(c["securityContext"]["readOnlyRootFilesystem"].as<bool>()) << w.file;
        bool db = false;
        for (const YAML::Node& e : c["env"]) {
          if (const YAML::Node ref = Path(e, {"valueFrom", "secretKeyRef"})) {
            EXPECT_EQ(Str(ref["name"]), Str(secret["metadata"]["name"])) << w.file;
            EXPECT_TRUE(secret["stringData"][Str(ref["key"])])
                << w.file << " reads key " << Str(ref["key"]) << ", which the Secret lacks";
          }
          if (Str(e["name"]) == "SEI_DB") db = Path(e, {"valueFrom", "secretKeyRef"}).IsDefined();
        }
        EXPECT_TRUE(db) << w.file << ": SEI_DB comes from the Secret";
        for (const YAML::Node& v : c["volumeMounts"]) mounts[Str(v["name"])] = Str(v["mountPath"]);
      }
      EXPECT_TRUE(pod["securityContext"]["runAsNonRoot"].as<bool>()) << w.file;
      for (const YAML::Node& v : pod["volumes"]) {
        if (!v["configMap"]) continue;
        EXPECT_EQ(config_maps.count(Str(v["configMap"]["name"])), 1u) << w.file;
        // SEI_CONFIG names a file of the mounted ConfigMap.
        for (const YAML::Node& e : pod["containers"][0]["env"]) {
          if (Str(e["name"]) != "SEI_CONFIG") continue;
          const std::string path = Str(e["value"]);
          const std::string dir = mounts[Str(v["name"])];
          ASSERT_EQ(path.rfind(dir + "/", 0), 0u) << w.file << ": " << path;
        }
      }
    }
  }
  EXPECT_EQ(containers, 3) << "server, worker, migration";
  for (const Manifest& k : OfKind(all, "Kustomization")) {
    for (const YAML::Node& i : k.doc["images"]) {
      EXPECT_EQ("sei:" + Str(i["newTag"]), image) << k.file;
    }
  }
}

// The ConfigMap's config file is one sei reads.
TEST(KubernetesTest, ConfigMapHoldsAConfigSeiAccepts) {
  const std::vector<Manifest> maps = OfKind(LoadManifests(), "ConfigMap");
  ASSERT_EQ(maps.size(), 1u);
  testing::TempDir dir;
  for (const auto& kv : maps[0].doc["data"]) {
    const std::string file = dir.Sub(kv.first.as<std::string>());
    ASSERT_TRUE(testing::WriteFile(file, kv.second.as<std::string>()));
    testing::CommandResult r = Sei({"--config", file, "--db", dir.Sub("sei.db"), "db", "migrate"});
    EXPECT_EQ(r.exit_code, 0) << file << ": " << r.err;
  }
}

TEST(KubernetesTest, ContainerCommandsAreAcceptedBySei) {
  const std::vector<Manifest> all = LoadManifests();
  const std::map<std::string, std::string> expected = {{"sei-server", "serve"},
                                                       {"sei-migrate", "db migrate"}};
  for (const auto& [name, command] : expected) {
    const YAML::Node w =
        name == "sei-migrate" ? Workload(all, "Job", name) : Workload(all, "Deployment", name);
    ASSERT_TRUE(w);
    std::vector<std::string> argv = ContainerArgv(PodSpec(w)["containers"][0]);
    ASSERT_FALSE(argv.empty());
    EXPECT_EQ(argv[0], "sei") << name << ": the image's sei on PATH";
    argv.erase(argv.begin());
    const Parsed p = ParseWithSei(argv);
    EXPECT_EQ(p.exit_code, 0) << name << ": " << p.error;
    EXPECT_EQ(p.command, command) << name;
  }
}

// `sei worker` comes from another branch; until it is merged this build
// has no such command, and only that case is skipped.
TEST(KubernetesTest, WorkerCommandIsAcceptedBySei) {
  const YAML::Node w = Workload(LoadManifests(), "Deployment", "sei-worker");
  ASSERT_TRUE(w);
  std::vector<std::string> argv = ContainerArgv(PodSpec(w)["containers"][0]);
  ASSERT_FALSE(argv.empty());
  EXPECT_EQ(argv[0], "sei");
  argv.erase(argv.begin());
  const Parsed p = ParseWithSei(argv);
  if (NoWorkerCommand(p)) GTEST_SKIP() << "this sei has no `worker` command: " << p.error;
  EXPECT_EQ(p.exit_code, 0) << p.error;
  EXPECT_EQ(p.command, "worker");
}

// The migration Job's command, then the server container's, run as the
// pod would run them (environment from the manifests, the Secret's values
// replaced by this test's database and key), the listen address moved to
// 127.0.0.1:0; the probes' paths then answer 200.
class KubernetesProbeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(KubernetesProbeTest, ProbePathsAnswerOnARealServer) {
  testing::TempDir dir;
  std::string db = dir.Sub("sei.db");
  testing::PgCluster* cluster = nullptr;
  if (GetParam() == "postgres") {
    SEI_PG_CLUSTER_OR_SKIP(pg);
    cluster = pg;
    std::string why;
    db = cluster->CreateDatabase(&why);
    ASSERT_FALSE(db.empty()) << why;
  }
  const std::vector<Manifest> all = LoadManifests();
  const std::vector<Manifest> maps = OfKind(all, "ConfigMap");
  ASSERT_EQ(maps.size(), 1u);
  // The environment a container gets: Secret values from here, the config
  // file written where SEI_CONFIG points (under this test's directory).
  auto env_of = [&](const YAML::Node& container) {
    std::vector<std::string> env;
    for (const YAML::Node& e : container["env"]) {
      const std::string name = Str(e["name"]);
      if (name == "SEI_DB") {
        env.push_back("SEI_DB=" + db);
      } else if (name == "SEI_SECRET_KEY") {
        env.push_back("SEI_SECRET_KEY=" + std::string(43, 'A') + "=");
      } else if (name == "SEI_CONFIG") {
        const std::string file = dir.Sub(fs::path(Str(e["value"])).filename().string());
        EXPECT_TRUE(testing::WriteFile(
            file, maps[0].doc["data"][fs::path(file).filename().string()].as<std::string>()));
        env.push_back("SEI_CONFIG=" + file);
      } else {
        env.push_back(name + "=" + Str(e["value"]));
      }
    }
    return env;
  };

  const YAML::Node job = PodSpec(Workload(all, "Job", "sei-migrate"))["containers"][0];
  std::vector<std::string> migrate = ContainerArgv(job);
  ASSERT_FALSE(migrate.empty());
  migrate.erase(migrate.begin());
  testing::CommandResult m = Sei(migrate, env_of(job));
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_NE(m.out.find("schema version 0 -> "), std::string::npos) << m.out;
  testing::CommandResult again = Sei(migrate, env_of(job));
  EXPECT_NE(again.out.find("up to date"), std::string::npos) << again.out;

  const YAML::Node c = PodSpec(Workload(all, "Deployment", "sei-server"))["containers"][0];
  std::vector<std::string> argv = ContainerArgv(c);
  ASSERT_FALSE(argv.empty());
  argv[0] = SeiBinary();
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == "--listen") argv[i + 1] = "127.0.0.1:0";
  }
  argv.insert(argv.end(), {"--access-log", "off"});
  {
    testing::SeiServer server(testing::SeiServer::Argv{argv}, env_of(c));
    ASSERT_TRUE(server.started()) << server.startup_output();
    EXPECT_NE(server.startup_output().find(db), std::string::npos)
        << "SEI_DB from the Secret names the store: " << server.startup_output();
    for (const char* probe : {"readinessProbe", "livenessProbe"}) {
      const std::string path = Str(c[probe]["httpGet"]["path"]);
      testing::HttpReply r = server.Get(path);
      EXPECT_EQ(r.status, 200) << probe << " " << path << ": " << r.body;
      if (path == "/readyz") {
        auto body = nlohmann::json::parse(r.body, nullptr, false);
        EXPECT_EQ(body["checks"]["migrations"]["applied"],
                  body["checks"]["migrations"]["expected"]);
      }
    }
    EXPECT_EQ(server.Stop(SIGTERM), 0);
  }
  if (cluster != nullptr) cluster->DropDatabase(db);
}

INSTANTIATE_TEST_SUITE_P(Backends, KubernetesProbeTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace sei::deploy_test
