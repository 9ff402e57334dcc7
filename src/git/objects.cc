#include "git/objects.h"

#include <cstring>

namespace sei::git {

namespace {

// Splits off the next line (without its '\n').
bool NextLine(std::string_view* rest, std::string_view* line) {
  if (rest->empty()) return false;
  size_t nl = rest->find('\n');
  if (nl == std::string_view::npos) {
    *line = *rest;
    *rest = {};
  } else {
    *line = rest->substr(0, nl);
    rest->remove_prefix(nl + 1);
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::optional<ObjectId> HeaderId(std::string_view line, std::string_view key) {
  if (!StartsWith(line, key) || line.size() != key.size() + ObjectId::kHexSize) return {};
  return ObjectId::FromHex(line.substr(key.size()));
}

int64_t ParseDecimal(std::string_view s, bool* ok) {
  int64_t v = 0;
  *ok = !s.empty() && s.size() <= 18;
  for (char c : s) {
    if (c < '0' || c > '9') {
      *ok = false;
      return 0;
    }
    v = v * 10 + (c - '0');
  }
  return *ok ? v : 0;
}

int32_t ParseZone(std::string_view z) {
  if (z.size() != 5 || (z[0] != '+' && z[0] != '-')) return 0;
  bool ok = false;
  int64_t hhmm = ParseDecimal(z.substr(1), &ok);
  if (!ok) return 0;
  auto minutes = static_cast<int32_t>(hhmm / 100 * 60 + hhmm % 100);
  return z[0] == '-' ? -minutes : minutes;
}

// Skips a header's continuation lines (those starting with a space).
void SkipContinuation(std::string_view* rest) {
  while (!rest->empty() && (*rest)[0] == ' ') {
    std::string_view ignored;
    NextLine(rest, &ignored);
  }
}

}  // namespace

Signature ParseSignature(std::string_view v) {
  Signature sig;
  size_t lt = v.find('<');
  size_t gt = v.find('>', lt == std::string_view::npos ? 0 : lt);
  if (lt == std::string_view::npos || gt == std::string_view::npos) {
    sig.name = std::string(v);
    return sig;
  }
  std::string_view name = v.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  sig.name = std::string(name);
  sig.email = std::string(v.substr(lt + 1, gt - lt - 1));
  std::string_view rest = v.substr(gt + 1);
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  size_t sp = rest.find(' ');
  // Dates before 1970 are written with a minus sign; keep them as written.
  std::string_view digits = rest.substr(0, sp);
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.remove_prefix(1);
  bool ok = false;
  int64_t t = ParseDecimal(digits, &ok);
  if (negative) t = -t;
  if (ok) {
    sig.time = t;
    if (sp != std::string_view::npos) sig.offset_minutes = ParseZone(rest.substr(sp + 1));
  }
  return sig;
}

Result<Commit> ParseCommit(std::string_view raw) {
  Commit c;
  std::string_view rest = raw, line;
  bool has_tree = false;
  while (NextLine(&rest, &line)) {
    if (line.empty()) break;  // end of headers
    if (auto id = HeaderId(line, "tree ")) {
      c.tree = *id;
      has_tree = true;
    } else if (StartsWith(line, "parent ")) {
      auto pid = HeaderId(line, "parent ");
      if (!pid) return DataLossError("malformed parent line in commit");
      c.parents.push_back(*pid);
    } else if (StartsWith(line, "author ")) {
      c.author = ParseSignature(line.substr(7));
    } else if (StartsWith(line, "committer ")) {
      c.committer = ParseSignature(line.substr(10));
    } else if (StartsWith(line, "encoding ")) {
      c.encoding = std::string(line.substr(9));
    }
    SkipContinuation(&rest);  // gpgsig, mergetag ...
  }
  if (!has_tree) return DataLossError("commit has no tree header");
  c.message = std::string(rest);
  return c;
}

Result<Tag> ParseTag(std::string_view raw) {
  Tag t;
  std::string_view rest = raw, line;
  bool has_object = false;
  while (NextLine(&rest, &line)) {
    if (line.empty()) break;
    if (auto id = HeaderId(line, "object ")) {
      t.object = *id;
      has_object = true;
    } else if (StartsWith(line, "type ")) {
      std::string_view type = line.substr(5);
      t.type = type == "commit" ? ObjectType::kCommit
               : type == "tree" ? ObjectType::kTree
               : type == "blob" ? ObjectType::kBlob
               : type == "tag"  ? ObjectType::kTag
                                : ObjectType::kNone;
    } else if (StartsWith(line, "tag ")) {
      t.name = std::string(line.substr(4));
    } else if (StartsWith(line, "tagger ")) {
      t.tagger = ParseSignature(line.substr(7));
    }
    SkipContinuation(&rest);
  }
  if (!has_object) return DataLossError("tag has no object header");
  t.message = std::string(rest);
  return t;
}

bool TreeIterator::Next(TreeEntry* e) {
  if (rest_.empty() || !status_.ok()) return false;
  size_t sp = rest_.find(' ');
  if (sp == std::string_view::npos || sp == 0 || sp > 7) {
    status_ = DataLossError("malformed tree entry mode");
    return false;
  }
  uint32_t mode = 0;
  for (char c : rest_.substr(0, sp)) {
    if (c < '0' || c > '7') {
      status_ = DataLossError("malformed tree entry mode");
      return false;
    }
    mode = mode * 8 + static_cast<uint32_t>(c - '0');
  }
  size_t nul = rest_.find('\0', sp + 1);
  if (nul == std::string_view::npos || nul + 1 + ObjectId::kRawSize > rest_.size()) {
    status_ = DataLossError("truncated tree entry");
    return false;
  }
  e->mode = mode;
  e->name = rest_.substr(sp + 1, nul - sp - 1);
  e->id = ObjectId::FromRaw(reinterpret_cast<const uint8_t*>(rest_.data() + nul + 1));
  rest_.remove_prefix(nul + 1 + ObjectId::kRawSize);
  return true;
}

}  // namespace sei::git
