// gen_history: writes a `git fast-import` stream of a large, realistic
// history for the git collection benchmark (bench/make-history.sh imports it).
//
//   gen_history [--commits N] [--files N] [--seed S] [--authors N] | git fast-import
//
// Shape, modelled on mid-sized C projects such as curl or redis: nested
// directories (src/module/submodule/file.c, include/, tests/, docs/ ...);
// files of 20-3000 lines of code-like text with boilerplate, braces and blank
// lines; most commits change 1-6 files with a few scattered hunks; some are
// refactors touching 20-100 files or moving a directory; files are added,
// deleted and renamed; a few binary assets; feature branches merged back with
// merge commits (about 12% of commits), now and then an octopus; release
// branches with fixes and tags; dozens of authors in many time zones, over
// years. The live file count grows towards --files.
//
// The stream depends only on the options: the same options give the same
// object ids. Each changed blob is written once, with a mark, before the
// commit that uses it; merges refer to the marks. Standard library only,
// single-threaded, all state in memory. Statistics go to stderr.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Bump when the stream for given options changes (make-history.sh rebuilds).
constexpr int kFormatVersion = 2;

struct Options {
  int64_t commits = 50000;
  int files = 3000;
  uint64_t seed = 1;
  int authors = 40;
};

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x2545f4914f6cdd1dull + 1) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int64_t Range(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Unit() < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Next() % N];
  }
  double Normal() {
    double u = std::max(Unit(), 1e-12), v = Unit();
    return std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  uint64_t s_;
};

const char* const kWords[] = {
    "alloc",  "buffer", "cache",   "conn",     "data",   "easy",   "entry",   "event",  "file",
    "frame",  "hash",   "header",  "host",     "http",   "init",   "key",     "list",   "lock",
    "map",    "multi",  "node",    "parse",    "path",   "pipe",   "pool",    "proxy",  "queue",
    "read",   "reply",  "request", "resolve",  "send",   "server", "session", "share",  "slist",
    "socket", "state",  "stream",  "string",   "table",  "timer",  "tls",     "token",  "transfer",
    "tree",   "url",    "util",    "value",    "vector", "write",  "zone",    "config", "client",
    "cookie", "digest", "encode",  "filter",   "format", "handle", "limit",   "log",    "memory",
    "module", "option", "output",  "progress", "range",  "retry",  "scan",    "sign",   "sort",
    "status", "store",  "sync",    "task",     "thread", "trace",  "version", "window", "worker",
    "auth",   "block",  "check",   "chunk",    "close",  "count",  "cursor",  "dict",   "dump",
    "error",  "field",  "flag",    "index",    "input",  "item"};
const char* const kVerbs[] = {"fix",     "add",   "remove",  "refactor", "simplify", "handle",
                              "avoid",   "use",   "support", "clean up", "rename",   "document",
                              "improve", "check", "move",    "update",   "make",     "allow"};
const char* const kTypes[] = {"int",  "size_t", "static int",   "static void",   "CURLcode",
                              "bool", "char *", "const char *", "struct conn *", "long"};
const char* const kIncludes[] = {"<stdio.h>",   "<stdlib.h>", "<string.h>",     "<errno.h>",
                                 "\"setup.h\"", "\"util.h\"", "\"memdebug.h\"", "<limits.h>"};
const char* const kLicense[] = {
    "/***************************************************************************",
    " *                                  _   _ ____  _",
    " * Copyright (C) The Project authors and contributors.",
    " *",
    " * This software is licensed as described in the file COPYING.",
    " * SPDX-License-Identifier: MIT",
    " ***************************************************************************/"};
const struct {
  const char* shown;
  const char* ascii;
} kFirst[] = {{"Daniel", "daniel"}, {"Maria", "maria"},   {"José", "jose"},   {"Zoë", "zoe"},
              {"Łukasz", "lukasz"}, {"Søren", "soren"},   {"Ana", "ana"},     {"Wei", "wei"},
              {"Priya", "priya"},   {"Ahmed", "ahmed"},   {"Olga", "olga"},   {"Kenji", "kenji"},
              {"Chloé", "chloe"},   {"Björn", "bjorn"},   {"Sam", "sam"},     {"Lena", "lena"},
              {"Marcus", "marcus"}, {"Fatima", "fatima"}, {"Tomás", "tomas"}, {"Yuki", "yuki"}};
const struct {
  const char* shown;
  const char* ascii;
} kLast[] = {{"Stenberg", "stenberg"}, {"García", "garcia"},       {"Müller", "muller"},
             {"Kowalski", "kowalski"}, {"Nakamura", "nakamura"},   {"Smith", "smith"},
             {"Sørensen", "sorensen"}, {"Zhang", "zhang"},         {"Iyer", "iyer"},
             {"Haddad", "haddad"},     {"Petrova", "petrova"},     {"O'Neil", "oneil"},
             {"Dubois", "dubois"},     {"Lindqvist", "lindqvist"}, {"Nguyen", "nguyen"},
             {"Rossi", "rossi"}};
const char* const kDomains[] = {"example.com", "users.noreply.github.com", "example.org",
                                "mail.example.net", "corp.example.io"};
const char* const kZones[] = {"-0800", "-0700", "-0500", "-0500", "-0400", "+0000", "+0100",
                              "+0100", "+0100", "+0200", "+0200", "+0300", "+0530", "+0545",
                              "+0800", "+0900", "+1000", "+1200", "-0300", "-0330", "+1300"};
const char kNullId[] = "0000000000000000000000000000000000000000";

enum class Style { kCode, kScript, kProse, kBinary };

// Concatenates in order. The elements of a braced list are evaluated left to
// right, unlike the operands of +, so random draws happen in the same order
// with every compiler and the stream stays the same for a seed.
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

struct File {
  std::string path;
  std::vector<std::string> lines;  // text files, without newlines
  std::string bytes;               // binary files
  Style style = Style::kCode;
  bool exec = false;
  bool live = true;
  bool on_main = false;   // present at `path` in main's tree
  int owner = -1;         // -1: main; else the feature holding it
  int64_t mark = 0;       // blob mark of the current content
  int64_t main_step = 0;  // step of main's last change to it
  double heat = 0;        // relative chance of being edited
  size_t live_index = 0;
};

struct Dir {
  std::string path;
  Style style;
  double weight;
};

struct Author {
  std::string ident;  // "Name <email>"
  std::string login;
  const char* tz;
};

struct Feature {
  std::string ref;
  int author = 0;
  int64_t fork_step = 0;
  int64_t tip = 0;  // mark; the first commit starts from the main tip at fork
  int planned = 0, done = 0;
  std::vector<int> files;                  // locked ids
  std::vector<std::string> deleted_paths;  // removed from main's tree on merge
};

struct Change {
  bool del;
  std::string path;
  const char* mode;
  int64_t mark;
};

struct Release {
  std::string version;  // "1.4"
  int64_t tip;          // mark
  int fixes;
  std::string notes;
};

class Generator {
 public:
  explicit Generator(const Options& opt) : opt_(opt), rng_(opt.seed) {}
  bool Run();

 private:
  // Output.
  void Put(std::string_view s) { out_.append(s); }
  void PutNum(int64_t n) { out_ += std::to_string(n); }
  void Flush();
  void EmitBlob(File& f);
  int64_t EmitCommit(const std::string& ref, const Author& who, const std::string& message,
                     int64_t from, const std::vector<int64_t>& merges);
  void EmitTag(const std::string& name, int64_t mark, const std::string& message);

  // Content.
  std::string Word() { return rng_.Pick(kWords); }
  std::string Identifier();
  std::string Sentence(int words);
  std::string Statement(int depth);
  void AppendFunction(std::vector<std::string>* out);
  void Fill(File* f, int lines);
  void InsertLines(File* f, size_t pos, int n);
  void Edit(File* f, int hunks);
  int HunkCount();

  // The tree.
  void MakeDirs();
  const Dir& PickDir();
  std::string NewPath(const Dir& d, Style* style, bool* exec);
  std::string MovedPath(const File& f);
  int LinesForNewFile();
  int AddFile(int owner, bool binary);
  void Touch(int id);
  void Remove(int id);
  void Move(int id, const std::string& new_path);
  int PickFile(int owner, int64_t before_step, bool binary);
  void FlushTouched();

  // Steps.
  void MakeAuthors();
  void MainCommit();
  void Refactor();
  bool MoveDirectory();
  int OpenFeature();
  void FeatureCommit();
  void Merge(const std::vector<int>& ids);
  void ReleaseWork();
  std::string Subject();
  const Author& PickAuthor();
  double TargetLive() const;

  Options opt_;
  Rng rng_;
  std::string out_;
  bool write_ok_ = true;
  std::vector<Author> authors_;
  std::vector<double> author_cdf_;
  std::vector<Dir> dirs_;
  std::vector<File> files_;
  std::vector<int> live_;             // ids of live files
  std::set<std::string> used_paths_;  // never reused
  std::vector<Feature> features_;
  std::vector<int> open_;        // features not merged yet
  std::vector<int> touched_;     // files changed by the commit being built
  std::vector<Change> pending_;  // its D and M commands
  std::vector<Release> releases_list_;
  int64_t next_mark_ = 1, main_tip_ = 0, step_ = 0, commits_ = 0, merges_ = 0;
  int64_t octopus_ = 0, blobs_ = 0, blob_bytes_ = 0;
  int64_t time_ = 1262592000;  // 2010-01-04
  int releases_ = 0;
};

void Generator::Flush() {
  if (!out_.empty() && std::fwrite(out_.data(), 1, out_.size(), stdout) != out_.size()) {
    write_ok_ = false;
  }
  out_.clear();
}

void Generator::EmitBlob(File& f) {
  f.mark = next_mark_++;
  size_t size = f.bytes.size();
  if (f.style != Style::kBinary) {
    size = 0;
    for (const std::string& l : f.lines) size += l.size() + 1;
  }
  Put("blob\nmark :");
  PutNum(f.mark);
  Put("\ndata ");
  PutNum(static_cast<int64_t>(size));
  Put("\n");
  if (f.style == Style::kBinary) {
    Put(f.bytes);
  } else {
    for (const std::string& l : f.lines) {
      out_ += l;
      out_ += '\n';
    }
  }
  Put("\n");
  ++blobs_;
  blob_bytes_ += static_cast<int64_t>(size);
  if (out_.size() > (8u << 20)) Flush();
}

int64_t Generator::EmitCommit(const std::string& ref, const Author& who, const std::string& message,
                              int64_t from, const std::vector<int64_t>& merges) {
  int64_t mark = next_mark_++;
  std::string when = " " + std::to_string(time_) + " " + who.tz + "\n";
  Put("commit " + ref + "\nmark :");
  PutNum(mark);
  Put("\nauthor " + who.ident + when + "committer " + who.ident + when);
  Put("data " + std::to_string(message.size()) + "\n" + message + "\n");
  if (from != 0) Put("from :" + std::to_string(from) + "\n");
  for (int64_t m : merges) Put("merge :" + std::to_string(m) + "\n");
  for (const Change& c : pending_) {
    if (c.del) {
      Put("D " + c.path + "\n");
    } else {
      Put(std::string("M ") + c.mode + " :" + std::to_string(c.mark) + " " + c.path + "\n");
    }
  }
  Put("\n");
  pending_.clear();
  ++commits_;
  if (out_.size() > (8u << 20)) Flush();
  return mark;
}

std::string Generator::Identifier() {
  double r = rng_.Unit();
  if (r < 0.25) return Word();
  if (r < 0.85) return Cat({Word(), "_", Word()});
  return Cat({"Curl_", Word(), "_", Word()});
}

std::string Generator::Sentence(int words) {
  std::string s = Word();
  for (int i = 1; i < words; ++i) s += " " + Word();
  return s;
}

std::string Generator::Statement(int depth) {
  std::string s(static_cast<size_t>(2 * depth), ' ');
  switch (rng_.Range(0, 7)) {
    case 0:
      return Cat({s, Identifier(), "(data, ", Word(), ");"});
    case 1:
      return Cat({s, "int ", Word(), " = ", Identifier(), "(", Word(), ", ",
                  std::to_string(rng_.Range(0, 4096)), ");"});
    case 2:
      return s + "return " + (rng_.Chance(0.5) ? "CURLE_OK" : Word()) + ";";
    case 3:
      return Cat({s, Word(), "->", Identifier(), " = ", Word(), ";"});
    case 4:
      return s + "infof(data, \"" + Sentence(static_cast<int>(rng_.Range(3, 9))) + "\");";
    case 5:
      return s + "/* " + Sentence(static_cast<int>(rng_.Range(3, 10))) + " */";
    case 6:
      return Cat({s, "result = ", Identifier(), "(data, ", Word(), "->", Word(), ");"});
    default:
      return s + "if(result)";
  }
}

void Generator::AppendFunction(std::vector<std::string>* out) {
  if (rng_.Chance(0.5)) {
    out->push_back("/*");
    out->push_back(" * " + Sentence(static_cast<int>(rng_.Range(4, 12))));
    out->push_back(" */");
  }
  out->push_back(Cat({rng_.Pick(kTypes), " ", Identifier(), "(struct ", Word(), " *data, ",
                      rng_.Pick(kTypes), " ", Word(), ")"}));
  out->push_back("{");
  int depth = 1;
  for (int64_t n = rng_.Range(2, 30); n > 0; --n) {
    if (depth < 3 && rng_.Chance(0.15)) {
      out->push_back(Cat({std::string(static_cast<size_t>(2 * depth), ' '), "if(", Word(),
                          rng_.Chance(0.5) ? " == " : " > ", Word(), ") {"}));
      ++depth;
    } else if (depth > 1 && rng_.Chance(0.25)) {
      --depth;
      out->push_back(std::string(static_cast<size_t>(2 * depth), ' ') + "}");
    } else {
      out->push_back(Statement(depth));
    }
  }
  for (; depth > 1; --depth)
    out->push_back(std::string(static_cast<size_t>(2 * depth - 2), ' ') + "}");
  out->push_back("}");
  out->push_back("");
}

void Generator::Fill(File* f, int lines) {
  std::vector<std::string>& v = f->lines;
  switch (f->style) {
    case Style::kCode:
      v.assign(std::begin(kLicense), std::end(kLicense));
      v.push_back("");
      for (int64_t i = rng_.Range(2, 6); i > 0; --i)
        v.push_back(std::string("#include ") + rng_.Pick(kIncludes));
      v.push_back("");
      while (static_cast<int>(v.size()) < lines) AppendFunction(&v);
      break;
    case Style::kScript:
      v.push_back(f->exec ? "#!/bin/sh" : "#!/usr/bin/env python3");
      while (static_cast<int>(v.size()) < lines) {
        v.push_back(Cat({"def ", Identifier(), "(", Word(), "):"}));
        for (int64_t n = rng_.Range(2, 15); n > 0; --n) v.push_back("    " + Statement(0));
        v.push_back("");
      }
      break;
    case Style::kProse:
      v.push_back("# " + Sentence(static_cast<int>(rng_.Range(2, 5))));
      while (static_cast<int>(v.size()) < lines) {
        v.push_back("");
        for (int64_t n = rng_.Range(1, 8); n > 0; --n) {
          v.push_back(
              Cat({rng_.Chance(0.2) ? "- " : "", Sentence(static_cast<int>(rng_.Range(5, 13)))}));
        }
      }
      break;
    case Style::kBinary:
      f->bytes = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
      for (int64_t n = rng_.Range(2048, 49152); n > 0; n -= 8) {
        uint64_t v64 = rng_.Next();
        f->bytes.append(reinterpret_cast<const char*>(&v64), 8);
      }
      break;
  }
}

void Generator::InsertLines(File* f, size_t pos, int n) {
  std::vector<std::string>& v = f->lines;
  pos = std::min(pos, v.size());
  size_t ref = pos < v.size() ? pos : (pos > 0 ? pos - 1 : 0);
  int depth = 1;
  if (ref < v.size()) depth = std::max(1, static_cast<int>(v[ref].find_first_not_of(' ')) / 2);
  depth = std::min(depth, 4);
  std::vector<std::string> add;
  for (int i = 0; i < n; ++i) {
    if (f->style == Style::kProse) {
      add.push_back(Sentence(static_cast<int>(rng_.Range(5, 13))));
    } else if (f->style == Style::kScript) {
      add.push_back("    " + Statement(0));
    } else if (n >= 8 && i == 0 && rng_.Chance(0.3)) {
      AppendFunction(&add);  // a new function
      i += static_cast<int>(add.size());
    } else {
      add.push_back(Statement(depth));
    }
  }
  v.insert(v.begin() + static_cast<std::ptrdiff_t>(pos), add.begin(), add.end());
}

void Generator::Edit(File* f, int hunks) {
  if (f->style == Style::kBinary) {
    Fill(f, 0);
    return;
  }
  std::vector<std::string>& v = f->lines;
  for (int h = 0; h < hunks; ++h) {
    size_t pos = static_cast<size_t>(rng_.Range(0, static_cast<int64_t>(v.size())));
    double r = rng_.Unit();
    if (v.size() > 3000) r = 0.9;
    if (v.size() < 25) r = 0.6;
    if (r < 0.45 && pos < v.size()) {  // replace
      size_t k = std::min(static_cast<size_t>(rng_.Range(1, 4)), v.size() - pos);
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(pos),
              v.begin() + static_cast<std::ptrdiff_t>(pos + k));
      InsertLines(f, pos, static_cast<int>(k));
    } else if (r < 0.8) {
      InsertLines(f, pos, static_cast<int>(rng_.Range(1, 12)));
    } else if (pos < v.size()) {
      size_t k =
          std::min(static_cast<size_t>(rng_.Range(1, v.size() > 3000 ? 40 : 6)), v.size() - pos);
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(pos),
              v.begin() + static_cast<std::ptrdiff_t>(pos + k));
    }
  }
}

void Generator::MakeDirs() {
  int modules = std::clamp(opt_.files / 250, 6, 40);
  for (int m = 0; m < modules; ++m) {
    std::string mod = Word();
    dirs_.push_back({"src/" + mod, Style::kCode, 1.0});
    for (int64_t s = rng_.Range(0, 4); s > 0; --s) {
      dirs_.push_back({"src/" + mod + "/" + Word(), Style::kCode, 1.0});
    }
    if (m % 3 == 0) dirs_.push_back({"tests/" + mod, Style::kCode, 0.5});
    if (m % 4 == 0) dirs_.push_back({"lib/" + mod, Style::kCode, 0.6});
  }
  dirs_.push_back({"include/project", Style::kCode, 0.8});
  dirs_.push_back({"tests/unit", Style::kCode, 0.8});
  dirs_.push_back({"docs", Style::kProse, 0.5});
  dirs_.push_back({"docs/" + Word(), Style::kProse, 0.3});
  dirs_.push_back({"scripts", Style::kScript, 0.3});
  dirs_.push_back({"tools/" + Word(), Style::kScript, 0.2});
  dirs_.push_back({"examples", Style::kCode, 0.3});
}

std::string Generator::NewPath(const Dir& d, Style* style, bool* exec) {
  static const char* const kCodeExt[] = {".c", ".c", ".c", ".h", ".h", ".cc", ".py"};
  static const char* const kProseExt[] = {".md", ".md", ".rst", ".txt"};
  static const char* const kBinExt[] = {".png", ".png", ".ico", ".gif"};
  for (;;) {
    *style = d.style;
    *exec = false;
    std::string ext;
    if (d.style == Style::kCode) {
      ext = rng_.Pick(kCodeExt);
      if (ext == ".py") *style = Style::kScript;
    } else if (d.style == Style::kScript) {
      *exec = rng_.Chance(0.5);
      ext = *exec ? ".sh" : ".py";
    } else if (d.style == Style::kProse) {
      ext = rng_.Pick(kProseExt);
    } else {
      ext = rng_.Pick(kBinExt);
    }
    std::string name = Word();
    if (rng_.Chance(0.6)) name += "_" + Word();
    std::string path = d.path + "/" + name + ext;
    if (used_paths_.insert(path).second) return path;
  }
}

int Generator::LinesForNewFile() {
  double n = std::exp(std::log(150.0) + 1.0 * rng_.Normal());
  return static_cast<int>(std::clamp(n, 20.0, 3000.0));
}

// A new file owned by `owner` (-1: main); `binary` makes an image asset.
int Generator::AddFile(int owner, bool binary) {
  Dir dir{"assets/images", Style::kBinary, 0};
  if (!binary) {
    double total = 0;
    for (const Dir& d : dirs_) total += d.weight;
    double r = rng_.Unit() * total;
    size_t i = 0;
    while (i + 1 < dirs_.size() && (r -= dirs_[i].weight) > 0) ++i;
    if (dirs_[i].style == Style::kCode && rng_.Chance(0.01)) {  // a new subdirectory
      dirs_.push_back({dirs_[i].path + "/" + Word(), Style::kCode, 1.0});
      i = dirs_.size() - 1;
    }
    dir = dirs_[i];
  }
  File f;
  f.path = NewPath(dir, &f.style, &f.exec);
  f.owner = owner;
  f.on_main = owner < 0;
  f.main_step = step_;
  // Big files are edited more often, as in real projects.
  int lines = LinesForNewFile();
  f.heat = (0.02 + std::pow(rng_.Unit(), 3.0)) * std::clamp(lines / 400.0, 0.25, 2.5) / 2.5;
  Fill(&f, lines);
  f.live_index = live_.size();
  live_.push_back(static_cast<int>(files_.size()));
  files_.push_back(std::move(f));
  touched_.push_back(static_cast<int>(files_.size()) - 1);
  return static_cast<int>(files_.size()) - 1;
}

void Generator::Touch(int id) {
  if (std::find(touched_.begin(), touched_.end(), id) == touched_.end()) touched_.push_back(id);
}

void Generator::Remove(int id) {
  File& f = files_[static_cast<size_t>(id)];
  f.live = false;
  int last = live_.back();
  live_[f.live_index] = last;
  files_[static_cast<size_t>(last)].live_index = f.live_index;
  live_.pop_back();
  pending_.push_back({true, f.path, "", 0});
  std::erase(touched_, id);
  std::vector<std::string>().swap(f.lines);
  std::string().swap(f.bytes);
}

void Generator::Move(int id, const std::string& new_path) {
  File& f = files_[static_cast<size_t>(id)];
  pending_.push_back({true, f.path, "", 0});
  f.path = new_path;
  Touch(id);
}

// A live file owned by `owner`, of the given kind, that main has not changed
// since `before_step` (0: any); hot files are likelier. -1 when none found.
int Generator::PickFile(int owner, int64_t before_step, bool binary) {
  for (int tries = 0; tries < 300 && !live_.empty(); ++tries) {
    int id = live_[static_cast<size_t>(rng_.Range(0, static_cast<int64_t>(live_.size()) - 1))];
    const File& f = files_[static_cast<size_t>(id)];
    if (f.owner != owner || (f.style == Style::kBinary) != binary) continue;
    if (before_step > 0 && f.main_step >= before_step) continue;
    if (tries < 250 && rng_.Unit() > f.heat) continue;
    return id;
  }
  return -1;
}

// Writes the blobs of the touched files and turns them into M commands.
void Generator::FlushTouched() {
  for (int id : touched_) {
    File& f = files_[static_cast<size_t>(id)];
    if (!f.live) continue;
    EmitBlob(f);
    pending_.push_back({false, f.path, f.exec ? "100755" : "100644", f.mark});
    if (f.owner < 0) f.main_step = step_;
  }
  touched_.clear();
}

std::string Generator::Subject() {
  std::string area = "build";
  if (!pending_.empty()) {
    const std::string& p = pending_.back().path;
    size_t a = p.find('/');
    size_t b = a == std::string::npos ? a : p.find('/', a + 1);
    area = b == std::string::npos ? p.substr(0, a) : p.substr(a + 1, b - a - 1);
  }
  std::string s =
      Cat({area, ": ", rng_.Pick(kVerbs), " ", Sentence(static_cast<int>(rng_.Range(1, 5))), "\n"});
  if (rng_.Chance(0.4)) {
    s += "\n";
    for (int64_t n = rng_.Range(1, 6); n > 0; --n) {
      s += Sentence(static_cast<int>(rng_.Range(6, 12))) + "\n";
    }
  }
  if (rng_.Chance(0.15)) {
    size_t who = static_cast<size_t>(rng_.Range(0, static_cast<int64_t>(authors_.size()) - 1));
    s += "\nReviewed-by: " + authors_[who].ident + "\n";
  }
  return s;
}

const Author& Generator::PickAuthor() {
  double r = rng_.Unit() * author_cdf_.back();
  size_t i = static_cast<size_t>(std::lower_bound(author_cdf_.begin(), author_cdf_.end(), r) -
                                 author_cdf_.begin());
  return authors_[std::min(i, authors_.size() - 1)];
}

double Generator::TargetLive() const {
  double start = std::max(20, opt_.files / 8);
  return start +
         (opt_.files - start) * static_cast<double>(commits_) / static_cast<double>(opt_.commits);
}

int Generator::HunkCount() {
  double r = rng_.Unit();
  return r < 0.55 ? 1 : (r < 0.85 ? 2 : 3);
}

const Dir& Generator::PickDir() {
  double total = 0;
  for (const Dir& d : dirs_) total += d.weight;
  double r = rng_.Unit() * total;
  size_t i = 0;
  while (i + 1 < dirs_.size() && (r -= dirs_[i].weight) > 0) ++i;
  return dirs_[i];
}

// A new, unused path for `f` in another directory of the same kind.
std::string Generator::MovedPath(const File& f) {
  std::string name = f.path.substr(f.path.rfind('/') + 1);
  for (int tries = 0;; ++tries) {
    const Dir& d = PickDir();
    if (d.style != f.style && tries < 20) continue;
    std::string p = d.path + "/" + (tries % 2 ? Word() + "_" : "") + name;
    if (used_paths_.insert(p).second) return p;
  }
}

void Generator::MainCommit() {
  const Author& who = PickAuthor();
  if (rng_.Chance(0.012)) {
    Refactor();
  } else {
    static const double kCdf[] = {0.38, 0.63, 0.78, 0.88, 0.95};
    double r = rng_.Unit();
    int k = 1;
    while (k < 6 && r > kCdf[k - 1]) ++k;
    for (int i = 0; i < k; ++i) {
      int id = PickFile(-1, 0, false);
      if (id < 0) break;
      Edit(&files_[static_cast<size_t>(id)], HunkCount());
      Touch(id);
    }
    double deficit = TargetLive() - static_cast<double>(live_.size());
    if (rng_.Chance(std::clamp(0.03 + deficit * 0.01, 0.0, 0.5))) {
      for (int64_t n = rng_.Range(1, 3); n > 0; --n) AddFile(-1, false);
    }
    int id = -1;
    if (rng_.Chance(deficit < 0 ? 0.05 : 0.006) && (id = PickFile(-1, 0, false)) >= 0) Remove(id);
    if (rng_.Chance(0.008) && (id = PickFile(-1, 0, false)) >= 0) {
      Move(id, MovedPath(files_[static_cast<size_t>(id)]));
      if (rng_.Chance(0.5)) Edit(&files_[static_cast<size_t>(id)], 1);
    }
    if (rng_.Chance(0.003)) AddFile(-1, true);
    if (rng_.Chance(0.002) && (id = PickFile(-1, 0, true)) >= 0) {
      Edit(&files_[static_cast<size_t>(id)], 1);
      Touch(id);
    }
  }
  if (touched_.empty() && pending_.empty()) AddFile(-1, false);
  FlushTouched();
  main_tip_ = EmitCommit("refs/heads/main", who, Subject(), main_tip_, {});
}

void Generator::Refactor() {
  if (rng_.Chance(0.25) && MoveDirectory()) return;
  for (int64_t n = rng_.Range(20, 100); n > 0; --n) {
    int id = PickFile(-1, 0, false);
    if (id < 0) break;
    Edit(&files_[static_cast<size_t>(id)], 1);
    Touch(id);
  }
}

// Moves a whole directory that no feature branch is working in.
bool Generator::MoveDirectory() {
  int pick = PickFile(-1, 0, false);
  if (pick < 0) return false;
  const std::string& p = files_[static_cast<size_t>(pick)].path;
  std::string dir = p.substr(0, p.rfind('/'));
  if (std::count(dir.begin(), dir.end(), '/') < 1) return false;
  std::vector<int> ids;
  for (int id : live_) {
    const File& f = files_[static_cast<size_t>(id)];
    if (f.path.compare(0, dir.size() + 1, dir + "/") != 0) continue;
    if (f.owner >= 0) return false;
    ids.push_back(id);
  }
  std::string to = Cat({dir.substr(0, dir.rfind('/')), "/", Word(), "_", Word()});
  auto it = used_paths_.lower_bound(to + "/");
  if (it != used_paths_.end() && it->compare(0, to.size() + 1, to + "/") == 0) return false;
  std::sort(ids.begin(), ids.end());
  for (int id : ids) {
    std::string moved = to + files_[static_cast<size_t>(id)].path.substr(dir.size());
    used_paths_.insert(moved);
    Move(id, moved);
  }
  dirs_.push_back({to, Style::kCode, 1.0});
  return !ids.empty();
}

int Generator::OpenFeature() {
  Feature ft;
  ft.ref = Cat({"feature/", std::to_string(features_.size() + 1), "-", Word(), "-", Word()});
  ft.author = static_cast<int>(&PickAuthor() - authors_.data());
  ft.fork_step = step_;
  ft.tip = main_tip_;
  ft.planned = 1 + static_cast<int>(std::min(14.0, -std::log(std::max(rng_.Unit(), 1e-9)) * 3.2));
  features_.push_back(std::move(ft));
  open_.push_back(static_cast<int>(features_.size()) - 1);
  return open_.back();
}

void Generator::FeatureCommit() {
  std::vector<int> active;
  for (int i : open_) {
    if (features_[static_cast<size_t>(i)].done < features_[static_cast<size_t>(i)].planned) {
      active.push_back(i);
    }
  }
  int fi =
      active.empty() || (open_.size() < 8 && rng_.Chance(0.15))
          ? OpenFeature()
          : active[static_cast<size_t>(rng_.Range(0, static_cast<int64_t>(active.size()) - 1))];
  Feature& ft = features_[static_cast<size_t>(fi)];
  for (int64_t k = rng_.Range(1, 4); k > 0; --k) {
    int id = -1;
    if (!ft.files.empty() && rng_.Chance(0.6)) {
      id = ft.files[static_cast<size_t>(rng_.Range(0, static_cast<int64_t>(ft.files.size()) - 1))];
      if (!files_[static_cast<size_t>(id)].live) id = -1;
    }
    if (id < 0 && (id = PickFile(-1, ft.fork_step, false)) >= 0) {
      files_[static_cast<size_t>(id)].owner = fi;
      ft.files.push_back(id);
    }
    if (id < 0) continue;
    Edit(&files_[static_cast<size_t>(id)], HunkCount());
    Touch(id);
  }
  if (rng_.Chance(0.12) || touched_.empty()) ft.files.push_back(AddFile(fi, false));
  int id = ft.files[static_cast<size_t>(rng_.Range(0, static_cast<int64_t>(ft.files.size()) - 1))];
  File& f = files_[static_cast<size_t>(id)];
  if (f.live && ft.files.size() > 1 && rng_.Chance(0.04)) {
    if (f.on_main) ft.deleted_paths.push_back(f.path);
    f.on_main = false;
    if (rng_.Chance(0.5)) {
      Remove(id);
    } else {
      Move(id, MovedPath(f));
    }
  }
  FlushTouched();
  ft.tip = EmitCommit("refs/heads/" + ft.ref, authors_[static_cast<size_t>(ft.author)], Subject(),
                      ft.tip, {});
  ++ft.done;
}

void Generator::Merge(const std::vector<int>& ids) {
  const Author& who = authors_[static_cast<size_t>(
      rng_.Range(0, std::min<int64_t>(2, static_cast<int64_t>(authors_.size()) - 1)))];
  std::vector<int64_t> tips;
  for (int fi : ids) {
    Feature& ft = features_[static_cast<size_t>(fi)];
    for (const std::string& p : ft.deleted_paths) pending_.push_back({true, p, "", 0});
    for (int id : ft.files) {
      File& f = files_[static_cast<size_t>(id)];
      if (!f.live || f.owner != fi) continue;
      pending_.push_back({false, f.path, f.exec ? "100755" : "100644", f.mark});
      f.owner = -1;
      f.on_main = true;
      f.main_step = step_;
    }
    tips.push_back(ft.tip);
  }
  const Feature& first = features_[static_cast<size_t>(ids[0])];
  std::string msg = ids.size() > 1 ? "Merge branches '" + first.ref + "' and others\n"
                    : rng_.Chance(0.6)
                        ? "Merge pull request #" + std::to_string(ids[0] + 1) + " from " +
                              authors_[static_cast<size_t>(first.author)].login + "/" +
                              first.ref.substr(8) + "\n\n" + Sentence(6) + "\n"
                        : "Merge branch '" + first.ref + "'\n";
  main_tip_ = EmitCommit("refs/heads/main", who, msg, main_tip_, tips);
  ++merges_;
  if (ids.size() > 1) ++octopus_;
  for (int fi : ids) {
    if (rng_.Chance(0.95)) {  // most merged branches are deleted
      Put("reset refs/heads/" + features_[static_cast<size_t>(fi)].ref + "\nfrom " + kNullId +
          "\n\n");
    }
    std::erase(open_, fi);
  }
}

void Generator::EmitTag(const std::string& name, int64_t mark, const std::string& message) {
  const Author& who = authors_[0];
  Put("tag " + name + "\nfrom :" + std::to_string(mark) + "\ntagger " + who.ident + " " +
      std::to_string(time_) + " " + who.tz + "\ndata " + std::to_string(message.size()) + "\n" +
      message + "\n");
}

// Tags a release every so often, with a release branch that gets fixes.
void Generator::ReleaseWork() {
  int64_t every = std::max<int64_t>(400, opt_.commits / 30);
  if (commits_ >= (releases_ + 1) * every) {
    std::string version = "1." + std::to_string(++releases_);
    EmitTag("v" + version + ".0", main_tip_, "Release " + version + ".0\n");
    releases_list_.push_back({version, main_tip_, 0, ""});
  }
  if (releases_list_.empty() || commits_ >= opt_.commits || !rng_.Chance(0.004)) return;
  size_t i = releases_list_.size() - 1;
  if (i > 0 && rng_.Chance(0.3)) --i;
  Release& r = releases_list_[i];
  r.notes += "- " + Sentence(static_cast<int>(rng_.Range(4, 10))) + "\n";
  int64_t blob = next_mark_++;
  Put("blob\nmark :" + std::to_string(blob) + "\ndata " + std::to_string(r.notes.size()) + "\n" +
      r.notes + "\n");
  pending_.push_back({false, "releases/" + r.version + "/NOTES.md", "100644", blob});
  const Author& who = PickAuthor();
  std::string message = "release " + r.version + ": backport " + Sentence(3) + "\n";
  r.tip = EmitCommit("refs/heads/release/" + r.version, who, message, r.tip, {});
  if (++r.fixes % 3 == 0) {
    std::string tag = "v" + r.version + "." + std::to_string(r.fixes / 3);
    if (rng_.Chance(0.5)) {
      EmitTag(tag, r.tip, "Release " + tag.substr(1) + "\n");
    } else {
      Put("reset refs/tags/" + tag + "\nfrom :" + std::to_string(r.tip) + "\n\n");
    }
  }
}

void Generator::MakeAuthors() {
  std::set<std::string> seen;
  double total = 0;
  for (int i = 0; i < opt_.authors; ++i) {
    const auto& first = rng_.Pick(kFirst);
    const auto& last = rng_.Pick(kLast);
    std::string login = std::string(first.ascii) + last.ascii[0];
    if (!seen.insert(login).second) login += std::to_string(i);
    seen.insert(login);
    std::string domain = rng_.Pick(kDomains);
    std::string email = domain[0] == 'u'
                            ? std::to_string(100000 + i * 7919) + "+" + login + "@" + domain
                            : std::string(first.ascii) + "." + last.ascii + "@" + domain;
    authors_.push_back({std::string(first.shown) + " " + last.shown + " <" + email + ">", login,
                        rng_.Pick(kZones)});
    total += 1.0 / std::pow(i + 1, 1.1);
    author_cdf_.push_back(total);
  }
}

bool Generator::Run() {
  MakeAuthors();
  MakeDirs();
  for (int i = std::max(20, opt_.files / 8); i > 0; --i) AddFile(-1, false);
  FlushTouched();
  main_tip_ = EmitCommit("refs/heads/main", authors_[0], "Initial import\n", 0, {});
  while (commits_ < opt_.commits && write_ok_) {
    ++step_;
    time_ += 30 + static_cast<int64_t>(-std::log(std::max(rng_.Unit(), 1e-9)) * 4800);
    std::vector<int> ready;
    for (int i : open_) {
      const Feature& ft = features_[static_cast<size_t>(i)];
      if (ft.done >= ft.planned) ready.push_back(i);
    }
    double r = rng_.Unit();
    if (!ready.empty() && r < 0.3) {
      std::vector<int> ids = {ready[0]};
      if (ready.size() >= 3 && rng_.Chance(0.03)) ids = {ready[0], ready[1], ready[2]};
      Merge(ids);
    } else if (r < 0.62) {
      FeatureCommit();
    } else {
      MainCommit();
    }
    ReleaseWork();
  }
  Flush();
  std::fflush(stdout);
  std::fprintf(stderr,
               "gen_history: %lld commits (%lld merges, %lld octopus), %zu live files, "
               "%lld blobs (%.1f MiB), %d releases, %zu open branches\n",
               static_cast<long long>(commits_), static_cast<long long>(merges_),
               static_cast<long long>(octopus_), live_.size(), static_cast<long long>(blobs_),
               static_cast<double>(blob_bytes_) / 1048576.0, releases_, open_.size());
  return write_ok_ && !std::ferror(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](int64_t lo, int64_t hi) -> int64_t {
      char* end = nullptr;
      long long v = i + 1 < argc ? std::strtoll(argv[++i], &end, 10) : 0;
      if (end == nullptr || *end != '\0' || v < lo || v > hi) {
        std::fprintf(stderr, "gen_history: %s needs an integer in [%lld, %lld]\n", a.data(),
                     static_cast<long long>(lo), static_cast<long long>(hi));
        std::exit(2);
      }
      return v;
    };
    if (a == "--commits") {
      opt.commits = value(1, 100000000);
    } else if (a == "--files") {
      opt.files = static_cast<int>(value(10, 10000000));
    } else if (a == "--seed") {
      opt.seed = static_cast<uint64_t>(value(0, INT64_MAX));
    } else if (a == "--authors") {
      opt.authors = static_cast<int>(value(1, 100000));
    } else if (a == "--version") {
      std::printf("gen_history format %d\n", kFormatVersion);
      return 0;
    } else {
      std::fprintf(stderr,
                   "usage: gen_history [--commits N] [--files N] [--seed S] [--authors N]\n"
                   "writes a git fast-import stream to stdout (see bench/make-history.sh)\n");
      return a == "--help" || a == "-h" ? 0 : 2;
    }
  }
  return Generator(opt).Run() ? 0 : 1;
}
