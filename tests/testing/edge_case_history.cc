#include "testing/edge_case_history.h"

#include <string_view>

#include "testing/repo_builder.h"

namespace sei::testing {

namespace {

const Person kPeople[] = {
    {"Alice Example", "alice@example.com"},
    {"José Núñez", "jose@example.es"},
    {"Jos\xe9 M\xfcller", "jose.mueller@example.de"},  // Latin-1 bytes
    {"Philip H.", "philip@example.org"},
    {"山田太郎", "taro@example.jp"},
    {"Zoë 🚀 Ünïcödé", "zoe@example.com"},
    {"Nobody", ""},
    {"O'Brien, Seán \"Dev\"", "obrien@example.ie"},
    {"Alice Example", "alice@old.example.com"},  // mapped by .mailmap
};

const char* const kZones[] = {"+0000", "+1400", "-1200", "+0545", "-0330", "+0530", "+1245",
                              "-0930", "+0100", "-0800", "+0900", "-0000", "+0200", "-0500"};

const char kSubmoduleA[] = "0123456789abcdef0123456789abcdef01234567";
const char kSubmoduleB[] = "89abcdef0123456789abcdef0123456789abcdef";

// Names that need quoting, are not UTF-8, or are unusual in other ways.
const char* const kOddPaths[] = {"paths/with space.txt",
                                 "paths/tab\there.txt",
                                 "paths/quote\"d.txt",
                                 "paths/back\\slash.txt",
                                 "paths/new\nline.txt",
                                 "paths/carriage\rreturn.txt",
                                 "paths/caf\xe9-latin1.txt",
                                 "paths/café-nfc.txt",
                                 "paths/cafe\xcc\x81-nfd.txt",
                                 "paths/日本語/ファイル.txt",
                                 "paths/emoji-😀.txt",
                                 "paths/ leading-space.txt",
                                 "paths/trailing-space.txt ",
                                 "paths/-dash.txt",
                                 "paths/*glob?[x].txt",
                                 "paths/dir with space/nested file.txt",
                                 "paths/\xff\xfe-invalid-utf8.txt"};

std::string Repeat(std::string_view line, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(line);
  return out;
}

std::string Numbered(std::string_view prefix, int first, int n, std::string_view eol = "\n") {
  std::string out;
  for (int i = first; i < first + n; ++i) {
    out.append(prefix);
    out += ' ';
    out += std::to_string(i);
    out.append(eol);
  }
  return out;
}

// Code-like lines: statements, braces and blank lines.
std::string Code(uint64_t seed, int n) {
  Rng rng(seed);
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string k = std::to_string(rng.Uniform(1000));
    switch (rng.Uniform(6)) {
      case 0:
        out += "}\n";
        break;
      case 1:
        out += "\n";
        break;
      case 2:
        out += "  return value_" + k + ";\n";
        break;
      case 3:
        out += "  if (x_" + k + " > limit) {\n";
        break;
      default:
        out += "  int v" + k + " = compute(" + k + ", " + std::to_string(i) + ");\n";
    }
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size() - 1;
    lines.push_back(text.substr(pos, end + 1 - pos));
    pos = end + 1;
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l;
  return out;
}

// Replaces about `percent`% of the lines, deletes and inserts a few.
std::string Edit(const std::string& text, uint64_t seed, int percent) {
  Rng rng(seed);
  std::vector<std::string> in = SplitLines(text), out;
  for (size_t i = 0; i < in.size(); ++i) {
    uint64_t r = rng.Uniform(100);
    if (r < static_cast<uint64_t>(percent)) {
      out.push_back("  changed(" + std::to_string(rng.Uniform(100000)) + ");\n");
    } else if (r < static_cast<uint64_t>(percent) + 2) {
      continue;  // deleted
    } else {
      out.push_back(in[i]);
    }
    if (rng.Uniform(100) < 2) out.push_back("  inserted(" + std::to_string(i) + ");\n");
  }
  return Join(out);
}

// Bytes from a seeded generator, starting with a NUL so git sees binary.
std::string RandomBytes(uint64_t seed, size_t n) {
  Rng rng(seed);
  std::string out(n, '\0');
  for (size_t i = 1; i < n; i += 8) {
    uint64_t v = rng.Next();
    for (size_t j = 0; j < 8 && i + j < n; ++j) out[i + j] = static_cast<char>(v >> (8 * j));
  }
  return out;
}

// `n` bytes of 80-byte text lines, then a NUL and two more lines.
std::string NulAt(size_t n) {
  std::string out = Repeat(std::string(79, 'x') + "\n", static_cast<int>(n / 80));
  out += std::string(n - out.size(), 'y');
  return out + std::string(1, '\0') + "\ntail line\n";
}

// Blocks of `void f_N() {`, an if, a call and closing braces: thousands of
// identical `}` lines.
std::string Braces(int blocks, uint64_t variant) {
  std::string out;
  for (int i = 0; i < blocks; ++i) {
    if (variant != 0 && (i * 7 + variant) % 9 == 0) continue;  // block removed
    out += "void f_" + std::to_string(i) + "(void) {\n  if (check(" + std::to_string(i) +
           ")) {\n    run(" + std::to_string(variant != 0 && i % 3 == 0 ? i * 2 : i) +
           ");\n  }\n}\n\n";
    if (variant != 0 && i % 11 == 0) out += "}\n}\n\n";
  }
  return out;
}

}  // namespace

std::string EdgeCaseHistory::Begin(const Spec& spec) {
  ++commits_;
  clock_ += 3600 + (commits_ * 7919) % 5000;
  std::string tz = spec.tz.empty() ? kZones[commits_ % std::size(kZones)] : spec.tz;
  int64_t at = spec.author_time == kNow ? clock_ : spec.author_time;
  int64_t ct = spec.committer_time == kNow ? at : spec.committer_time;
  const Person& committer = kPeople[spec.committer < 0 ? spec.author : spec.committer];
  std::string from = spec.from;
  if (from.empty() && tips_.count(spec.branch)) from = tips_[spec.branch];
  std::vector<std::string> merges;
  for (const std::string& m : spec.merges) merges.push_back(tips_.count(m) ? tips_[m] : m);
  std::string mark = s_.NextMark();
  s_.Commit("refs/heads/" + spec.branch, mark, Ident(kPeople[spec.author], at, tz),
            Ident(committer, ct, tz), spec.message, from, merges, spec.encoding);
  tips_[spec.branch] = mark;
  return mark;
}

void EdgeCaseHistory::DeleteBranch(const std::string& branch) {
  s_.Reset("refs/heads/" + branch, std::string(40, '0'));
  tips_.erase(branch);
}

void EdgeCaseHistory::Basics() {
  saved_["root"] = Begin(Spec("init: initial import\n"));
  s_.Modify("100644", "README.md", "# Edge cases\n\nA repository that breaks naive tools.\n");
  s_.Modify("100644", "src/main.c", Code(1, 40));
  s_.Modify("100644", "src/util.c", Code(2, 30));
  s_.Modify("100644", "docs/guide.md", Numbered("guide line", 1, 25));
  s_.Modify("100644", "docs/api/index.md", "# API\n");
  s_.Modify("100644", "docs/api/ref.md", Numbered("ref", 1, 5));
  s_.Modify("100644", ".mailmap", "Alice Example <alice@example.com> <alice@old.example.com>\n");
  s_.Modify("100644", "thing", "a file that becomes a directory\n");
  s_.Modify("100644", "legacy-mode-a.txt", "legacy a\n");
  s_.Modify("100644", "legacy-mode-b.txt", "legacy b\n");
  s_.Modify("100644", "empty.txt", "");
  Begin(Spec("edit: insert, delete and replace lines in main.c\n").By(1));
  s_.Modify("100644", "src/main.c", Edit(Code(1, 40), 11, 15));
  saved_["v0.1"] = Begin(Spec("empty: a commit that changes nothing\n"));
  Begin(Spec("").By(8));
  s_.Modify("100644", "README.md", "# Edge cases\n\nAn empty commit message.\n");
  Begin(Spec("no-final-newline: message without a trailing newline"));
  s_.Modify("100644", "src/util.c", Edit(Code(2, 30), 12, 20));
  Begin(
      Spec("multi-line: subject\n\nA body with\ntwo lines.\n\nSigned-off-by: Alice "
           "Example <alice@example.com>\n"));
  s_.Modify("100644", "empty.txt", "no longer empty\n");
}

void EdgeCaseHistory::Binaries() {
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  Begin(Spec("binary: add binary files and NULs around byte 8000\n").By(1));
  s_.Modify("100644", "bin/logo.png", png + RandomBytes(3, 3000));
  s_.Modify("100644", "bin/nul-at-7999.dat", NulAt(7999));
  s_.Modify("100644", "bin/nul-at-8000.txt", NulAt(8000));
  s_.Modify("100644", "bin/utf16.txt", std::string("\xff\xfeh\0i\0\n\0", 8));
  s_.Modify("100644", "bin/becomes-binary.dat", Numbered("text", 1, 6));
  s_.Modify("100644", "bin/becomes-text.dat", RandomBytes(4, 500));
  Begin(Spec("binary-edit: change binaries, switch text and binary\n"));
  s_.Modify("100644", "bin/logo.png", png + RandomBytes(5, 3100));
  s_.Modify("100644", "bin/nul-at-7999.dat", NulAt(7999) + "new last line\n");
  s_.Modify("100644", "bin/nul-at-8000.txt", "new first line\n" + NulAt(8000));
  s_.Modify("100644", "bin/becomes-binary.dat", RandomBytes(6, 300));
  s_.Modify("100644", "bin/becomes-text.dat", Numbered("now text", 1, 4));
  Begin(Spec("binary-delete: remove a binary file\n"));
  s_.Delete("bin/utf16.txt");
}

void EdgeCaseHistory::Renames() {
  Begin(Spec("rename: pure rename of util.c\n").By(3));
  s_.Rename("src/util.c", "src/common/util.c");
  Begin(Spec("rename-edit: rename guide.md with edits\n"));
  s_.Delete("docs/guide.md");
  s_.Modify("100644", "docs/manual.md", Edit(Numbered("guide line", 1, 25), 13, 10));
  Begin(Spec("rename-case: README.md becomes Readme.md\n"));
  s_.Rename("README.md", "Readme.md");
}

void EdgeCaseHistory::Paths() {
  Begin(Spec("paths: add files with unusual names\n").By(4));
  int n = 0;
  for (const char* p : kOddPaths) s_.Modify("100644", p, Numbered("odd file line", ++n, 3));
  Begin(Spec("paths-edit: edit, delete and rename unusual names\n"));
  s_.Modify("100644", "paths/new\nline.txt", "changed\n");
  s_.Modify("100644", "paths/tab\there.txt", Numbered("odd file line", 2, 5));
  s_.Modify("100644", "paths/emoji-😀.txt", "😀\n");
  s_.Delete("paths/quote\"d.txt");
  s_.Rename("paths/caf\xe9-latin1.txt", "paths/café-renamed.txt");
}

void EdgeCaseHistory::Identities() {
  const std::pair<int, const char*> who[] = {
      {1, "ident-utf8: José Núñez\n"},       {3, "ident-dot: Philip H.\n"},
      {4, "ident-cjk: 山田太郎\n"},          {5, "ident-emoji: Zoë 🚀\n"},
      {6, "ident-empty-email: Nobody <>\n"}, {7, "ident-quotes: O'Brien, Seán \"Dev\"\n"}};
  std::string log;
  for (const auto& [person, message] : who) {
    Begin(Spec(message).By(person));
    log += message;
    s_.Modify("100644", "people/log.txt", log);
  }
  Begin(Spec("ident-latin1: caf\xe9 na\xefve Jos\xe9\n").By(2).Encoding("ISO-8859-1"));
  s_.Modify("100644", "people/latin1.txt", "caf\xe9\n");
  Begin(Spec("ident-committer: author and committer differ\n")
            .By(1)
            .CommittedBy(3)
            .CommittedAt(clock_ + 90000));
  s_.Modify("100644", "people/log.txt", log + "committer differs\n");
}

void EdgeCaseHistory::LineEndings() {
  Begin(Spec("eol: add CRLF, CR-only and mixed files\n").By(5));
  s_.Modify("100644", "eol/crlf.txt", Numbered("crlf", 1, 10, "\r\n"));
  s_.Modify("100644", "eol/to-crlf.txt", Numbered("lf", 1, 10));
  s_.Modify("100644", "eol/cr-only.txt", "a\rb\rc\r");
  s_.Modify("100644", "eol/mixed.txt", "one\r\ntwo\nthree\rfour\r\n");
  Begin(Spec("eol-convert: CRLF to LF and LF to CRLF\n"));
  s_.Modify("100644", "eol/crlf.txt", Numbered("crlf", 1, 10));
  s_.Modify("100644", "eol/to-crlf.txt", Numbered("lf", 1, 10, "\r\n"));
  Begin(Spec("eol-edit: edit CR-only and mixed files\n"));
  s_.Modify("100644", "eol/cr-only.txt", "a\rB\rc\r");
  s_.Modify("100644", "eol/mixed.txt", "one\ntwo\r\nthree\rfour\r\n");
}

void EdgeCaseHistory::MissingNewlines() {
  Begin(Spec("nonl: add files without a final newline\n"));
  s_.Modify("100644", "nonl/a.txt", "one\ntwo");
  s_.Modify("100644", "nonl/b.txt", "one\ntwo\n");
  s_.Modify("100644", "nonl/single.txt", "x");
  Begin(Spec("nonl-toggle: add and remove final newlines\n"));
  s_.Modify("100644", "nonl/a.txt", "one\ntwo\n");
  s_.Modify("100644", "nonl/b.txt", "one\ntwo");
  Begin(Spec("nonl-append: remove again, append to a file without one\n"));
  s_.Modify("100644", "nonl/a.txt", "one\ntwo");
  s_.Modify("100644", "nonl/single.txt", "x\ny");
}

void EdgeCaseHistory::Submodules() {
  Begin(Spec("gitlink-add: add submodule entries\n").By(7));
  s_.Modify("100644", ".gitmodules",
            "[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = ../lib.git\n");
  s_.ModifyRef("160000", kSubmoduleA, "vendor/lib");
  s_.Modify("100644", "ext/tool", Numbered("tool", 1, 3));
  Begin(Spec("gitlink-change: move vendor/lib to another commit\n"));
  s_.ModifyRef("160000", kSubmoduleB, "vendor/lib");
  Begin(Spec("typechange-file-to-gitlink: ext/tool becomes a submodule\n"));
  s_.ModifyRef("160000", kSubmoduleA, "ext/tool");
  Begin(Spec("gitlink-remove: remove vendor/lib\n"));
  s_.Delete("vendor/lib");
  s_.Modify("100644", ".gitmodules", "");
  Begin(Spec("typechange-gitlink-to-file: ext/tool becomes a file again\n"));
  s_.Modify("100644", "ext/tool", Numbered("tool", 1, 4));
}

void EdgeCaseHistory::LinksAndModes() {
  Begin(Spec("symlink-add: add symlinks and files for mode changes\n"));
  s_.Modify("120000", "links/readme", "../Readme.md");
  s_.Modify("120000", "links/dangling", "nowhere");
  s_.Modify("100644", "mode/script.sh", "#!/bin/sh\necho hi\n");
  s_.Modify("100755", "mode/run.sh", "#!/bin/sh\necho run\n");
  s_.Modify("100644", "mode/data.bin", RandomBytes(7, 64));
  s_.Modify("100644", "mode/tool.py", Numbered("print", 1, 5));
  Begin(Spec("symlink-retarget: change a symlink target\n"));
  s_.Modify("120000", "links/readme", "../docs/manual.md");
  Begin(Spec("typechange-file-to-symlink: tool.py becomes a symlink\n"));
  s_.Modify("120000", "mode/tool.py", "script.sh");
  Begin(Spec("typechange-symlink-to-file: a symlink becomes a file\n"));
  s_.Modify("100644", "links/dangling", "now a file\nwith two lines\n");
  Begin(Spec("mode-only: script.sh becomes executable\n"));
  s_.Modify("100755", "mode/script.sh", "#!/bin/sh\necho hi\n");
  Begin(Spec("mode-edit: run.sh loses its executable bit and changes\n"));
  s_.Modify("100644", "mode/run.sh", "#!/bin/sh\necho ran\n");
  Begin(Spec("mode-binary: data.bin becomes executable\n"));
  s_.Modify("100755", "mode/data.bin", RandomBytes(7, 64));
}

void EdgeCaseHistory::LargeFiles() {
  std::string text;
  for (int i = 0; i < 72000; ++i) {
    text += "line " + std::to_string(i) + ": the quick brown fox jumps over the lazy dog " +
            std::to_string(i * 31 % 1000) + "\n";
  }
  Begin(Spec("large: add a 4 MiB text file and a 2 MiB binary\n").By(1));
  s_.Modify("100644", "big/large.txt", text);
  s_.Modify("100644", "big/large.bin", RandomBytes(8, 2 << 20));
  Begin(Spec("large-edit: edit both large files\n"));
  s_.Modify("100644", "big/large.txt", Edit(text, 14, 1));
  std::string bin = RandomBytes(8, 2 << 20);
  bin.replace(1 << 20, 4096, RandomBytes(9, 4096));
  s_.Modify("100644", "big/large.bin", bin + RandomBytes(10, 1024));
}

void EdgeCaseHistory::DirectorySwaps() {
  Begin(Spec("file-to-dir: thing becomes a directory\n"));
  s_.Delete("thing");
  s_.Modify("100644", "thing/inner.txt", "inside\n");
  s_.Modify("100644", "thing/sub/deep.txt", "deeper\n");
  Begin(Spec("dir-to-file: thing becomes a file again\n"));
  s_.Delete("thing");
  s_.Modify("100644", "thing", "a file again\n");
  Begin(Spec("delete-dir: remove docs/ with its subdirectory\n"));
  s_.Delete("docs");
}

void EdgeCaseHistory::HeavyDiffs() {
  Begin(Spec("heavy: add a brace-heavy file and a 5000-line file\n").By(3));
  s_.Modify("100644", "heavy/braces.c", Braces(1200, 0));
  s_.Modify("100644", "heavy/rewrite.c", Code(20, 5000));
  Begin(Spec("heavy-edit: remove, add and change brace blocks\n"));
  s_.Modify("100644", "heavy/braces.c", Braces(1230, 5));
  Begin(Spec("rewrite: change 3000 scattered lines of a 5000-line file\n"));
  s_.Modify("100644", "heavy/rewrite.c", Edit(Code(20, 5000), 21, 60));
}

void EdgeCaseHistory::Dates() {
  auto dated = [this](const char* message, int64_t at, int64_t ct, const char* tz) {
    Begin(Spec(message).At(at).CommittedAt(ct).Zone(tz));
    s_.Modify("100644", "dates.txt", message);
  };
  dated("date-epoch: authored and committed at the epoch\n", 0, 0, "+0000");
  dated("date-pre-1970: authored in 1969 (negative)\n", -86400, clock_, "-0330");
  dated("date-2038-last: at 2147483647\n", 2147483647, 2147483647, "+0000");
  dated("date-2038-first: at 2147483648\n", 2147483648, 2147483648, "+0545");
  dated("date-2100: in the year 2100\n", 4102444800, 4102444800, "+1400");
  dated("date-older-than-parent: ten years before its parent\n", clock_ - 315360000,
        clock_ - 315360000, "-1200");
}

void EdgeCaseHistory::TopicMerges() {
  Begin(Spec("feature-a: start\n").On("topic/feature-a").By(1).From(tips_["main"]));
  s_.Modify("100644", "feature/a.txt", Numbered("feature a", 1, 10));
  Begin(Spec("divergent: main moves while topic/feature-a is open\n"));
  s_.Modify("100644", "src/main.c", Edit(Code(1, 40), 15, 10));
  Begin(Spec("feature-a: finish\n").On("topic/feature-a").By(1));
  s_.Modify("100644", "feature/a.txt", Numbered("feature a", 3, 12));
  Begin(Spec("merge: Merge branch 'topic/feature-a'\n").Merging({"topic/feature-a"}));
  s_.Modify("100644", "feature/a.txt", Numbered("feature a", 3, 12));
  Begin(Spec("feature-b: add b\n").On("topic/feature-b").By(5).From(tips_["main"]));
  s_.Modify("100644", "feature/b.txt", Numbered("feature b", 1, 4));
  Begin(Spec("evil-merge: Merge branch 'topic/feature-b' with an extra change\n")
            .Merging({"topic/feature-b"}));
  s_.Modify("100644", "feature/b.txt", Numbered("feature b", 1, 4));
  s_.Modify("100644", "Readme.md", "# Edge cases\n\nChanged only in a merge.\n");
}

void EdgeCaseHistory::OctopusAndOrphans() {
  std::vector<std::string> topics;
  for (int i = 1; i <= 3; ++i) {
    std::string branch = "topic/oct-" + std::to_string(i);
    Begin(Spec("oct-" + std::to_string(i) + ": add a file\n").On(branch).By(i).From(tips_["main"]));
    s_.Modify("100644", "octopus/" + std::to_string(i) + ".txt", Numbered("oct", i, i));
    topics.push_back(branch);
  }
  Begin(Spec("octopus: Merge branches 'topic/oct-1', 'topic/oct-2' and 'topic/oct-3'\n")
            .Merging(topics));
  for (int i = 1; i <= 3; ++i) {
    s_.Modify("100644", "octopus/" + std::to_string(i) + ".txt", Numbered("oct", i, i));
  }
  Begin(Spec("orphan-root: unrelated history\n").On("orphan/site").By(4));
  s_.Modify("100644", "site/index.html", "<html>\n<body>hello</body>\n</html>\n");
  Begin(Spec("orphan-edit: second commit\n").On("orphan/site").By(4));
  s_.Modify("100644", "site/style.css", "body { color: red; }\n");
  Begin(Spec("merge-unrelated: Merge branch 'orphan/site'\n").Merging({"orphan/site"}));
  s_.Modify("100644", "site/index.html", "<html>\n<body>hello</body>\n</html>\n");
  s_.Modify("100644", "site/style.css", "body { color: red; }\n");
  Begin(Spec("orphan-empty-root: root with an empty tree\n").On("orphan/empty"));
}

void EdgeCaseHistory::ReleaseAndDeletedBranches() {
  saved_["v1.0"] = tips_["main"];
  Begin(Spec("release-fix: backport a fix to 1.x\n").On("release/1.x").By(3).From(tips_["main"]));
  s_.Modify("100644", "src/main.c", Edit(Code(1, 40), 16, 10));
  Begin(Spec("release-version: 1.0.1\n").On("release/1.x").By(3));
  s_.Modify("100644", "VERSION", "1.0.1\n");
  saved_["v1.0.1"] = tips_["release/1.x"];
  Begin(
      Spec("deleted-1: first commit of a merged topic\n").On("topic/deleted").From(tips_["main"]));
  s_.Modify("100644", "deleted-topic.txt", "one\n");
  Begin(Spec("deleted-2: second commit\n").On("topic/deleted"));
  s_.Modify("100644", "deleted-topic.txt", "one\ntwo\n");
  Begin(Spec("merge-deleted: Merge branch 'topic/deleted'\n").Merging({"topic/deleted"}));
  s_.Modify("100644", "deleted-topic.txt", "one\ntwo\n");
  DeleteBranch("topic/deleted");
  Begin(Spec("abandoned: work that is never merged\n").On("topic/abandoned").From(tips_["main"]));
  s_.Modify("100644", "abandoned.txt", "lost\n");
  DeleteBranch("topic/abandoned");
  saved_["tag-only"] = Begin(
      Spec("tag-only: reachable only through a tag\n").On("topic/tag-only").From(tips_["main"]));
  s_.Modify("100644", "tag-only.txt", "tagged\n");
  DeleteBranch("topic/tag-only");
  Begin(Spec("remote-only: commit only on a remote ref\n").On("remote-wip").From(tips_["main"]));
  s_.Modify("100644", "remote.txt", "remote\n");
  s_.Reset("refs/remotes/origin/wip", tips_["remote-wip"]);
  s_.Reset("refs/remotes/origin/main", tips_["main"]);
  DeleteBranch("remote-wip");
}

void EdgeCaseHistory::BackMergeAndFastForward() {
  Begin(Spec("long-1: first change on topic/long\n").On("topic/long").By(2).From(tips_["main"]));
  s_.Modify("100644", "long.txt", Numbered("long", 1, 5));
  Begin(Spec("main-while-long: change on main while topic/long is open\n"));
  s_.Modify("100644", "src/common/util.c", Edit(Code(2, 30), 17, 10));
  Begin(
      Spec("back-merge: Merge branch 'main' into topic/long\n").On("topic/long").Merging({"main"}));
  s_.Modify("100644", "src/common/util.c", Edit(Code(2, 30), 17, 10));
  Begin(Spec("long-2: second change on topic/long\n").On("topic/long").By(2));
  s_.Modify("100644", "long.txt", Numbered("long", 2, 6));
  Begin(Spec("merge-long: Merge branch 'topic/long'\n").Merging({"topic/long"}));
  s_.Modify("100644", "long.txt", Numbered("long", 2, 6));
  Begin(Spec("ff-1: first fast-forwarded commit\n").On("topic/ff").From(tips_["main"]));
  s_.Modify("100644", "ff.txt", "ff\n");
  Begin(Spec("ff-2: second fast-forwarded commit\n").On("topic/ff"));
  s_.Modify("100644", "ff.txt", "ff\nff\n");
  tips_["main"] = tips_["topic/ff"];
  s_.Reset("refs/heads/main", tips_["main"]);
}

std::string EdgeCaseHistory::FirstPass() {
  Basics();
  Binaries();
  Renames();
  Paths();
  Identities();
  LineEndings();
  MissingNewlines();
  Submodules();
  LinksAndModes();
  LargeFiles();
  DirectorySwaps();
  HeavyDiffs();
  Dates();
  TopicMerges();
  OctopusAndOrphans();
  ReleaseAndDeletedBranches();
  BackMergeAndFastForward();
  return s_.Take();
}

Result<std::string> EdgeCaseHistory::WriteLegacyModeCommit(const std::string& dir) {
  SEI_ASSIGN_OR_RETURN(std::string listing, RunGit(dir, {"ls-tree", "-z", "refs/heads/main"}));
  SEI_ASSIGN_OR_RETURN(std::string blob,
                       RunGit(dir, {"hash-object", "-w", "--stdin"}, "legacy b changed\n"));
  blob.pop_back();  // newline
  // Root entries "<mode> <type> <id>\t<name>\0"; two files get mode 100664.
  std::string tree_input;
  size_t pos = 0;
  while (pos < listing.size()) {
    size_t end = listing.find('\0', pos);
    if (end == std::string::npos) end = listing.size();
    std::string e = listing.substr(pos, end - pos);
    pos = end + 1;
    if (e.ends_with("\tlegacy-mode-a.txt")) {
      e.replace(0, 6, "100664");
    } else if (e.ends_with("\tlegacy-mode-b.txt")) {
      e = "100664 blob " + blob + "\tlegacy-mode-b.txt";
    }
    tree_input += e + '\0';
  }
  SEI_ASSIGN_OR_RETURN(std::string tree, RunGit(dir, {"mktree", "-z"}, tree_input));
  tree.pop_back();
  const std::string when = std::to_string(clock_ += 3600) + " +0100";
  const std::vector<std::string> env = {"GIT_AUTHOR_NAME=Alice Example",
                                        "GIT_AUTHOR_EMAIL=alice@example.com",
                                        "GIT_AUTHOR_DATE=" + when,
                                        "GIT_COMMITTER_NAME=Alice Example",
                                        "GIT_COMMITTER_EMAIL=alice@example.com",
                                        "GIT_COMMITTER_DATE=" + when};
  SEI_ASSIGN_OR_RETURN(std::string commit,
                       RunGit(dir, {"commit-tree", tree, "-p", "refs/heads/main"},
                              "legacy-mode: a tree with the historical file mode 100664\n", env));
  commit.pop_back();
  SEI_RETURN_IF_ERROR(RunGit(dir, {"update-ref", "refs/heads/main", commit}).status());
  return commit;
}

Result<std::string> EdgeCaseHistory::SecondPass(const std::string& dir,
                                                const std::string& legacy_commit) {
  tips_["main"] = legacy_commit;
  Begin(Spec("legacy-mode-keep: a later commit keeps the 100664 entries\n"));
  s_.Modify("100644", "src/main.c", Edit(Code(1, 40), 18, 10));
  Begin(Spec("legacy-mode-normalise: legacy-mode-a.txt back to 100644\n"));
  s_.Modify("100644", "legacy-mode-a.txt", "legacy a\n");
  Begin(Spec("legacy-mode-exec: legacy-mode-b.txt from 100664 to 100755\n"));
  s_.Modify("100755", "legacy-mode-b.txt", "legacy b changed\n");
  Tags(dir);
  if (GitOutput(dir, {"rev-parse", "--verify", "-q", "refs/heads/main:Readme.md"}).empty()) {
    return InternalError("edge-case repository: main has no Readme.md after the first pass");
  }
  Begin(Spec("final: last commit on main\n").By(1));
  s_.Modify("100644", "Readme.md", "# Edge cases\n\nThe end.\n");
  return s_.Take();
}

void EdgeCaseHistory::Tags(const std::string& dir) {
  const std::string tagger = Ident(kPeople[0], clock_ + 60, "+0200");
  s_.Reset("refs/tags/v0.1", saved_["v0.1"]);
  const std::string v10 = s_.NextMark();
  s_.Tag("v1.0", v10, saved_["v1.0"], tagger, "Version 1.0\n");
  s_.Tag("v1.0-nested", "", v10, tagger, "A tag on the v1.0 tag\n");
  s_.Tag("v1.0.1", "", saved_["v1.0.1"], tagger, "Version 1.0.1 (release branch)\n");
  s_.Tag("experiment-1", "", saved_["tag-only"], tagger, "The only ref to its commit\n");
  s_.Tag("tree-tag", "", GitOutput(dir, {"rev-parse", "refs/heads/main^{tree}"}), tagger,
         "A tag on a tree\n");
  s_.Tag("blob-tag", "", GitOutput(dir, {"rev-parse", "refs/heads/main:Readme.md"}), tagger,
         "A tag on a blob\n");
}

}  // namespace sei::testing
