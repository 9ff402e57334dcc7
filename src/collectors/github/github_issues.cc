// Issues (the repository's issue list is its board).
#include <fmt/format.h>

#include "collectors/github/github_internal.h"
#include "model/ids.h"

namespace sei::collectors::github {
namespace {

// The repository's full name of an issue: repository_url, else its url.
std::string IssueRepo(const ObjectReader& r) {
  std::string repo = RepoFromApiUrl(r.Str("repository_url", false).value_or(""));
  if (repo.empty()) repo = RepoFromApiUrl(r.Str("url", false).value_or(""));
  if (repo.empty()) r.Error("repository_url", "is required (the API url of the repository)");
  return repo;
}

model::Board BoardOf(const ConvertContext& ctx, const std::string& repo) {
  model::Board b;
  b.id = model::MakeId(ctx.connection_id, "board", repo);
  b.connection_id = ctx.connection_id;
  b.name = repo;
  b.kind = "list";
  b.url = "https://github.com/" + repo + "/issues";
  return b;
}

}  // namespace

void ConvertIssue(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out) {
  if (r.Has("pull_request")) {  // /issues lists pull requests too: they are converted as PRs
    ++out->skipped;
    return;
  }
  const std::string repo = IssueRepo(r);
  model::Issue issue;
  const int64_t number = r.Int("number", true).value_or(0);
  issue.id = IssueId(ctx.connection_id, repo, number);
  issue.connection_id = ctx.connection_id;
  issue.board_id = model::MakeId(ctx.connection_id, "board", repo);
  issue.key = "#" + std::to_string(number);
  issue.title = r.Str("title", true).value_or("");
  std::string labels;
  const std::vector<std::string> names = LabelNames(r, &labels);
  issue.type = PatternsOf(ctx).IssueType(names, &issue.raw_type);
  if (!labels.empty()) issue.labels = std::move(labels);
  issue.status = r.Str("state", true).value_or("");
  if (issue.status != "open" && issue.status != "closed" && !issue.status.empty()) {
    r.Error("state", fmt::format("must be open or closed (got \"{}\")", issue.status));
  }
  issue.status_category = issue.status == "closed" ? "done" : "todo";
  issue.reporter_account_id = ReadAccount(r, "user", ctx, out);
  issue.assignee_account_id = ReadAccount(r, "assignee", ctx, out);
  issue.created_at = r.Time("created_at", true).value_or(0);
  issue.updated_at = r.Time("updated_at", false);
  // A reopened issue keeps its old closed_at: resolved only while closed.
  const std::optional<int64_t> closed_at = r.Time("closed_at", false);
  if (issue.status == "closed") issue.resolved_at = closed_at;
  issue.url = r.Str("html_url", false);
  issue.raw_id = ctx.raw_id;
  out->issues.push_back(std::move(issue));
  if (!repo.empty()) out->boards.push_back(BoardOf(ctx, repo));
}

}  // namespace sei::collectors::github
