#include "collectors/github/github_patterns.h"

#include <fmt/format.h>

namespace sei::collectors::github {
namespace {

Result<std::regex> CompileOne(std::string_view what, const std::string& regex) {
  try {
    return std::regex(regex, std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
  } catch (const std::regex_error& e) {
    return InvalidArgumentError(fmt::format(
        "github pattern {} '{}' is not a valid regular expression: {}", what, regex, e.what()));
  }
}

bool Matches(const std::regex& re, std::string_view text) {
  return !text.empty() && std::regex_search(text.begin(), text.end(), re);
}

}  // namespace

Result<CompiledPatterns> CompiledPatterns::Compile(const GithubPatterns& patterns) {
  CompiledPatterns out;
  for (const NamedPattern& p : patterns.issue_types) {
    SEI_ASSIGN_OR_RETURN(std::regex re, CompileOne("issue_types." + p.name, p.regex));
    out.issue_types_.push_back({p.name, std::move(re)});
  }
  out.default_issue_type_ = patterns.default_issue_type;
  SEI_ASSIGN_OR_RETURN(out.deployment_, CompileOne("deployment", patterns.deployment));
  for (const NamedPattern& p : patterns.environments) {
    SEI_ASSIGN_OR_RETURN(std::regex re, CompileOne("environments." + p.name, p.regex));
    out.environments_.push_back({p.name, std::move(re)});
  }
  out.default_environment_ = patterns.default_environment;
  return out;
}

const CompiledPatterns& CompiledPatterns::Defaults() {
  static const CompiledPatterns* defaults = [] {
    Result<CompiledPatterns> c = Compile(GithubPatterns{});
    return new CompiledPatterns(std::move(c).value());  // the defaults compile (tested)
  }();
  return *defaults;
}

std::string CompiledPatterns::IssueType(const std::vector<std::string>& labels,
                                        std::optional<std::string>* matched_label) const {
  for (const Compiled& p : issue_types_) {
    for (const std::string& label : labels) {
      if (Matches(p.regex, label)) {
        if (matched_label != nullptr) *matched_label = label;
        return p.name;
      }
    }
  }
  if (matched_label != nullptr) matched_label->reset();
  return default_issue_type_;
}

bool CompiledPatterns::IsDeployment(std::string_view job_name,
                                    std::string_view workflow_name) const {
  return Matches(deployment_, job_name) || Matches(deployment_, workflow_name);
}

std::string CompiledPatterns::EnvironmentOf(std::string_view job_name,
                                            std::string_view workflow_name) const {
  for (std::string_view text : {job_name, workflow_name}) {
    for (const Compiled& p : environments_) {
      if (Matches(p.regex, text)) return p.name;
    }
  }
  return default_environment_;
}

}  // namespace sei::collectors::github
