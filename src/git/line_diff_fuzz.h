// Test-only: seeded random file pairs for the differential test of
// LineDiffer against git (line_diff_test.cc). Each pair is a base text of
// some shape and an edited copy, built to reach every branch of git's diff:
//  - tiny files and small alphabets, so lines repeat and the "many matches"
//    discard rule fires in files of a few lines and of more than 1024;
//  - long runs of unique lines, blocks repeated many times;
//  - a few hunks, edits scattered everywhere (the search cost cut-off),
//    hundreds of edit clusters between runs of more than 20 equal lines (the
//    long-snake heuristics), rewrites, moved and copied blocks, edits at the
//    very start and end;
//  - missing final newlines, CRLF lines.
// Header-only because every .cc in src/git other than *_test.cc goes into
// the library.
//
// Thread safety: a PairGenerator is owned by one thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

namespace sei::git::testing_fuzz {

struct Pair {
  std::string old_text;
  std::string new_text;
  std::string shape;  // "base/edit", for failure messages
};

class PairGenerator {
 public:
  explicit PairGenerator(uint64_t seed) : rng_(seed) {}

  Pair Next() {
    alphabet_ = 0;
    crlf_edit_ = false;
    Pair pair;
    const int base_kind = Pick({18, 12, 24, 14, 14, 5, 12, 3});
    Lines base = Base(base_kind, &pair.shape);
    pair.shape += '/';
    const int edit_kind = base_kind >= 5 && base_kind != 6 ? Pick({0, 30, 70, 0, 0, 0, 0, 0})
                                                           : Pick({22, 12, 6, 12, 12, 12, 12, 12});
    Lines edited = Edit(base, edit_kind, &pair.shape);
    pair.old_text = Join(&base);
    pair.new_text = Join(&edited);
    return pair;
  }

 private:
  using Lines = std::vector<std::string>;

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }
  // An index drawn with the given weights.
  int Pick(std::initializer_list<int> weights) {
    return std::discrete_distribution<int>(weights.begin(), weights.end())(rng_);
  }

  // A line never produced before.
  std::string Fresh() { return "  fresh_" + std::to_string(counter_++) + " = f(x);"; }
  // One of a few very frequent lines (blank lines, braces).
  std::string Common() {
    static const char* const kCommon[] = {"", "}", "{", "  }", "    return 0;", "\t}", "#endif"};
    return kCommon[Uniform(0, 6)];
  }
  std::string Word(int vocabulary) { return "word " + std::to_string(Uniform(0, vocabulary - 1)); }
  // A line from the mix of a source file: frequent, repeated and unique lines.
  std::string Mixed(const Lines* copy_from) {
    const int k = Pick({40, 25, 20, 15});
    if (k == 0) return Fresh();
    if (k == 1) return Common();
    if (k == 2 || copy_from == nullptr || copy_from->empty()) return Word(vocabulary_);
    return (*copy_from)[static_cast<size_t>(Uniform(0, static_cast<int>(copy_from->size()) - 1))];
  }

  Lines Base(int kind, std::string* shape) {
    Lines lines;
    switch (kind) {
      case 0: {  // a few lines from an alphabet of 1-4
        *shape = "tiny";
        alphabet_ = Uniform(1, 4);
        const int n = Uniform(0, 8);
        for (int i = 0; i < n; ++i) {
          lines.push_back(std::string(1, static_cast<char>('a' + Uniform(0, 3) % alphabet_)));
        }
        break;
      }
      case 1: {  // many lines from a small alphabet
        *shape = "alphabet";
        alphabet_ = Uniform(2, 12);
        const int n = Chance(70) ? Uniform(1025, 3000) : Uniform(100, 1024);
        for (int i = 0; i < n; ++i) lines.push_back(Word(alphabet_));
        break;
      }
      case 2: {  // source-like
        *shape = "code";
        const int n = Uniform(20, 1500);
        vocabulary_ = n / 4 + 5;
        for (int i = 0; i < n; ++i) lines.push_back(Mixed(nullptr));
        break;
      }
      case 3:  // unique lines
      case 5:
      case 7: {
        // Past 32766 lines a side, git's cost limit rises from 256 to 512
        // and the long-snake heuristics (tried only above 256) can fire.
        *shape = kind == 3 ? "unique" : kind == 5 ? "huge" : "giant";
        const int n = kind == 3   ? Uniform(100, 5000)
                      : kind == 5 ? Uniform(5000, 12000)
                                  : Uniform(33000, 45000);
        // Unique lines leave git's diff nothing to do once it discards the
        // unmatched ones; each word of the larger files occurs ~3 times.
        vocabulary_ = n / 3;
        for (int i = 0; i < n; ++i) lines.push_back(kind == 3 ? Fresh() : Word(vocabulary_));
        break;
      }
      case 4: {  // one block repeated, each copy slightly varied
        *shape = "blocks";
        Lines block;
        for (int i = Uniform(3, 30); i > 0; --i) block.push_back(Chance(50) ? Common() : Fresh());
        for (int copies = Uniform(5, 150); copies > 0; --copies) {
          for (const std::string& l : block) lines.push_back(Chance(10) ? Fresh() : l);
        }
        break;
      }
      case 6: {  // mostly frequent lines with a few unique ones
        *shape = "braces";
        const int n = Uniform(10, 3000);
        for (int i = 0; i < n; ++i) lines.push_back(Chance(70) ? Common() : Fresh());
        break;
      }
    }
    return lines;
  }

  // A line to insert into a file of the current shape.
  std::string NewLine(const Lines& base) {
    if (alphabet_ > 0 && Chance(70)) {
      return alphabet_ <= 4 ? std::string(1, static_cast<char>('a' + Uniform(0, 4)))
                            : Word(alphabet_ + 1);
    }
    return Mixed(&base);
  }

  Lines Edit(const Lines& base, int kind, std::string* shape) {
    Lines out = base;
    const int n = static_cast<int>(base.size());
    switch (kind) {
      case 0:  // a few hunks
        *shape += "hunks";
        for (int h = Uniform(1, 6); h > 0; --h) Hunk(&out, base, Uniform(0, 5), Uniform(0, 5));
        break;
      case 1:  // single-line edits everywhere, a few lines apart
        *shape += "scattered";
        return Scattered(base);
      case 2:  // hundreds of small clusters, equal runs between them
        *shape += "clusters";
        return Clusters(base);
      case 3:  // rewrite, keeping a fraction of the lines
        *shape += "rewrite";
        return Rewrite(base);
      case 4:  // moved or copied blocks
        *shape += "moves";
        for (int m = Uniform(1, 4); m > 0 && !out.empty(); --m) MoveBlock(&out, Chance(30));
        if (Chance(50)) Hunk(&out, base, Uniform(0, 3), Uniform(0, 3));
        break;
      case 5: {  // an unrelated text of the same kind
        *shape += "shuffle";
        out.clear();
        const int m = alphabet_ > 0 ? Uniform(0, std::max(8, n + n / 4)) : Uniform(0, n + 10);
        for (int i = 0; i < m; ++i) out.push_back(NewLine(base));
        break;
      }
      case 6:  // at the very start and end
        *shape += "ends";
        if (Chance(60)) out.insert(out.begin(), NewLine(base));
        if (Chance(40) && !out.empty()) out.erase(out.begin());
        if (Chance(60)) out.push_back(NewLine(base));
        if (Chance(40) && !out.empty()) out.pop_back();
        if (Chance(30)) Hunk(&out, base, Uniform(0, 2), Uniform(0, 2));
        break;
      default:  // only line endings change
        *shape += "newlines";
        crlf_edit_ = true;
        break;
    }
    return out;
  }

  Lines Scattered(const Lines& base) {
    Lines out;
    const int rate = Uniform(5, 60);
    for (const std::string& l : base) {
      if (!Chance(rate)) {
        out.push_back(l);
        continue;
      }
      const int op = Uniform(0, 2);  // 0 replace, 1 delete, 2 insert after
      if (op != 1) out.push_back(op == 0 ? NewLine(base) : l);
      if (op == 2) out.push_back(NewLine(base));
    }
    return out;
  }

  // Stretches of a few thousand lines differ in how far apart the clusters
  // are, so long snakes lie on one side of a split only: dense, medium,
  // sparse, around the 20-line snake threshold, and dense with a few runs
  // just over it.
  Lines Clusters(const Lines& base) {
    static constexpr int kGapMin[] = {1, 5, 21, 18, 1};
    static constexpr int kGapMax[] = {6, 60, 90, 22, 3};
    Lines out;
    const int n = static_cast<int>(base.size());
    int stretch_end = 0, density = 0;
    for (int i = 0; i < n;) {
      if (i >= stretch_end) {
        stretch_end = i + Uniform(300, 6000);
        density = Pick({2, 5, 3, 3, 3});
      }
      const int gap = density == 4 && Chance(10) ? Uniform(19, 24)
                                                 : Uniform(kGapMin[density], kGapMax[density]);
      for (int k = 0; k < gap && i < n; ++k) out.push_back(base[static_cast<size_t>(i++)]);
      i += Uniform(0, 3);
      for (int k = Uniform(0, 3); k > 0; --k) out.push_back(NewLine(base));
    }
    return out;
  }

  Lines Rewrite(const Lines& base) {
    Lines out;
    const int keep = Uniform(0, 40);
    for (const std::string& l : base) {
      out.push_back(Chance(keep) ? l : NewLine(base));
      if (Chance(10)) out.push_back(NewLine(base));
    }
    return out;
  }

  // Deletes `del` lines at a random place and inserts `ins` new ones there.
  void Hunk(Lines* lines, const Lines& base, int del, int ins) {
    size_t at = static_cast<size_t>(Uniform(0, static_cast<int>(lines->size())));
    const size_t end = std::min(lines->size(), at + static_cast<size_t>(del));
    lines->erase(lines->begin() + static_cast<ptrdiff_t>(at),
                 lines->begin() + static_cast<ptrdiff_t>(end));
    for (int k = 0; k < ins; ++k) {
      lines->insert(lines->begin() + static_cast<ptrdiff_t>(at++), NewLine(base));
    }
  }

  void MoveBlock(Lines* lines, bool copy) {
    const int n = static_cast<int>(lines->size());
    const int from = Uniform(0, n - 1);
    const int len = Uniform(1, std::min(200, n - from));
    Lines block(lines->begin() + from, lines->begin() + from + len);
    if (!copy) lines->erase(lines->begin() + from, lines->begin() + from + len);
    const int to = Uniform(0, static_cast<int>(lines->size()));
    lines->insert(lines->begin() + to, block.begin(), block.end());
  }

  // The text of `lines`; sometimes CRLF on some lines, sometimes no final
  // newline.
  std::string Join(const Lines* lines) {
    const bool crlf = crlf_edit_ ? Chance(70) : Chance(4);
    const bool final_newline = crlf_edit_ ? Chance(50) : Chance(85);
    std::string s;
    for (size_t i = 0; i < lines->size(); ++i) {
      s += (*lines)[i];
      if (crlf && Chance(30)) s += '\r';
      if (i + 1 < lines->size() || final_newline) s += '\n';
    }
    return s;
  }

  std::mt19937_64 rng_;
  uint64_t counter_ = 0;
  int vocabulary_ = 100;
  int alphabet_ = 0;        // > 0 while the current pair uses a small alphabet
  bool crlf_edit_ = false;  // the current pair differs in line endings
};

}  // namespace sei::git::testing_fuzz
