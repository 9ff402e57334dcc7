#include "testing/git_numstat.h"

#include <charconv>

#include "testing/repo_builder.h"

namespace sei::testing {

namespace {

// Splits `s` at every `sep`; a trailing separator gives no empty last piece.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(sep, pos);
    if (end == std::string_view::npos) end = s.size();
    parts.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

bool ParseInt(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

Status Malformed(std::string_view what, std::string_view near) {
  return DataLossError("unexpected git output (" + std::string(what) + ") near \"" +
                       std::string(near.substr(0, 80)) + "\"");
}

// "added\tdeleted\tpath" or "-\t-\tpath"; path may be empty (a rename follows).
Result<NumstatRow> ParseRow(std::string_view token) {
  if (!token.empty() && token[0] == '\n') token.remove_prefix(1);
  size_t tab1 = token.find('\t');
  size_t tab2 = tab1 == std::string_view::npos ? tab1 : token.find('\t', tab1 + 1);
  if (tab2 == std::string_view::npos) return Malformed("numstat row", token);
  std::string_view a = token.substr(0, tab1), d = token.substr(tab1 + 1, tab2 - tab1 - 1);
  NumstatRow row;
  row.path = std::string(token.substr(tab2 + 1));
  if (a == "-" && d == "-") {
    row.binary = true;
  } else if (!ParseInt(a, &row.added) || !ParseInt(d, &row.deleted)) {
    return Malformed("numstat counts", token);
  }
  return row;
}

Result<LogEntry> ParseHeader(std::string_view token) {
  token.remove_prefix(1);  // '@'
  std::vector<std::string_view> ids = Split(token, ' ');
  if (ids.empty() || ids[0].size() < 40) return Malformed("commit header", token);
  LogEntry entry;
  entry.sha = std::string(ids[0]);
  for (size_t i = 1; i < ids.size(); ++i) entry.parents.emplace_back(ids[i]);
  return entry;
}

Result<std::vector<LogEntry>> RunNumstatLog(const std::string& repo, bool detect_renames,
                                            const std::vector<std::string>& revs) {
  std::vector<std::string> args = {"log",
                                   "-z",
                                   "--numstat",
                                   "--format=tformat:@%H %P",
                                   "--diff-merges=first-parent",
                                   "--diff-algorithm=myers",
                                   detect_renames ? "-M" : "--no-renames"};
  args.insert(args.end(), revs.begin(), revs.end());
  SEI_ASSIGN_OR_RETURN(std::string out, RunGit(repo, args));
  return ParseNumstatLog(out);
}

// Fills author, committer, tree, encoding and message from the raw objects.
Status ReadCommitObjects(const std::string& repo, GitHistory* history) {
  std::string input;
  for (const std::string& sha : history->order) input += sha + "\n";
  SEI_ASSIGN_OR_RETURN(std::string out, RunGit(repo, {"cat-file", "--batch"}, input));
  std::string_view rest(out);
  while (!rest.empty()) {
    size_t eol = rest.find('\n');
    std::vector<std::string_view> head = Split(rest.substr(0, eol), ' ');
    int64_t size = 0;
    if (eol == std::string_view::npos || head.size() != 3 || head[1] != "commit" ||
        !ParseInt(head[2], &size) || rest.size() < eol + 1 + static_cast<size_t>(size) + 1) {
      return Malformed("cat-file --batch", rest);
    }
    std::string_view raw = rest.substr(eol + 1, static_cast<size_t>(size));
    rest.remove_prefix(eol + 1 + static_cast<size_t>(size) + 1);
    auto it = history->commits.find(std::string(head[0]));
    if (it == history->commits.end()) return Malformed("unrequested object", head[0]);
    SEI_ASSIGN_OR_RETURN(GitCommit parsed, ParseCommitObject(head[0], raw));
    if (parsed.parents != it->second.parents) return Malformed("parents differ", head[0]);
    parsed.files = std::move(it->second.files);
    it->second = std::move(parsed);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<LogEntry>> ParseNumstatLog(std::string_view output) {
  std::vector<std::string_view> tokens = Split(output, '\0');
  std::vector<LogEntry> entries;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view token = tokens[i];
    if (token.empty()) continue;
    if (token[0] == '@') {
      SEI_ASSIGN_OR_RETURN(LogEntry entry, ParseHeader(token));
      entries.push_back(std::move(entry));
      continue;
    }
    if (entries.empty()) return Malformed("row before any commit", token);
    SEI_ASSIGN_OR_RETURN(NumstatRow row, ParseRow(token));
    if (row.path.empty()) {  // rename or copy: "\0old\0new\0" follow
      if (i + 2 >= tokens.size()) {
        return Malformed("rename without paths", token);
      }
      row.old_path = std::string(tokens[++i]);
      row.path = std::string(tokens[++i]);
    }
    entries.back().files.push_back(std::move(row));
  }
  return entries;
}

Result<GitIdent> ParseIdent(std::string_view line) {
  GitIdent id;
  id.raw = std::string(line);
  size_t lt = line.find('<');
  size_t gt = lt == std::string_view::npos ? lt : line.find('>', lt + 1);
  if (gt == std::string_view::npos) return Malformed("ident", line);
  size_t name_end = lt;
  while (name_end > 0 && line[name_end - 1] == ' ') --name_end;
  id.name = std::string(line.substr(0, name_end));
  id.email = std::string(line.substr(lt + 1, gt - lt - 1));
  std::vector<std::string_view> date = Split(line.substr(line.rfind('>') + 1), ' ');
  std::erase_if(date, [](std::string_view p) { return p.empty(); });
  if (date.size() >= 1 && !ParseInt(date[0], &id.time)) return Malformed("ident time", line);
  if (date.size() >= 2) {
    std::string_view tz = date[1];
    int64_t hhmm = 0;
    if (tz.size() != 5 || (tz[0] != '+' && tz[0] != '-') || !ParseInt(tz.substr(1), &hhmm)) {
      return Malformed("ident offset", line);
    }
    id.offset = std::string(tz);
    id.offset_minutes = static_cast<int>((hhmm / 100) * 60 + hhmm % 100) * (tz[0] == '-' ? -1 : 1);
  }
  return id;
}

Result<GitCommit> ParseCommitObject(std::string_view sha, std::string_view raw) {
  GitCommit commit;
  commit.sha = std::string(sha);
  size_t pos = 0;
  while (pos < raw.size() && raw[pos] != '\n') {
    size_t eol = raw.find('\n', pos);
    if (eol == std::string_view::npos) eol = raw.size();
    std::string_view line = raw.substr(pos, eol - pos);
    pos = eol + 1;
    size_t space = line.find(' ');
    if (line[0] == ' ' || space == std::string_view::npos) continue;  // continuation
    std::string_view key = line.substr(0, space), value = line.substr(space + 1);
    if (key == "tree") {
      commit.tree = std::string(value);
    } else if (key == "parent") {
      commit.parents.emplace_back(value);
    } else if (key == "author") {
      SEI_ASSIGN_OR_RETURN(commit.author, ParseIdent(value));
    } else if (key == "committer") {
      SEI_ASSIGN_OR_RETURN(commit.committer, ParseIdent(value));
    } else if (key == "encoding") {
      commit.encoding = std::string(value);
    }
  }
  if (commit.tree.empty()) return Malformed("commit without a tree", raw);
  if (pos < raw.size()) commit.message = std::string(raw.substr(pos + 1));
  return commit;
}

Result<std::map<std::string, std::vector<NumstatRow>>> ReadNumstat(
    const std::string& repo_dir, bool detect_renames, const std::vector<std::string>& revs) {
  SEI_ASSIGN_OR_RETURN(std::vector<LogEntry> entries,
                       RunNumstatLog(repo_dir, detect_renames, revs));
  std::map<std::string, std::vector<NumstatRow>> rows;
  for (LogEntry& e : entries) rows[e.sha] = std::move(e.files);
  return rows;
}

Result<std::vector<GitRef>> ReadRefs(const std::string& repo_dir) {
  SEI_ASSIGN_OR_RETURN(std::string out,
                       RunGit(repo_dir, {"for-each-ref",
                                         "--format=%(refname)%00%(objectname)%00%(objecttype)"
                                         "%00%(*objectname)%00%(symref)"}));
  std::vector<GitRef> refs;
  std::string peel_input;
  for (std::string_view line : Split(out, '\n')) {
    const std::string fields = std::string(line) + '\0';
    std::vector<std::string_view> f = Split(fields, '\0');
    while (f.size() < 5) f.emplace_back();
    if (f[0].empty() || f[1].empty()) return Malformed("for-each-ref", line);
    refs.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3]), "",
                    "", std::string(f[4])});
    peel_input += std::string(f[1]) + "^{}\n";
  }
  SEI_ASSIGN_OR_RETURN(
      std::string peeled,
      RunGit(repo_dir, {"cat-file", "--batch-check=%(objectname) %(objecttype)"}, peel_input));
  std::vector<std::string_view> lines = Split(peeled, '\n');
  if (lines.size() != refs.size()) return Malformed("peeled refs", peeled);
  for (size_t i = 0; i < refs.size(); ++i) {
    std::vector<std::string_view> f = Split(lines[i], ' ');
    if (f.size() != 2) return Malformed("peeled ref", lines[i]);
    refs[i].target = std::string(f[0]);
    refs[i].target_type = std::string(f[1]);
  }
  return refs;
}

Result<GitHistory> ReadGitHistory(const std::string& repo_dir) {
  GitHistory history;
  SEI_ASSIGN_OR_RETURN(std::vector<LogEntry> entries,
                       RunNumstatLog(repo_dir, false, {"--branches", "--tags"}));
  for (LogEntry& e : entries) {
    history.order.push_back(e.sha);
    GitCommit& c = history.commits[e.sha];
    c.sha = e.sha;
    c.parents = std::move(e.parents);
    c.files = std::move(e.files);
  }
  SEI_RETURN_IF_ERROR(ReadCommitObjects(repo_dir, &history));
  SEI_ASSIGN_OR_RETURN(history.refs, ReadRefs(repo_dir));
  SEI_ASSIGN_OR_RETURN(std::string ids, RunGit(repo_dir, {"rev-list", "--branches", "--tags"}));
  for (std::string_view id : Split(ids, '\n')) history.reachable.emplace(id);
  return history;
}

NumstatTotals Totals(const GitHistory& history) {
  NumstatTotals t;
  t.commits = static_cast<int64_t>(history.commits.size());
  for (const auto& [sha, commit] : history.commits) {
    for (const NumstatRow& row : commit.files) {
      ++t.rows;
      if (row.binary) ++t.binary_rows;
      t.added += row.added;
      t.deleted += row.deleted;
    }
  }
  return t;
}

}  // namespace sei::testing
