// GithubPatterns: the configurable rules the GitHub converters apply where
// GitHub itself says nothing: which issue labels make an issue a bug, a
// feature or an incident, and which Actions jobs deploy, and to what
// environment. CompiledPatterns holds them as compiled regular expressions.
//
// Why configurable: label names and workflow names are each team's own
// ("kind/bug", "type: defect", "Deploy to prod"), so the defaults below are a
// sensible start that a connection's config overrides.
//
// Rules (ECMAScript regular expressions, case-insensitive, searched anywhere
// in the text):
//  - issue type: the first of `issue_types` (in order) whose regex matches any
//    of the issue's label names gives the type; none: `default_issue_type`.
//    Defaults, in order: incident (incident|outage|postmortem|sev[0-9]),
//    bug (bug|defect|regression|crash), feature (feature|enhancement|feat\b),
//    epic (epic), story (story), task (task|chore|refactor|docs?\b|
//    documentation|maintenance); else "other".
//  - deployment job: a job deploys when `deployment` matches its name or its
//    workflow's name, or the job targets an environment (a workflow_job
//    webhook's `deployment`). Default: deploy|release|publish.
//  - environment of a deployment job: the job's own environment when GitHub
//    names one; else the first of `environments` whose regex matches the job
//    name, then the workflow name; else `default_environment` (default
//    "production": a repository's deploy workflow usually deploys
//    production). Defaults: staging (stag|uat|pre-?prod), production (prod),
//    testing (test|qa), development (dev).
//
// Thread safety: GithubPatterns is a value; a CompiledPatterns is immutable
// after Compile and may be shared by any number of threads.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sei::collectors::github {

struct NamedPattern {
  std::string name;   // the issue type or environment it gives
  std::string regex;  // ECMAScript, case-insensitive
};

struct GithubPatterns {
  std::vector<NamedPattern> issue_types = {
      {"incident", R"(incident|outage|postmortem|sev[0-9])"},
      {"bug", R"(bug|defect|regression|crash)"},
      {"feature", R"(feature|enhancement|feat\b)"},
      {"epic", R"(epic)"},
      {"story", R"(story)"},
      {"task", R"(task|chore|refactor|docs?\b|documentation|maintenance)"},
  };
  std::string default_issue_type = "other";
  std::string deployment = R"(deploy|release|publish)";
  std::vector<NamedPattern> environments = {
      {"staging", R"(stag|uat|pre-?prod)"},
      {"production", R"(prod)"},
      {"testing", R"(test|qa)"},
      {"development", R"(dev)"},
  };
  std::string default_environment = "production";
};

class CompiledPatterns {
 public:
  // InvalidArgument naming the pattern when a regex does not compile.
  static Result<CompiledPatterns> Compile(const GithubPatterns& patterns);
  // The defaults, compiled once.
  static const CompiledPatterns& Defaults();

  // The type the labels give, and the label that gave it (nullopt: none
  // matched, the type is the default).
  std::string IssueType(const std::vector<std::string>& labels,
                        std::optional<std::string>* matched_label) const;
  bool IsDeployment(std::string_view job_name, std::string_view workflow_name) const;
  std::string EnvironmentOf(std::string_view job_name, std::string_view workflow_name) const;

 private:
  struct Compiled {
    std::string name;
    std::regex regex;
  };
  std::vector<Compiled> issue_types_;
  std::string default_issue_type_;
  std::regex deployment_;
  std::vector<Compiled> environments_;
  std::string default_environment_;
};

}  // namespace sei::collectors::github
