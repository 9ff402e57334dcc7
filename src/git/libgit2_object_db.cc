#include "git/libgit2_object_db.h"

#include <git2.h>

namespace sei::git {

namespace {

std::string GitError() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

ObjectType FromLibGit2(git_object_t t) {
  switch (t) {
    case GIT_OBJECT_COMMIT:
      return ObjectType::kCommit;
    case GIT_OBJECT_TREE:
      return ObjectType::kTree;
    case GIT_OBJECT_BLOB:
      return ObjectType::kBlob;
    case GIT_OBJECT_TAG:
      return ObjectType::kTag;
    default:
      return ObjectType::kNone;
  }
}

class LibGit2Reader : public ObjectReader {
 public:
  explicit LibGit2Reader(const std::string& git_dir) {
    if (git_repository_open_bare(&repo_, git_dir.c_str()) == 0) {
      git_repository_odb(&odb_, repo_);
    }
  }
  ~LibGit2Reader() override {
    git_odb_free(odb_);
    git_repository_free(repo_);
  }

  Status Read(const ObjectId& id, ObjectType* type, std::string* data) override {
    if (odb_ == nullptr) return UnavailableError("libgit2 could not open the repository");
    git_oid oid;
    git_oid_fromraw(&oid, id.bytes.data());
    git_odb_object* obj = nullptr;
    int rc = git_odb_read(&obj, odb_, &oid);
    if (rc == GIT_ENOTFOUND) return NotFoundError("object " + id.Hex() + " not found");
    if (rc != 0) return DataLossError("object " + id.Hex() + ": " + GitError());
    *type = FromLibGit2(git_odb_object_type(obj));
    data->assign(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
    stats_.objects_read++;
    stats_.bytes_inflated += data->size();
    git_odb_object_free(obj);
    return Status::Ok();
  }

  Status ReadHeader(const ObjectId& id, ObjectType* type, uint64_t* size) override {
    if (odb_ == nullptr) return UnavailableError("libgit2 could not open the repository");
    git_oid oid;
    git_oid_fromraw(&oid, id.bytes.data());
    size_t len = 0;
    git_object_t t = GIT_OBJECT_INVALID;
    int rc = git_odb_read_header(&len, &t, odb_, &oid);
    if (rc == GIT_ENOTFOUND) return NotFoundError("object " + id.Hex() + " not found");
    if (rc != 0) return DataLossError("object " + id.Hex() + ": " + GitError());
    *type = FromLibGit2(t);
    *size = len;
    return Status::Ok();
  }

  Stats stats() const override { return stats_; }

 private:
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
  Stats stats_;
};

class LibGit2ObjectDb : public ObjectDb {
 public:
  explicit LibGit2ObjectDb(std::string git_dir) : git_dir_(std::move(git_dir)) {}
  std::unique_ptr<ObjectReader> NewReader() const override {
    return std::make_unique<LibGit2Reader>(git_dir_);
  }

 private:
  std::string git_dir_;
};

}  // namespace

Result<std::unique_ptr<ObjectDb>> OpenLibGit2ObjectDb(const std::string& git_dir) {
  git_repository* repo = nullptr;
  if (git_repository_open_bare(&repo, git_dir.c_str()) != 0) {
    return InvalidArgumentError(git_dir + " is not a git directory: " + GitError());
  }
  git_repository_free(repo);
  return std::unique_ptr<ObjectDb>(std::make_unique<LibGit2ObjectDb>(git_dir));
}

}  // namespace sei::git
