#include "git/tree_diff.h"

#include <cstring>

#include "git/objects.h"

namespace sei::git {

namespace {

// Only this deep: deeper trees are certainly malicious or corrupt.
constexpr size_t kMaxDepth = 4096;

// git's base_name_compare(): names compared bytewise, a tree's name as if it
// ended with '/'.
int CompareEntries(const TreeEntry& a, const TreeEntry& b) {
  size_t n = std::min(a.name.size(), b.name.size());
  int c = std::memcmp(a.name.data(), b.name.data(), n);
  if (c != 0) return c;
  unsigned char ca =
      a.name.size() > n ? static_cast<unsigned char>(a.name[n]) : (IsTreeMode(a.mode) ? '/' : '\0');
  unsigned char cb =
      b.name.size() > n ? static_cast<unsigned char>(b.name[n]) : (IsTreeMode(b.mode) ? '/' : '\0');
  return static_cast<int>(ca) - static_cast<int>(cb);
}

}  // namespace

uint32_t CanonicalMode(uint32_t mode) {
  switch (mode & 0170000) {
    case 0100000:
      return (mode & 0100) ? kModeExecutable : kModeFile;
    case kModeSymlink:
      return kModeSymlink;
    case kModeTree:
      return kModeTree;
    default:
      return kModeGitlink;
  }
}

struct TreeDiffer::Level {
  std::string old_buf;
  std::string new_buf;
};

TreeDiffer::TreeDiffer(ObjectReader* reader) : reader_(reader) {}
TreeDiffer::~TreeDiffer() = default;

TreeDiffer::Level& TreeDiffer::LevelAt(size_t depth) {
  while (levels_.size() <= depth) levels_.push_back(std::make_unique<Level>());
  return *levels_[depth];
}

Status TreeDiffer::Load(const ObjectId& id, std::string* buf) {
  ObjectType type = ObjectType::kNone;
  SEI_RETURN_IF_ERROR(reader_->Read(id, &type, buf));
  ++trees_read_;
  if (type != ObjectType::kTree) {
    return DataLossError("object " + id.Hex() + " should be a tree but is a " +
                         std::string(ObjectTypeName(type)));
  }
  return Status::Ok();
}

Status TreeDiffer::Diff(const ObjectId* old_tree, const ObjectId* new_tree,
                        std::vector<TreeChange>* out) {
  prefix_.clear();
  if (old_tree != nullptr && new_tree != nullptr && *old_tree == *new_tree) return Status::Ok();
  return DiffLevel(old_tree, new_tree, 0, out);
}

Status TreeDiffer::EmitSubtree(const ObjectId& tree, bool added, size_t depth,
                               std::vector<TreeChange>* out) {
  if (added) return DiffLevel(nullptr, &tree, depth, out);
  return DiffLevel(&tree, nullptr, depth, out);
}

Status TreeDiffer::DiffLevel(const ObjectId* a, const ObjectId* b, size_t depth,
                             std::vector<TreeChange>* out) {
  if (depth > kMaxDepth) return DataLossError("trees nested deeper than 4096 levels");
  Level& level = LevelAt(depth);
  level.old_buf.clear();
  level.new_buf.clear();
  if (a != nullptr) SEI_RETURN_IF_ERROR(Load(*a, &level.old_buf));
  if (b != nullptr) SEI_RETURN_IF_ERROR(Load(*b, &level.new_buf));
  TreeIterator ia(level.old_buf), ib(level.new_buf);
  TreeEntry ea, eb;
  bool has_a = ia.Next(&ea), has_b = ib.Next(&eb);
  size_t prefix_len = prefix_.size();
  auto enter = [&](const TreeEntry& e) {
    prefix_.resize(prefix_len);
    prefix_.append(e.name.data(), e.name.size());
  };
  while (has_a || has_b) {
    int cmp = !has_a ? 1 : !has_b ? -1 : CompareEntries(ea, eb);
    if (cmp < 0) {  // only in the old tree: deleted
      enter(ea);
      if (IsTreeMode(ea.mode)) {
        prefix_ += '/';
        SEI_RETURN_IF_ERROR(EmitSubtree(ea.id, false, depth + 1, out));
      } else {
        out->push_back({prefix_, CanonicalMode(ea.mode), 0, ea.id, ObjectId{}});
      }
      has_a = ia.Next(&ea);
    } else if (cmp > 0) {  // only in the new tree: added
      enter(eb);
      if (IsTreeMode(eb.mode)) {
        prefix_ += '/';
        SEI_RETURN_IF_ERROR(EmitSubtree(eb.id, true, depth + 1, out));
      } else {
        out->push_back({prefix_, 0, CanonicalMode(eb.mode), ObjectId{}, eb.id});
      }
      has_b = ib.Next(&eb);
    } else {  // same name and both trees or both non-trees
      uint32_t ma = CanonicalMode(ea.mode), mb = CanonicalMode(eb.mode);
      if (ea.id != eb.id || ma != mb) {
        enter(ea);
        if (IsTreeMode(ma)) {
          prefix_ += '/';
          SEI_RETURN_IF_ERROR(DiffLevel(&ea.id, &eb.id, depth + 1, out));
        } else {
          out->push_back({prefix_, ma, mb, ea.id, eb.id});
        }
      }
      has_a = ia.Next(&ea);
      has_b = ib.Next(&eb);
    }
  }
  prefix_.resize(prefix_len);
  if (!ia.status().ok()) return ia.status().WithContext("tree " + a->Hex());
  if (!ib.status().ok()) return ib.status().WithContext("tree " + b->Hex());
  return Status::Ok();
}

}  // namespace sei::git
