#include "testing/fast_import_stream.h"

namespace sei::testing {

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::string Ident(const Person& who, int64_t time, std::string_view tz) {
  std::string out = who.name + " <" + who.email + "> " + std::to_string(time) + " ";
  out.append(tz);
  return out;
}

std::string FastImportStream::NextMark() {
  std::string mark = ":";
  mark += std::to_string(next_mark_++);
  return mark;
}

void FastImportStream::Data(std::string_view data) {
  out_ += "data ";
  out_ += std::to_string(data.size());
  out_ += '\n';
  out_.append(data);
  out_ += "\n";
}

void FastImportStream::Blob(const std::string& mark, std::string_view data) {
  out_ += "blob\nmark " + mark + "\n";
  Data(data);
}

void FastImportStream::Commit(const std::string& ref, const std::string& mark,
                              const std::string& author, const std::string& committer,
                              std::string_view message, const std::string& from,
                              const std::vector<std::string>& merges, const std::string& encoding) {
  out_ +=
      "commit " + ref + "\nmark " + mark + "\nauthor " + author + "\ncommitter " + committer + "\n";
  if (!encoding.empty()) out_ += "encoding " + encoding + "\n";
  Data(message);
  if (!from.empty()) out_ += "from " + from + "\n";
  for (const std::string& m : merges) out_ += "merge " + m + "\n";
}

void FastImportStream::Modify(std::string_view mode, std::string_view path, std::string_view data) {
  out_ += "M ";
  out_.append(mode);
  out_ += " inline ";
  out_ += QuotePath(path);
  out_ += '\n';
  Data(data);
}

void FastImportStream::ModifyRef(std::string_view mode, std::string_view dataref,
                                 std::string_view path) {
  out_ += "M ";
  out_.append(mode);
  out_ += " ";
  out_.append(dataref);
  out_ += ' ';
  out_ += QuotePath(path);
  out_ += '\n';
}

void FastImportStream::Delete(std::string_view path) {
  out_ += "D ";
  out_ += QuotePath(path);
  out_ += '\n';
}

void FastImportStream::Rename(std::string_view from, std::string_view to) {
  out_ += "R ";
  out_ += QuotePath(from);
  out_ += ' ';
  out_ += QuotePath(to);
  out_ += '\n';
}

void FastImportStream::Reset(const std::string& ref, const std::string& from) {
  out_ += "reset " + ref + "\nfrom " + from + "\n\n";
}

void FastImportStream::Tag(const std::string& name, const std::string& mark,
                           const std::string& from, const std::string& tagger,
                           std::string_view message) {
  out_ += "tag " + name + "\n";
  if (!mark.empty()) out_ += "mark " + mark + "\n";
  out_ += "from " + from + "\ntagger " + tagger + "\n";
  Data(message);
}

std::string FastImportStream::QuotePath(std::string_view path) {
  std::string out = "\"";
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      const char oct[] = {'\\', static_cast<char>('0' + (c >> 6)),
                          static_cast<char>('0' + ((c >> 3) & 7)), static_cast<char>('0' + (c & 7)),
                          '\0'};
      out += oct;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace sei::testing
