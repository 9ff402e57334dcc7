#include "git/object_db.h"

#include "git/libgit2_object_db.h"

namespace sei::git {

std::string_view ObjectTypeName(ObjectType type) {
  switch (type) {
    case ObjectType::kCommit:
      return "commit";
    case ObjectType::kTree:
      return "tree";
    case ObjectType::kBlob:
      return "blob";
    case ObjectType::kTag:
      return "tag";
    case ObjectType::kNone:
      break;
  }
  return "unknown";
}

Result<std::unique_ptr<ObjectDb>> ObjectDb::Open(const std::string& git_dir,
                                                 const ObjectDbOptions&) {
  return OpenLibGit2ObjectDb(git_dir);
}

}  // namespace sei::git
