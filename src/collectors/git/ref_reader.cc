#include "collectors/git/ref_reader.h"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <unordered_set>

#include "common/strings.h"
#include "git/objects.h"

namespace sei::collectors {

namespace {

std::string GitError() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

bool StartsWith(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

// Follows tag objects from `id` to a non-tag; fills the ref's tag fields from
// the first tag and its peeled commit.
Status Peel(git::ObjectReader* reader, git::ObjectId id, model::Ref* ref,
            std::optional<git::ObjectId>* commit) {
  std::string buf;
  git::ObjectType type = git::ObjectType::kNone;
  SEI_RETURN_IF_ERROR(reader->Read(id, &type, &buf).WithContext("ref " + ref->name));
  ref->target_type = std::string(git::ObjectTypeName(type));
  for (int depth = 0; type == git::ObjectType::kTag; ++depth) {
    if (depth > 32) return DataLossError("tag chain of " + ref->name + " is too long");
    SEI_ASSIGN_OR_RETURN(git::Tag tag, git::ParseTag(buf));
    if (depth == 0) {
      ref->tag_message = DecodeText(tag.message, "");
      if (tag.tagger) {
        ref->tagger_name = DecodeText(tag.tagger->name, "");
        ref->tagger_email = DecodeText(tag.tagger->email, "");
        ref->tagged_at = tag.tagger->time;
      }
    }
    id = tag.object;
    SEI_RETURN_IF_ERROR(reader->Read(id, &type, &buf).WithContext("tag " + ref->name));
  }
  if (type == git::ObjectType::kCommit) {
    ref->commit_sha = id.Hex();
    *commit = id;
  }
  return Status::Ok();
}

std::string Digest(const std::vector<model::Ref>& refs) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over "name target\n"
  for (const model::Ref& r : refs) {
    for (const std::string* s : {&r.name, &r.target_sha}) {
      for (char c : *s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
      h = (h ^ '\n') * 1099511628211ull;
    }
  }
  return fmt::format("v1:{}:{:016x}", refs.size(), h);
}

}  // namespace

Status ReadRefs(const std::string& git_dir, git::ObjectReader* reader, bool include_remotes,
                const std::string& repo_id, int64_t now, RefSet* out) {
  git_repository* repo = nullptr;
  if (git_repository_open_bare(&repo, git_dir.c_str()) != 0) {
    return InvalidArgumentError(fmt::format("cannot open {}: {}", git_dir, GitError()));
  }
  git_reference* head = nullptr;
  if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
      git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
    std::string target = git_reference_symbolic_target(head);
    if (StartsWith(target, "refs/heads/")) out->default_branch = target.substr(11);
  }
  git_reference_free(head);
  git_reference_iterator* it = nullptr;
  if (git_reference_iterator_new(&it, repo) != 0) {
    std::string msg = GitError();
    git_repository_free(repo);
    return DataLossError(fmt::format("cannot list the refs of {}: {}", git_dir, msg));
  }
  std::vector<std::pair<model::Ref, git::ObjectId>> found;
  git_reference* ref = nullptr;
  int rc;
  while ((rc = git_reference_next(&ref, it)) == 0) {
    std::string name = git_reference_name(ref);
    bool wanted = StartsWith(name, "refs/heads/") || StartsWith(name, "refs/tags/") ||
                  (include_remotes && StartsWith(name, "refs/remotes/"));
    if (wanted && git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
      model::Ref r;
      r.repo_id = repo_id;
      r.name = name;
      r.kind = StartsWith(name, "refs/tags/") ? "tag" : "branch";
      git::ObjectId id = git::ObjectId::FromRaw(git_reference_target(ref)->id);
      r.target_sha = id.Hex();
      r.updated_at = now;
      found.emplace_back(std::move(r), id);
    }
    git_reference_free(ref);
  }
  git_reference_iterator_free(it);
  git_repository_free(repo);
  if (rc != GIT_ITEROVER) {
    return DataLossError(fmt::format("cannot list the refs of {}: {}", git_dir, GitError()));
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first.name < b.first.name; });
  std::string default_ref = "refs/heads/" + out->default_branch;
  std::vector<git::ObjectId> first, rest;
  for (auto& [r, id] : found) {
    std::optional<git::ObjectId> commit;
    SEI_RETURN_IF_ERROR(Peel(reader, id, &r, &commit));
    if (commit) (r.name == default_ref ? first : rest).push_back(*commit);
    out->refs.push_back(std::move(r));
  }
  std::unordered_set<git::ObjectId, git::ObjectIdHash> seen;
  for (const auto* list : {&first, &rest}) {
    for (const git::ObjectId& id : *list) {
      if (seen.insert(id).second) out->tips.push_back(id);
    }
  }
  out->digest = Digest(out->refs);
  return Status::Ok();
}

}  // namespace sei::collectors
