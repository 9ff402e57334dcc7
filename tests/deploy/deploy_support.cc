#include "deploy/deploy_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sei::deploy_test {

namespace fs = std::filesystem;

std::string DeployDir() { return testing::SourceDir() + "/deploy"; }
std::string SeiBinary() { return testing::BinaryDir() + "/bin/sei"; }

testing::CommandResult Sei(const std::vector<std::string>& args,
                           const std::vector<std::string>& env) {
  std::vector<std::string> argv = {SeiBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::RunCommand(argv, "", env);
}

Parsed ParseWithSei(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"--parse-only"};
  argv.insert(argv.end(), args.begin(), args.end());
  testing::CommandResult r = Sei(argv);
  Parsed p;
  p.args = args;
  p.exit_code = r.exit_code;
  p.command = r.out;
  while (!p.command.empty() && (p.command.back() == '\n' || p.command.back() == '\r')) {
    p.command.pop_back();
  }
  p.error = r.err;
  return p;
}

bool NoWorkerCommand(const Parsed& p) {
  if (p.exit_code != 2 || std::find(p.args.begin(), p.args.end(), "worker") == p.args.end()) {
    return false;
  }
  // The commands `sei --help` lists, one per line under "Subcommands:".
  const std::string help = Sei({"--help"}).out;
  const size_t list = help.find("Subcommands:");
  if (list == std::string::npos) return false;
  return help.find("\n  worker ", list) == std::string::npos;
}

std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  EXPECT_EQ(quote, 0) << "unbalanced quotes in: " << line;
  if (in_word) words.push_back(word);
  return words;
}

std::string ExpandVars(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    size_t start = i + 1, end;
    if (text[start] == '{') {
      end = text.find('}', start);
      EXPECT_NE(end, std::string::npos) << text;
      if (end == std::string::npos) return out;
      ++start;
    } else {
      end = start;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
        ++end;
      }
    }
    const std::string name = text.substr(start, end - start);
    auto it = vars.find(name);
    EXPECT_NE(it, vars.end()) << "$" << name << " is set nowhere (" << text << ")";
    if (it != vars.end()) out += it->second;
    i = text[i + 1] == '{' ? end : end - 1;
  }
  return out;
}

std::map<std::string, std::string> ReadEnvFile(const std::string& path) {
  std::map<std::string, std::string> vars;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    EXPECT_NE(eq, std::string::npos) << path << ": " << line;
    if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return vars;
}

std::string FlagValue(const std::vector<std::string>& argv, const std::string& flag) {
  for (size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] == flag) return argv[i + 1];
  }
  for (const std::string& a : argv) {
    if (a.rfind(flag + "=", 0) == 0) return a.substr(flag.size() + 1);
  }
  return "";
}

int PortOf(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) return -1;
  const std::string port = host_port.substr(colon + 1);
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoi(port);
}

std::vector<Manifest> LoadManifests() {
  const fs::path root = DeployDir() + "/kubernetes";
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") {
      files.push_back(fs::relative(e.path(), root).string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Manifest> out;
  for (const std::string& f : files) {
    try {
      for (const YAML::Node& doc : YAML::LoadAllFromFile((root / f).string())) {
        if (!doc.IsNull()) out.push_back({f, doc});
      }
    } catch (const YAML::Exception& e) {
      ADD_FAILURE() << "deploy/kubernetes/" << f << " is not valid YAML: " << e.what();
    }
  }
  return out;
}

YAML::Node Path(YAML::Node node, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (!node.IsMap() || !node[key]) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(node[key]);  // rebinds (operator= would overwrite the document's node)
  }
  return node;
}

std::vector<Manifest> OfKind(const std::vector<Manifest>& all, const std::string& kind) {
  std::vector<Manifest> out;
  for (const Manifest& m : all) {
    if (m.doc["kind"] && m.doc["kind"].as<std::string>() == kind) out.push_back(m);
  }
  return out;
}

YAML::Node PodSpec(const YAML::Node& workload) { return workload["spec"]["template"]["spec"]; }

std::vector<std::string> ContainerArgv(const YAML::Node& container) {
  std::vector<std::string> argv;
  for (const char* key : {"command", "args"}) {
    if (!container[key]) continue;
    for (const YAML::Node& a : container[key]) argv.push_back(a.as<std::string>());
  }
  return argv;
}

std::vector<Instruction> ReadDockerfile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<Instruction> out;
  std::string line, logical;
  int stage = -1;
  auto flush = [&]() {
    const size_t sp = logical.find_first_of(" \t");
    if (logical.empty()) return;
    Instruction i;
    i.keyword = logical.substr(0, sp);
    std::transform(i.keyword.begin(), i.keyword.end(), i.keyword.begin(), ::toupper);
    i.args = sp == std::string::npos ? "" : logical.substr(logical.find_first_not_of(" \t", sp));
    if (i.keyword == "FROM") ++stage;
    i.stage = std::max(stage, 0);
    out.push_back(i);
    logical.clear();
  };
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::string part = line.substr(first);
    const bool more = !part.empty() && part.back() == '\\';
    if (more) part.pop_back();
    logical += (logical.empty() ? "" : " ") + part;
    if (!more) flush();
  }
  flush();
  return out;
}

std::vector<std::string> ExecForm(const std::string& args) {
  std::vector<std::string> out;
  try {
    YAML::Node list = YAML::Load(args);  // a JSON array is YAML
    EXPECT_TRUE(list.IsSequence()) << "not an exec-form list: " << args;
    if (!list.IsSequence()) return out;
    for (const YAML::Node& a : list) out.push_back(a.as<std::string>());
  } catch (const YAML::Exception& e) {
    ADD_FAILURE() << "not an exec-form list: " << args << ": " << e.what();
  }
  return out;
}

std::vector<std::string> AptPackages(const std::string& run) {
  std::vector<std::string> out;
  const std::vector<std::string> words = SplitWords(run);
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] != "apt-get" || words[i + 1] != "install") continue;
    for (size_t j = i + 2; j < words.size() && words[j] != "&&"; ++j) {
      if (words[j][0] != '-') out.push_back(words[j]);
    }
  }
  return out;
}

UnitFile ReadUnit(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  UnitFile unit;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    const size_t eq = line.find('=');
    EXPECT_NE(eq, std::string::npos) << path << ": " << line;
    if (eq == std::string::npos) continue;
    unit[section][line.substr(0, eq)].push_back(line.substr(eq + 1));
  }
  return unit;
}

}  // namespace sei::deploy_test
