// What the deployment-file tests (tests/deploy/) share: the files of
// deploy/ read the way their tools read them (Kubernetes manifests as YAML
// documents, the Dockerfile's instructions, systemd's unit and environment
// files), and the built `sei` run on the command lines they hold.
//
// Thread safety: plain functions; each test uses its own results.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "testing/test_util.h"

namespace sei::deploy_test {

// The repository's deploy/ folder, and the built binary.
std::string DeployDir();
std::string SeiBinary();

// Runs the built sei with `args` (argv after the binary) and extra
// environment entries "NAME=value".
testing::CommandResult Sei(const std::vector<std::string>& args,
                           const std::vector<std::string>& env = {});

// What the built sei makes of a command line (argv after the binary):
// `sei --parse-only ...` parses it exactly as a real run would and prints
// the command it names ("serve", "db migrate"), opening nothing.
struct Parsed {
  std::vector<std::string> args;  // what was parsed
  int exit_code = -1;
  std::string command;  // the printed command, without the newline
  std::string error;    // stderr
};
Parsed ParseWithSei(const std::vector<std::string>& args);
// Whether a parse failed because this build has no `sei worker` (`sei
// --help` lists no such command): it is developed on another branch, and
// once merged the worker checks run.
bool NoWorkerCommand(const Parsed& p);

// A command line as a shell splits it (spaces; single and double quotes).
std::vector<std::string> SplitWords(const std::string& line);
// ${NAME} and $NAME replaced from `vars` (systemd's ExecStart expansion);
// an unknown name fails the test.
std::string ExpandVars(const std::string& text, const std::map<std::string, std::string>& vars);
// NAME=value lines of an environment file (comments and blanks skipped).
std::map<std::string, std::string> ReadEnvFile(const std::string& path);

// The value after `flag` in argv ("--listen" -> "0.0.0.0:8080"); "" if absent.
std::string FlagValue(const std::vector<std::string>& argv, const std::string& flag);
// The port of HOST:PORT; -1 if none.
int PortOf(const std::string& host_port);

// ---- Kubernetes ----
struct Manifest {
  std::string file;  // relative to deploy/kubernetes
  YAML::Node doc;
};
// Every document of every *.yaml under deploy/kubernetes (kustomizations
// included), in file order; parse errors fail the test.
std::vector<Manifest> LoadManifests();
// node[k1][k2]..., or an undefined node (false in a test) as soon as a key
// is missing: yaml-cpp throws when a missing key's node is indexed again.
YAML::Node Path(YAML::Node node, std::initializer_list<const char*> keys);
// The documents of one kind.
std::vector<Manifest> OfKind(const std::vector<Manifest>& all, const std::string& kind);
// spec.template.spec of a Deployment or Job.
YAML::Node PodSpec(const YAML::Node& workload);
// A container's command + args.
std::vector<std::string> ContainerArgv(const YAML::Node& container);

// ---- Dockerfile ----
struct Instruction {
  std::string keyword;  // upper case: FROM, COPY, RUN ...
  std::string args;     // the rest, continuation lines joined
  int stage = 0;        // 0 for the first FROM's stage
};
std::vector<Instruction> ReadDockerfile(const std::string& path);
// A JSON-array (exec form) argument list: ["sei", "serve"].
std::vector<std::string> ExecForm(const std::string& args);
// The packages an `apt-get install` in a RUN names.
std::vector<std::string> AptPackages(const std::string& run);

// ---- systemd ----
// section -> key -> values (a key may repeat).
using UnitFile = std::map<std::string, std::map<std::string, std::vector<std::string>>>;
UnitFile ReadUnit(const std::string& path);

}  // namespace sei::deploy_test
