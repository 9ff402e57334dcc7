#include "collectors/git/commit_walker.h"

#include <unordered_map>

#include "git/objects.h"

namespace sei::collectors {

namespace {

struct Walker {
  git::ObjectReader* reader;
  const std::function<bool(const git::ObjectId&)>& known;
  WalkOptions options;
  std::string buf;
  // Tree of every commit read so far, for the children's parent_tree.
  std::unordered_map<git::ObjectId, git::ObjectId, git::ObjectIdHash> trees;

  Status ReadCommit(const git::ObjectId& id, git::Commit* commit) {
    git::ObjectType type = git::ObjectType::kNone;
    SEI_RETURN_IF_ERROR(reader->Read(id, &type, &buf));
    if (type != git::ObjectType::kCommit) {
      return DataLossError("object " + id.Hex() + " is a " +
                           std::string(git::ObjectTypeName(type)) + ", expected a commit");
    }
    SEI_ASSIGN_OR_RETURN(*commit, git::ParseCommit(buf));
    trees[id] = commit->tree;
    return Status::Ok();
  }

  // The tree of a parent that is already stored (not walked): read it.
  Result<std::optional<git::ObjectId>> ParentTree(const git::ObjectId& parent) {
    auto it = trees.find(parent);
    if (it != trees.end()) return std::optional<git::ObjectId>(it->second);
    git::Commit c;
    Status s = ReadCommit(parent, &c);
    if (s.code() == StatusCode::kNotFound && options.shallow) {
      return std::optional<git::ObjectId>();
    }
    if (!s.ok()) return s;
    return std::optional<git::ObjectId>(c.tree);
  }
};

}  // namespace

Status WalkNewCommits(git::ObjectReader* reader, const std::vector<git::ObjectId>& tips,
                      const std::function<bool(const git::ObjectId&)>& known,
                      const WalkOptions& options, std::vector<WalkedCommit>* out) {
  Walker w{reader, known, options, {}, {}};
  std::vector<WalkedCommit> nodes;
  std::unordered_map<git::ObjectId, size_t, git::ObjectIdHash> seen;
  struct Frame {
    size_t node;
    size_t next_parent;
  };
  std::vector<Frame> stack;
  // Pushes `id` when it is new; false when the walk stops there.
  auto visit = [&](const git::ObjectId& id) -> Status {
    if (seen.count(id) != 0 || known(id)) return Status::Ok();
    git::Commit c;
    Status s = w.ReadCommit(id, &c);
    if (s.code() == StatusCode::kNotFound && options.shallow && !stack.empty()) {
      return Status::Ok();  // beyond the shallow boundary
    }
    if (!s.ok()) return s.WithContext("reading commit " + id.Hex());
    seen.emplace(id, nodes.size());
    nodes.push_back({id, c.tree, std::move(c.parents), std::nullopt});
    stack.push_back({nodes.size() - 1, 0});
    return Status::Ok();
  };
  for (const git::ObjectId& tip : tips) {
    SEI_RETURN_IF_ERROR(visit(tip));
    while (!stack.empty()) {
      Frame& f = stack.back();
      WalkedCommit& n = nodes[f.node];
      if (f.next_parent < n.parents.size()) {
        git::ObjectId parent = n.parents[f.next_parent++];
        SEI_RETURN_IF_ERROR(visit(parent));
        continue;
      }
      if (!n.parents.empty()) {
        SEI_ASSIGN_OR_RETURN(n.parent_tree, w.ParentTree(n.parents[0]));
      }
      out->push_back(std::move(n));
      stack.pop_back();
    }
  }
  return Status::Ok();
}

}  // namespace sei::collectors
