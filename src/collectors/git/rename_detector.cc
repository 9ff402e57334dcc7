#include "collectors/git/rename_detector.h"

#include <git2.h>

#include <unordered_map>

#include "common/strings.h"

namespace sei::collectors {

namespace {

std::string GitError() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

git_oid ToOid(const git::ObjectId& id) {
  git_oid oid;
  git_oid_fromraw(&oid, id.bytes.data());
  return oid;
}

// Raw path of a row (its exact bytes when not valid UTF-8).
const std::string& RawPath(const model::CommitFile& f) {
  return f.path_bytes ? *f.path_bytes : f.path;
}

}  // namespace

RenameDetector::RenameDetector(const std::string& git_dir) : git_dir_(git_dir) {}

RenameDetector::~RenameDetector() {
  if (repo_ != nullptr) git_repository_free(repo_);
}

Status RenameDetector::FindPairs(const git::ObjectId* old_tree, const git::ObjectId& new_tree,
                                 std::vector<Pair>* pairs) {
  if (repo_ == nullptr && git_repository_open_bare(&repo_, git_dir_.c_str()) != 0) {
    return UnavailableError("rename detection cannot open " + git_dir_ + ": " + GitError());
  }
  git_tree* a = nullptr;
  git_tree* b = nullptr;
  git_diff* diff = nullptr;
  git_oid bo = ToOid(new_tree);
  Status s;
  if (old_tree != nullptr) {
    git_oid ao = ToOid(*old_tree);
    if (git_tree_lookup(&a, repo_, &ao) != 0) s = DataLossError(GitError());
  }
  if (s.ok() && git_tree_lookup(&b, repo_, &bo) != 0) s = DataLossError(GitError());
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  if (s.ok() && git_diff_tree_to_tree(&diff, repo_, a, b, &opts) != 0) {
    s = DataLossError(GitError());
  }
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (s.ok() && git_diff_find_similar(diff, &find) != 0) s = DataLossError(GitError());
  if (s.ok()) {
    for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
      const git_diff_delta* d = git_diff_get_delta(diff, i);
      if (d->status != GIT_DELTA_RENAMED) continue;
      pairs->push_back({d->old_file.path, d->new_file.path,
                        git::ObjectId::FromRaw(d->old_file.id.id),
                        git::ObjectId::FromRaw(d->new_file.id.id)});
    }
  }
  git_diff_free(diff);
  git_tree_free(a);
  git_tree_free(b);
  return s.ok() ? Status::Ok() : s.WithContext("rename detection");
}

Status RenameDetector::Apply(const git::ObjectId* old_tree, const git::ObjectId& new_tree,
                             git::ObjectReader* reader, git::LineDiffer* differ,
                             std::vector<model::CommitFile>* files) {
  bool has_add = false, has_del = false;
  for (const model::CommitFile& f : *files) {
    has_add |= f.change == "A";
    has_del |= f.change == "D";
  }
  if (!has_add || !has_del) return Status::Ok();
  std::vector<Pair> pairs;
  SEI_RETURN_IF_ERROR(FindPairs(old_tree, new_tree, &pairs));
  if (pairs.empty()) return Status::Ok();
  std::unordered_map<std::string, size_t> added, deleted;
  for (size_t i = 0; i < files->size(); ++i) {
    const model::CommitFile& f = (*files)[i];
    if (f.change == "A") added[RawPath(f)] = i;
    if (f.change == "D") deleted[RawPath(f)] = i;
  }
  std::vector<bool> drop(files->size(), false);
  for (const Pair& p : pairs) {
    auto ai = added.find(p.new_path);
    auto di = deleted.find(p.old_path);
    if (ai == added.end() || di == deleted.end()) continue;
    model::CommitFile& f = (*files)[ai->second];
    const model::CommitFile& gone = (*files)[di->second];
    git::ObjectType type;
    SEI_RETURN_IF_ERROR(reader->Read(p.old_id, &type, &old_buf_));
    SEI_RETURN_IF_ERROR(reader->Read(p.new_id, &type, &new_buf_));
    f.change = "R";
    f.old_path = gone.path;
    f.old_mode = gone.old_mode;
    f.is_binary = git::IsBinary(old_buf_) || git::IsBinary(new_buf_);
    if (f.is_binary) {
      f.added.reset();
      f.deleted.reset();
    } else {
      git::LineCounts c = differ->Count(old_buf_, new_buf_);
      f.added = c.added;
      f.deleted = c.deleted;
    }
    drop[di->second] = true;
  }
  std::vector<model::CommitFile> kept;
  for (size_t i = 0; i < files->size(); ++i) {
    if (!drop[i]) kept.push_back(std::move((*files)[i]));
  }
  for (size_t i = 0; i < kept.size(); ++i) kept[i].idx = static_cast<int64_t>(i);
  *files = std::move(kept);
  return Status::Ok();
}

}  // namespace sei::collectors
