#include "model/environment.h"

#include <cctype>

namespace sei::model {

std::string EnvironmentTypeOf(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto has = [&n](std::string_view part) { return n.find(part) != std::string::npos; };
  if (n.empty()) return "";
  if (has("stag") || has("preprod") || has("pre-prod") || has("uat")) return "staging";
  if (has("prod") || n == "live") return "production";
  if (has("test") || n == "qa" || has("qa-") || has("-qa")) return "testing";
  if (has("dev")) return "development";
  return "";
}

}  // namespace sei::model
