#include "git/object_db.h"

#include <cstdlib>
#include <string_view>

#include "git/libgit2_object_db.h"
#include "git/object_store.h"

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
                                                 const ObjectDbOptions& options) {
  // For benchmarks and diagnosis: SEI_OBJECT_READER=libgit2 reads through
  // libgit2 instead (ADR 0003).
  const char* reader = std::getenv("SEI_OBJECT_READER");
  if (reader != nullptr && std::string_view(reader) == "libgit2") {
    return OpenLibGit2ObjectDb(git_dir);
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<internal::ObjectStore> store,
                       internal::ObjectStore::Open(git_dir, options));
  return std::unique_ptr<ObjectDb>(std::move(store));
}

}  // namespace sei::git
