#include "metrics/flow/investment.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace sei::metrics::flow {

namespace {

bool Is(std::string_view type, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (n.size() != type.size()) continue;
    bool same = true;
    for (size_t i = 0; same && i < n.size(); ++i) {
      same = std::tolower(static_cast<unsigned char>(type[i])) == n[i];
    }
    if (same) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Reads the four hex digits of a \u escape at text[*i] ('?' when invalid).
uint32_t ReadHex4(std::string_view text, size_t* i) {
  uint32_t cp = 0;
  for (int k = 0; k < 4; ++k, ++*i) {
    if (*i >= text.size()) return '?';
    const char c = text[*i];
    const int d = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
    if (d < 0) return '?';
    cp = cp * 16 + static_cast<uint32_t>(d);
  }
  return cp;
}

// Unescapes the JSON string body text[begin, end) into *out.
void Unescape(std::string_view text, size_t begin, size_t end, std::string* out) {
  out->clear();
  for (size_t i = begin; i < end;) {
    char c = text[i++];
    if (c != '\\' || i >= end) {
      out->push_back(c);
      continue;
    }
    c = text[i++];
    switch (c) {
      case 'n':
        out->push_back('\n');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'u':
        AppendUtf8(ReadHex4(text.substr(0, end), &i), out);
        break;
      default:
        out->push_back(c);  // \" \\ \/
    }
  }
}

}  // namespace

Investment InvestmentOf(std::string_view type) {
  if (Is(type, {"feature", "story", "requirement", "improvement", "enhancement"})) {
    return Investment::kFeature;
  }
  if (Is(type, {"bug", "defect"})) return Investment::kBug;
  if (Is(type, {"task", "subtask", "sub-task", "chore", "maintenance"})) return Investment::kTask;
  if (Is(type, {"incident"})) return Investment::kIncident;
  if (Is(type, {"epic"})) return Investment::kEpic;
  return Investment::kOther;
}

const char* InvestmentKey(Investment i) {
  return i == Investment::kEpic ? "epic" : kInvestmentKeys[static_cast<size_t>(i)];
}

LabelReader::LabelReader(std::string_view text) : text_(Trim(text)) {
  json_ = !text_.empty() && text_.front() == '[';
  pos_ = json_ ? 1 : 0;
}

bool LabelReader::Next(std::string_view* label) {
  while (pos_ < text_.size()) {
    if (!json_) {  // comma-separated text
      size_t comma = text_.find(',', pos_);
      if (comma == std::string_view::npos) comma = text_.size();
      *label = Trim(text_.substr(pos_, comma - pos_));
      pos_ = comma + 1;
      if (!label->empty()) return true;
      continue;
    }
    if (text_[pos_++] != '"') continue;
    const size_t begin = pos_;
    bool escaped = false;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') {
        escaped = true;
        ++pos_;
      }
      ++pos_;
    }
    const size_t end = std::min(pos_, text_.size());
    ++pos_;  // the closing quote
    if (escaped) {
      Unescape(text_, begin, end, &scratch_);
      *label = Trim(scratch_);
    } else {
      *label = Trim(text_.substr(begin, end - begin));
    }
    if (!label->empty()) return true;
  }
  return false;
}

}  // namespace sei::metrics::flow
