// Ids, the batch, and the objects every payload embeds: users and
// repositories.
#include <fmt/format.h>

#include "collectors/github/github_internal.h"
#include "model/ids.h"

namespace sei::collectors::github {
namespace {

template <class T>
void MoveAll(std::vector<T>* to, std::vector<T>* from) {
  if (to->empty()) {
    *to = std::move(*from);
    return;
  }
  to->insert(to->end(), std::make_move_iterator(from->begin()),
             std::make_move_iterator(from->end()));
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Rows keyed by `id` that a page repeats (its repository, its board): kept once.
template <class T>
void MoveUnique(std::vector<T>* to, std::vector<T>* from) {
  for (T& row : *from) {
    bool seen = false;
    for (const T& kept : *to) seen = seen || kept.id == row.id;
    if (!seen) to->push_back(std::move(row));
  }
}

template <class T>
void FillIfUnset(std::optional<T>* to, std::optional<T>* from) {
  if (!to->has_value() && from->has_value()) *to = std::move(*from);
}

}  // namespace

std::string RepoId(std::string_view connection_id, std::string_view full_name) {
  return model::MakeId(connection_id, "repo", full_name);
}
std::string AccountId(std::string_view connection_id, int64_t user_id) {
  return model::MakeId(connection_id, "account", std::to_string(user_id));
}
std::string PrId(std::string_view connection_id, std::string_view full_name, int64_t number) {
  return model::MakeId(connection_id, "pr", fmt::format("{}/{}", full_name, number));
}
std::string IssueId(std::string_view connection_id, std::string_view full_name, int64_t number) {
  return model::MakeId(connection_id, "issue", fmt::format("{}/{}", full_name, number));
}
std::string RunId(std::string_view connection_id, int64_t run_id) {
  return model::MakeId(connection_id, "run", std::to_string(run_id));
}

size_t ConvertedBatch::RowCount() const {
  return accounts.size() + repos.size() + boards.size() + prs.size() + pr_commits.size() +
         reviews.size() + comments.size() + issues.size() + pipelines.size() + jobs.size() +
         deployments.size() + deployment_commits.size() + releases.size();
}

void ConvertedBatch::AddAccount(model::Account account) {
  auto [it, added] = account_index_.emplace(account.id, accounts.size());
  if (added) {
    accounts.push_back(std::move(account));
    return;
  }
  model::Account& kept = accounts[it->second];
  FillIfUnset(&kept.login, &account.login);
  FillIfUnset(&kept.name, &account.name);
  FillIfUnset(&kept.email, &account.email);
  kept.is_bot = kept.is_bot || account.is_bot;
}

void ConvertedBatch::Append(ConvertedBatch&& other) {
  for (model::Account& a : other.accounts) AddAccount(std::move(a));
  MoveUnique(&repos, &other.repos);
  MoveUnique(&boards, &other.boards);
  MoveAll(&prs, &other.prs);
  MoveAll(&pr_commits, &other.pr_commits);
  MoveAll(&reviews, &other.reviews);
  MoveAll(&comments, &other.comments);
  MoveAll(&issues, &other.issues);
  MoveAll(&pipelines, &other.pipelines);
  MoveAll(&jobs, &other.jobs);
  MoveAll(&deployments, &other.deployments);
  MoveAll(&deployment_commits, &other.deployment_commits);
  MoveAll(&releases, &other.releases);
  MoveAll(&deleted_releases, &other.deleted_releases);
  MoveAll(&errors, &other.errors);
  skipped += other.skipped;
  if (!other.note.empty()) note = note.empty() ? other.note : note + "; " + other.note;
}

const CompiledPatterns& PatternsOf(const ConvertContext& ctx) {
  return ctx.patterns != nullptr ? *ctx.patterns : CompiledPatterns::Defaults();
}

std::string RepoRef(const ConvertContext& ctx, std::string_view full_name) {
  return ctx.repo_id.empty() ? RepoId(ctx.connection_id, full_name) : ctx.repo_id;
}

std::optional<std::string> ReadAccount(const ObjectReader& parent, std::string_view key,
                                       const ConvertContext& ctx, ConvertedBatch* out) {
  std::optional<ObjectReader> user = parent.Obj(key, false);
  if (!user) return std::nullopt;
  std::optional<int64_t> id = user->Int("id", true);
  std::optional<std::string> login = user->Str("login", true);
  if (!id || !login) return std::nullopt;
  model::Account a;
  a.id = AccountId(ctx.connection_id, *id);
  a.connection_id = ctx.connection_id;
  a.source = "github";
  a.login = login;
  a.name = user->Str("name", false);  // only GET /users/{login} has these two
  a.email = user->Str("email", false);
  a.external_id = std::to_string(*id);
  a.is_bot = user->Str("type", false).value_or("") == "Bot" || EndsWith(*login, "[bot]");
  std::string account_id = a.id;
  out->AddAccount(std::move(a));
  return account_id;
}

std::string ReadRepository(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out) {
  std::optional<std::string> full_name = r.Str("full_name", true);
  if (!full_name) return "";
  model::Repo repo;
  repo.id = RepoId(ctx.connection_id, *full_name);
  repo.connection_id = ctx.connection_id;
  repo.name = *full_name;
  // Where a git collection would clone it from; the web page otherwise.
  repo.location = r.Str("clone_url", false).value_or(r.Str("html_url", false).value_or(""));
  repo.default_branch = r.Str("default_branch", false);
  repo.created_at = r.Time("created_at", false);  // epoch seconds in push webhooks
  out->repos.push_back(std::move(repo));
  return *full_name;
}

std::vector<std::string> LabelNames(const ObjectReader& r, std::string* json) {
  std::vector<std::string> names;
  std::optional<simdjson::dom::array> labels = r.Arr("labels", false);
  if (!labels) return names;
  *json = "[";
  size_t i = 0;
  for (JsonElement e : *labels) {
    ObjectReader label(e, r.PathOf("labels") + "[" + std::to_string(i++) + "]", r.problems());
    std::optional<std::string> name = label.Str("name", true);
    if (!name) continue;
    if (!names.empty()) *json += ",";
    *json += JsonQuote(*name);
    names.push_back(std::move(*name));
  }
  *json += "]";
  return names;
}

}  // namespace sei::collectors::github
