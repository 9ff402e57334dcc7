#include "git/objects.h"

#include <cstring>
#include <limits>

namespace sei::git {

namespace {

// git's isspace (ctype.c): space, tab, newline, carriage return.
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// Splits off the next line (without its '\n'); false at the end.
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

// Skips the continuation lines of a multi-line header (they start with a
// space: gpgsig, mergetag ...).
void SkipContinuation(std::string_view* rest) {
  std::string_view ignored;
  while (!rest->empty() && (*rest)[0] == ' ') NextLine(rest, &ignored);
}

// "<key><40 hex digits>" -> the id.
std::optional<ObjectId> HeaderId(std::string_view line, std::string_view key) {
  if (line.size() != key.size() + ObjectId::kHexSize || !StartsWith(line, key)) return {};
  return ObjectId::FromHex(line.substr(key.size()));
}

// Leading decimal digits of *s (consumed); nullopt when there are none or
// the value does not fit in int64.
std::optional<int64_t> TakeNumber(std::string_view* s) {
  size_t n = 0;
  int64_t v = 0;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  bool overflow = false;
  while (n < s->size() && IsDigit((*s)[n])) {
    int digit = (*s)[n] - '0';
    if (v > (kMax - digit) / 10) overflow = true;
    if (!overflow) v = v * 10 + digit;
    ++n;
  }
  s->remove_prefix(n);
  if (n == 0 || overflow) return std::nullopt;
  return v;
}

void SkipSpaces(std::string_view* s) {
  while (!s->empty() && IsSpace(s->front())) s->remove_prefix(1);
}

// Date and zone after the email: " 1700000000 +0200" (git accepts any run
// of whitespace between them).
void ParseDate(std::string_view s, Signature* sig) {
  SkipSpaces(&s);
  bool negative = !s.empty() && s.front() == '-';  // pre-1970, kept as written
  if (negative) s.remove_prefix(1);
  std::optional<int64_t> t = TakeNumber(&s);
  if (!t) return;
  sig->time = negative ? -*t : *t;
  SkipSpaces(&s);
  if (s.empty() || (s.front() != '+' && s.front() != '-')) return;
  const bool west = s.front() == '-';
  s.remove_prefix(1);
  std::optional<int64_t> hhmm = TakeNumber(&s);
  if (!hhmm || *hhmm > 99999999) return;
  auto minutes = static_cast<int32_t>(*hhmm / 100 * 60 + *hhmm % 100);
  sig->offset_minutes = west ? -minutes : minutes;
}

void ParseSignatureInto(std::string_view v, Signature* sig) {
  sig->name.clear();
  sig->email.clear();
  sig->time = 0;
  sig->offset_minutes = 0;
  const size_t lt = v.find('<');
  if (lt == std::string_view::npos) return;
  const size_t gt = v.find('>', lt + 1);
  if (gt == std::string_view::npos) return;
  size_t name_end = lt;
  while (name_end > 0 && IsSpace(v[name_end - 1])) --name_end;
  sig->name.assign(v.data(), name_end);
  sig->email.assign(v.data() + lt + 1, gt - lt - 1);
  // Like git, the date follows the last '>' (tolerates a stray '>' in the email).
  ParseDate(v.substr(v.rfind('>') + 1), sig);
}

// Reads the header lines after "tree" and the parents.
void ParseCommitHeaders(std::string_view* rest, Commit* c) {
  bool have_author = false, have_committer = false, have_encoding = false;
  std::string_view line;
  while (NextLine(rest, &line)) {
    if (line.empty()) return;  // the blank line before the message
    if (!have_author && StartsWith(line, "author ")) {
      ParseSignatureInto(line.substr(7), &c->author);
      have_author = true;
    } else if (!have_committer && StartsWith(line, "committer ")) {
      ParseSignatureInto(line.substr(10), &c->committer);
      have_committer = true;
    } else if (!have_encoding && StartsWith(line, "encoding ")) {
      c->encoding.assign(line.substr(9));
      have_encoding = true;
    }
    SkipContinuation(rest);
  }
}

}  // namespace

ObjectType ParseObjectType(std::string_view name) {
  if (name == "commit") return ObjectType::kCommit;
  if (name == "tree") return ObjectType::kTree;
  if (name == "blob") return ObjectType::kBlob;
  if (name == "tag") return ObjectType::kTag;
  return ObjectType::kNone;
}

Signature ParseSignature(std::string_view value) {
  Signature sig;
  ParseSignatureInto(value, &sig);
  return sig;
}

Status ParseCommit(std::string_view raw, Commit* c) {
  c->parents.clear();
  c->encoding.clear();
  ParseSignatureInto({}, &c->author);
  ParseSignatureInto({}, &c->committer);
  std::string_view rest = raw, line;
  if (!NextLine(&rest, &line) || !StartsWith(line, "tree ")) {
    return DataLossError("commit does not start with a tree line");
  }
  auto tree = HeaderId(line, "tree ");
  if (!tree) return DataLossError("commit has a malformed tree line");
  c->tree = *tree;
  while (StartsWith(rest, "parent ")) {
    NextLine(&rest, &line);
    auto parent = HeaderId(line, "parent ");
    if (!parent) return DataLossError("commit has a malformed parent line");
    c->parents.push_back(*parent);
  }
  ParseCommitHeaders(&rest, c);
  c->message.assign(rest);
  return Status::Ok();
}

Result<Commit> ParseCommit(std::string_view raw) {
  Commit c;
  SEI_RETURN_IF_ERROR(ParseCommit(raw, &c));
  return c;
}

Result<Tag> ParseTag(std::string_view raw) {
  Tag t;
  std::string_view rest = raw, line;
  bool have_object = false, have_type = false;
  while (NextLine(&rest, &line)) {
    if (line.empty()) break;
    if (!have_object && StartsWith(line, "object ")) {
      auto id = HeaderId(line, "object ");
      if (!id) return DataLossError("tag has a malformed object line");
      t.object = *id;
      have_object = true;
    } else if (!have_type && StartsWith(line, "type ")) {
      t.type = ParseObjectType(line.substr(5));
      if (t.type == ObjectType::kNone) {
        return DataLossError("tag has an unknown object type \"" + std::string(line.substr(5)) +
                             "\"");
      }
      have_type = true;
    } else if (t.name.empty() && StartsWith(line, "tag ")) {
      t.name.assign(line.substr(4));
    } else if (!t.tagger && StartsWith(line, "tagger ")) {
      t.tagger = ParseSignature(line.substr(7));
    }
    SkipContinuation(&rest);
  }
  if (!have_object) return DataLossError("tag has no object line");
  if (!have_type) return DataLossError("tag has no type line");
  t.message.assign(rest);
  return t;
}

bool TreeIterator::Fail(const char* what) {
  status_ =
      DataLossError(std::string("malformed tree: ") + what + " at byte " + std::to_string(pos_));
  pos_ = raw_.size();
  return false;
}

bool TreeIterator::Next(TreeEntry* entry) {
  if (pos_ >= raw_.size()) return false;
  const char* p = raw_.data() + pos_;
  const char* const end = raw_.data() + raw_.size();
  uint32_t mode = 0;
  const char* mode_start = p;
  while (p < end && *p != ' ') {
    if (*p < '0' || *p > '7' || p - mode_start >= 7) return Fail("bad mode");
    mode = mode * 8 + static_cast<uint32_t>(*p - '0');
    ++p;
  }
  if (p == mode_start || p == end) return Fail("bad mode");
  const char* name = ++p;
  const void* nul = std::memchr(name, '\0', static_cast<size_t>(end - name));
  if (nul == nullptr) return Fail("entry name without a NUL");
  const char* name_end = static_cast<const char*>(nul);
  if (name_end == name) return Fail("empty entry name");
  if (static_cast<size_t>(end - name_end - 1) < ObjectId::kRawSize) {
    return Fail("truncated object id");
  }
  entry->mode = mode;
  entry->name = std::string_view(name, static_cast<size_t>(name_end - name));
  entry->id = ObjectId::FromRaw(reinterpret_cast<const uint8_t*>(name_end + 1));
  pos_ = static_cast<size_t>(name_end + 1 + ObjectId::kRawSize - raw_.data());
  return true;
}

}  // namespace sei::git
