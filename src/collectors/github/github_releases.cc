// Releases (GET /repos/{o}/{r}/releases, /releases/{id}, the `release`
// webhook's `release`).
#include <fmt/format.h>

#include "collectors/github/github_internal.h"
#include "model/ids.h"

namespace sei::collectors::github {
namespace {

// The repository's full name of a release: from its API `url`
// (".../repos/{o}/{r}/releases/{id}"), else `repository` (webhooks).
std::string ReleaseRepo(const ObjectReader& r, std::string_view fallback) {
  std::string repo = RepoFromApiUrl(r.Str("url", false).value_or(""));
  if (repo.empty()) repo = std::string(fallback);
  if (repo.empty()) r.Error("url", "is required (the API url of the release)");
  return repo;
}

}  // namespace

std::string ReleaseId(std::string_view connection_id, int64_t release_id) {
  return model::MakeId(connection_id, "release", std::to_string(release_id));
}

void ConvertRelease(const ObjectReader& r, const ConvertContext& ctx, std::string_view repo,
                    ConvertedBatch* out) {
  model::Release rel;
  rel.id = ReleaseId(ctx.connection_id, r.Int("id", true).value_or(0));
  rel.connection_id = ctx.connection_id;
  rel.repo_id = RepoRef(ctx, ReleaseRepo(r, repo));
  rel.tag_name = r.Str("tag_name", true).value_or("");
  // GitHub shows the tag where a release has no name: null and "" alike.
  rel.name = r.Str("name", false);
  if (rel.name && rel.name->empty()) rel.name.reset();
  rel.target = r.Str("target_commitish", false);
  rel.draft = r.Bool("draft").value_or(false);
  rel.prerelease = r.Bool("prerelease").value_or(false);
  rel.author_account_id = ReadAccount(r, "author", ctx, out);
  rel.created_at = r.Time("created_at", true).value_or(0);
  rel.published_at = r.Time("published_at", false);  // null while a draft
  rel.url = r.Str("html_url", false);
  rel.raw_id = ctx.raw_id;
  out->releases.push_back(std::move(rel));
}

}  // namespace sei::collectors::github
