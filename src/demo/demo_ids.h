// The demo's connections and the ids of its rows, namespaced as model/ids.h
// does ("demo:github:pr:payments-api/17"), plus the demo's own team, project
// and person ids ("demo:team:payments").
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/ids.h"

namespace sei::demo {

inline constexpr const char* kGitConnection = "demo:git";
inline constexpr const char* kGitHubConnection = "demo:github";
inline constexpr const char* kJiraConnection = "demo:jira";
inline constexpr const char* kCiConnection = "demo:ci";
inline constexpr const char* kPagerConnection = "demo:pager";

inline std::string RepoId(std::string_view name) {
  return model::MakeId(kGitConnection, "repo", name);
}
inline std::string PrId(std::string_view repo, int64_t number) {
  return model::MakeId(kGitHubConnection, "pr", std::string(repo) + "/" + std::to_string(number));
}
inline std::string GitHubAccountId(int64_t github_id) {
  return model::MakeId(kGitHubConnection, "account", std::to_string(github_id));
}
inline std::string JiraAccountId(std::string_view account_id) {
  return model::MakeId(kJiraConnection, "account", account_id);
}
inline std::string GitAccount(std::string_view name, std::string_view email) {
  return model::GitAccountId(kGitConnection, name, email);
}
inline std::string TeamId(std::string_view slug) { return "demo:team:" + std::string(slug); }
inline std::string ProjectId(std::string_view slug) { return "demo:project:" + std::string(slug); }
inline std::string PersonId(std::string_view slug) { return "demo:person:" + std::string(slug); }

}  // namespace sei::demo
