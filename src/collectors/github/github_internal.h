// The per-object converters behind ConvertRest and ConvertWebhook: each
// reads one GitHub JSON object and adds its rows to a batch. Shared by the
// REST page converters and the webhook dispatcher, so a webhook's object and
// a REST page's item go through the same function. Internal to
// src/collectors/github.
//
// Each converter records problems on the reader's Problems; ForEachItem adds
// an item's rows to the batch only when the item had none.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/github/github_convert.h"
#include "collectors/github/json_reader.h"

namespace sei::collectors::github {

const CompiledPatterns& PatternsOf(const ConvertContext& ctx);
// ctx.repo_id, else RepoId(connection, full_name).
std::string RepoRef(const ConvertContext& ctx, std::string_view full_name);

// The user object at `key` as an account (added to `out`); its id, or
// nullopt when the key is absent or null.
std::optional<std::string> ReadAccount(const ObjectReader& parent, std::string_view key,
                                       const ConvertContext& ctx, ConvertedBatch* out);
// A repository object as a Repo (added to `out`); its full name ("" when
// invalid).
std::string ReadRepository(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out);
// The `name`s of a labels array, and them as a JSON array text.
std::vector<std::string> LabelNames(const ObjectReader& r, std::string* json);

// `action` is the webhook action ("" for REST): ready_for_review sets ready_at.
void ConvertPullRequest(const ObjectReader& r, const ConvertContext& ctx, std::string_view action,
                        ConvertedBatch* out);
void ConvertPrCommit(const ObjectReader& r, const ConvertContext& ctx, int64_t ordinal,
                     ConvertedBatch* out);
void ConvertReview(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out);
void ConvertReviewComment(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out);
// A comment on issue or PR `number` of `repo`; counts a skip when ctx says
// the number is no PR.
void ConvertIssueComment(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out);
void ConvertIssue(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out);
void ConvertWorkflowRun(const ObjectReader& r, const ConvertContext& ctx, ConvertedBatch* out);
// `environment`: the environment a workflow_job webhook's deployment names.
void ConvertJob(const ObjectReader& r, const ConvertContext& ctx,
                const std::optional<std::string>& environment, ConvertedBatch* out);
// `latest_status`: the deployment's latest status object, if known.
void ConvertDeployment(const ObjectReader& r, const ConvertContext& ctx,
                       const std::optional<ObjectReader>& latest_status, ConvertedBatch* out);

// `repo`: the full name when the object does not say it (a webhook's
// `repository`); the release's API url says it otherwise.
void ConvertRelease(const ObjectReader& r, const ConvertContext& ctx, std::string_view repo,
                    ConvertedBatch* out);

// Runs `convert(reader, batch)` on `e` (one object) or on each element of
// `e` (an array), with item paths "<prefix>[i]"; an item's rows join `out`
// only when it had no problems, else its error does.
template <class F>
void ForEachItem(JsonElement e, std::string_view kind, const std::string& prefix,
                 ConvertedBatch* out, F&& convert) {
  auto one = [&](JsonElement item, std::string path, int64_t index) {
    Problems problems;
    ConvertedBatch rows;
    ObjectReader r(item, std::move(path), &problems);
    if (r.valid()) convert(r, index, &rows);
    if (problems.empty()) {
      out->Append(std::move(rows));
    } else {
      out->errors.push_back(problems.ToStatus(kind));
    }
  };
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) {
    one(e, prefix, 0);
    return;
  }
  int64_t i = 0;
  for (JsonElement item : a) {
    one(item, prefix + "[" + std::to_string(i) + "]", i);
    ++i;
  }
}

}  // namespace sei::collectors::github
