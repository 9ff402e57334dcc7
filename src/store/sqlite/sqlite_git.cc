// SqliteStore: git history (the collector's bulk-load path) and summaries.
#include <fmt/format.h>

#include <string_view>
#include <unordered_map>

#include "store/sqlite/sqlite_store.h"

namespace sei::sqlite {

namespace {

constexpr char kInsertCommit[] =
    "INSERT INTO commits (repo_pk, sha, tree_sha, author_name, author_email, author_time, "
    "author_tz, committer_name, committer_email, committer_time, committer_tz, message, "
    "parent_count, is_merge, files_changed, additions, deletions, reachable, "
    "author_account_id, committer_account_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
    "ON CONFLICT (repo_pk, sha) DO NOTHING";

constexpr char kInsertFile[] =
    "INSERT INTO commit_files (commit_pk, idx, path, path_bytes, old_path, change, added, "
    "deleted, is_binary, old_mode, new_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

// Week start (Monday 00:00 UTC) of a Unix time column, with floor division so
// instants before 1970 land in the right week.
constexpr char kWeekStartExpr[] =
    "(((t - ((t % 86400) + 86400) % 86400) / 86400 - "
    "((((t - ((t % 86400) + 86400) % 86400) / 86400 + 3) % 7) + 7) % 7) * 86400)";

}  // namespace

Result<int64_t> SqliteStore::RepoPk(const std::string& repo_id) {
  auto it = repo_pks_.find(repo_id);
  if (it != repo_pks_.end()) return it->second;
  SEI_ASSIGN_OR_RETURN(Stmt * stmt, Cached("repo_pk", "SELECT pk FROM repos WHERE id = ?"));
  stmt->BindText(1, repo_id);
  SEI_ASSIGN_OR_RETURN(bool found, stmt->Step());
  int64_t pk = found ? stmt->ColumnInt(0) : 0;
  stmt->Reset();
  if (!found) return NotFoundError(fmt::format("no repository {} in {}", repo_id, Describe()));
  repo_pks_.emplace(repo_id, pk);
  return pk;
}

Status SqliteStore::UpsertRepo(const model::Repo& repo) {
  std::vector<model::Row> rows = {model::ToRow(repo)};
  return UpsertRows(model::SpecOf<model::Repo>(), rows);
}

Result<std::optional<model::Repo>> SqliteStore::FindRepo(const std::string& repo_id) {
  ScanOptions options;
  options.where = {{"id", repo_id}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::Repo> repos, List<model::Repo>(options));
  if (repos.empty()) return std::optional<model::Repo>();
  return std::optional<model::Repo>(repos.front());
}

Result<std::vector<model::Ref>> SqliteStore::LoadRefs(const std::string& repo_id) {
  ScanOptions options;
  options.where = {{"repo_id", repo_id}};
  return List<model::Ref>(options);
}

Result<StoredGraph> SqliteStore::LoadCommitGraph(const std::string& repo_id) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  SEI_ASSIGN_OR_RETURN(Stmt stmt,
                       db_->Prepare("SELECT c.sha, c.reachable, p.parent_sha FROM commits c "
                                    "LEFT JOIN commit_parents p ON p.commit_pk = c.pk "
                                    "WHERE c.repo_pk = ? ORDER BY c.pk, p.ordinal"));
  stmt.BindInt(1, repo_pk);
  StoredGraph graph;
  std::string last_sha;
  StoredCommit* current = nullptr;
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    std::string sha = stmt.ColumnText(0);
    if (current == nullptr || sha != last_sha) {
      current = &graph[sha];
      current->reachable = stmt.ColumnInt(1) != 0;
      last_sha = sha;
    }
    if (!stmt.ColumnIsNull(2)) current->parents.push_back(stmt.ColumnText(2));
  }
  return graph;
}

Result<CommitWalkData> SqliteStore::LoadCommitWalk(const std::string& repo_id) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  CommitWalkData g;
  std::vector<int64_t> pks;
  std::unordered_map<std::string, int32_t> author_index;
  {
    SEI_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare("SELECT pk, sha, author_time, author_account_id, "
                                                 "parent_count FROM commits WHERE repo_pk = ? "
                                                 "ORDER BY pk"));
    stmt.BindInt(1, repo_pk);
    while (true) {
      SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      pks.push_back(stmt.ColumnInt(0));
      g.shas.push_back(stmt.ColumnText(1));
      g.author_times.push_back(stmt.ColumnInt(2));
      auto [it, added] =
          author_index.emplace(stmt.ColumnText(3), static_cast<int32_t>(g.author_accounts.size()));
      if (added) g.author_accounts.push_back(it->first);
      g.authors.push_back(it->second);
      g.parent_counts.push_back(static_cast<int32_t>(stmt.ColumnInt(4)));
    }
  }
  std::unordered_map<std::string_view, int32_t> index;
  index.reserve(g.shas.size());
  for (size_t i = 0; i < g.shas.size(); ++i) index.emplace(g.shas[i], static_cast<int32_t>(i));
  g.parent_begin.assign(g.shas.size() + 1, 0);
  SEI_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare("SELECT p.commit_pk, p.parent_sha FROM "
                                               "commit_parents p JOIN commits c ON c.pk = "
                                               "p.commit_pk WHERE c.repo_pk = ? ORDER BY "
                                               "p.commit_pk, p.ordinal"));
  stmt.BindInt(1, repo_pk);
  size_t at = 0;  // index of the commit the current parent row belongs to
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    const int64_t pk = stmt.ColumnInt(0);
    while (at < pks.size() && pks[at] < pk) {
      g.parent_begin[++at] = static_cast<uint32_t>(g.parents.size());
    }
    if (at >= pks.size() || pks[at] != pk) continue;  // not a commit of this repo
    auto it = index.find(stmt.ColumnText(1));
    if (it != index.end()) g.parents.push_back(it->second);
  }
  while (at < pks.size()) g.parent_begin[++at] = static_cast<uint32_t>(g.parents.size());
  return g;
}

Status SqliteStore::InsertCommit(int64_t repo_pk, const CommitRecord& r) {
  SEI_ASSIGN_OR_RETURN(Stmt * ins, Cached("commit", kInsertCommit));
  const model::Commit& c = r.commit;
  ins->BindInt(1, repo_pk);
  ins->BindText(2, c.sha, false);
  ins->BindText(3, c.tree_sha, false);
  ins->BindText(4, c.author_name, false);
  ins->BindText(5, c.author_email, false);
  ins->BindInt(6, c.author_time);
  ins->BindInt(7, c.author_tz);
  ins->BindText(8, c.committer_name, false);
  ins->BindText(9, c.committer_email, false);
  ins->BindInt(10, c.committer_time);
  ins->BindInt(11, c.committer_tz);
  ins->BindText(12, c.message, false);
  ins->BindInt(13, c.parent_count);
  ins->BindInt(14, c.is_merge ? 1 : 0);
  ins->BindInt(15, c.files_changed);
  ins->BindInt(16, c.additions);
  ins->BindInt(17, c.deletions);
  ins->BindText(18, c.author_account_id, false);
  ins->BindText(19, c.committer_account_id, false);
  SEI_RETURN_IF_ERROR(ins->Run());
  if (db_->Changes() == 0) return Status::Ok();  // already stored: idempotent
  int64_t commit_pk = db_->LastInsertRowId();

  SEI_ASSIGN_OR_RETURN(Stmt * par, Cached("parent",
                                          "INSERT INTO commit_parents (commit_pk, "
                                          "ordinal, parent_sha) VALUES (?, ?, ?)"));
  for (size_t i = 0; i < r.parents.size(); ++i) {
    par->BindInt(1, commit_pk);
    par->BindInt(2, static_cast<int64_t>(i));
    par->BindText(3, r.parents[i], false);
    SEI_RETURN_IF_ERROR(par->Run());
  }
  SEI_ASSIGN_OR_RETURN(Stmt * file, Cached("file", kInsertFile));
  for (size_t i = 0; i < r.files.size(); ++i) {
    const model::CommitFile& f = r.files[i];
    file->BindInt(1, commit_pk);
    file->BindInt(2, f.idx);
    file->BindText(3, f.path, false);
    if (f.path_bytes) {
      file->BindBlob(4, *f.path_bytes, false);
    } else {
      file->BindNull(4);
    }
    file->BindOptText(5, f.old_path);
    file->BindText(6, f.change, false);
    file->BindOptInt(7, f.added);
    file->BindOptInt(8, f.deleted);
    file->BindInt(9, f.is_binary ? 1 : 0);
    file->BindInt(10, f.old_mode);
    file->BindInt(11, f.new_mode);
    SEI_RETURN_IF_ERROR(file->Run());
  }
  return Status::Ok();
}

Status SqliteStore::WriteCommits(const std::string& repo_id,
                                 const std::vector<CommitRecord>& batch) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  return InTransaction(db_.get(), [&]() -> Status {
    for (const CommitRecord& r : batch) {
      Status s = InsertCommit(repo_pk, r);
      if (!s.ok()) return s.WithContext("storing commit " + r.commit.sha);
    }
    return Status::Ok();
  });
}

Status SqliteStore::ReplaceRefs(int64_t repo_pk, const std::vector<model::Ref>& refs) {
  SEI_ASSIGN_OR_RETURN(Stmt del, db_->Prepare("DELETE FROM refs WHERE repo_pk = ?"));
  del.BindInt(1, repo_pk);
  SEI_RETURN_IF_ERROR(del.Run());
  SEI_ASSIGN_OR_RETURN(
      Stmt ins, db_->Prepare("INSERT INTO refs (repo_pk, name, kind, target_sha, target_type, "
                             "commit_sha, tag_message, tagger_name, tagger_email, tagged_at, "
                             "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const model::Ref& r : refs) {
    ins.BindInt(1, repo_pk);
    ins.BindText(2, r.name);
    ins.BindText(3, r.kind);
    ins.BindText(4, r.target_sha);
    ins.BindText(5, r.target_type);
    ins.BindOptText(6, r.commit_sha);
    ins.BindOptText(7, r.tag_message);
    ins.BindOptText(8, r.tagger_name);
    ins.BindOptText(9, r.tagger_email);
    ins.BindOptInt(10, r.tagged_at);
    ins.BindInt(11, r.updated_at);
    SEI_RETURN_IF_ERROR(ins.Run());
  }
  return Status::Ok();
}

Status SqliteStore::SetReachable(int64_t repo_pk, const std::vector<std::string>& shas,
                                 bool reachable, int64_t when) {
  SEI_ASSIGN_OR_RETURN(Stmt stmt, db_->Prepare("UPDATE commits SET reachable = ?, "
                                               "unreachable_since = ? WHERE repo_pk = ? AND "
                                               "sha = ?"));
  for (const std::string& sha : shas) {
    stmt.BindInt(1, reachable ? 1 : 0);
    if (reachable) {
      stmt.BindNull(2);
    } else {
      stmt.BindInt(2, when);
    }
    stmt.BindInt(3, repo_pk);
    stmt.BindText(4, sha);
    SEI_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

Status SqliteStore::UpsertGitAccounts(int64_t repo_pk, const std::string& connection_id) {
  SEI_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_->Prepare(
          "INSERT INTO accounts (id, connection_id, source, email, name, is_bot, first_seen_at, "
          "last_seen_at) "
          "SELECT id, ?1, 'git', min(email), max(name), 0, min(t), max(t) FROM ("
          " SELECT author_account_id AS id, author_email AS email, author_name AS name, "
          "  author_time AS t FROM commits WHERE repo_pk = ?2"
          " UNION ALL SELECT committer_account_id, committer_email, committer_name, "
          "  committer_time FROM commits WHERE repo_pk = ?2) WHERE true GROUP BY id "
          "ON CONFLICT (id) DO UPDATE SET "
          " first_seen_at = min(coalesce(first_seen_at, excluded.first_seen_at), "
          "excluded.first_seen_at), "
          " last_seen_at = max(coalesce(last_seen_at, excluded.last_seen_at), "
          "excluded.last_seen_at)"));
  // Numbered: a bare `?` before `?1` would be parameter 1 too (an earlier
  // version matched authors against the connection id and counted
  // committers only).
  stmt.BindText(1, connection_id);
  stmt.BindInt(2, repo_pk);
  return stmt.Run();
}

Status SqliteStore::FinishGitSync(const GitSyncUpdate& u) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(u.repo_id));
  return InTransaction(db_.get(), [&]() -> Status {
    SEI_RETURN_IF_ERROR(ReplaceRefs(repo_pk, u.refs));
    SEI_RETURN_IF_ERROR(SetReachable(repo_pk, u.now_unreachable, false, u.collected_at));
    SEI_RETURN_IF_ERROR(SetReachable(repo_pk, u.reachable_again, true, u.collected_at));
    SEI_RETURN_IF_ERROR(UpsertGitAccounts(repo_pk, u.sync_state.connection_id));
    SEI_ASSIGN_OR_RETURN(Stmt upd, db_->Prepare("UPDATE repos SET collected_at = ? WHERE pk = ?"));
    upd.BindInt(1, u.collected_at);
    upd.BindInt(2, repo_pk);
    SEI_RETURN_IF_ERROR(upd.Run());
    std::vector<model::Row> rows = {model::ToRow(u.sync_state)};
    SEI_ASSIGN_OR_RETURN(
        Stmt * sync, Cached("upsert:sync_state",
                            "INSERT INTO sync_state (connection_id, scope, entity, cursor, etag, "
                            "status, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                            "ON CONFLICT (connection_id, scope, entity) DO UPDATE SET "
                            "cursor = excluded.cursor, etag = excluded.etag, status = "
                            "excluded.status, last_error = excluded.last_error, updated_at = "
                            "excluded.updated_at"));
    for (size_t i = 0; i < rows[0].size(); ++i)
      sync->BindValue(static_cast<int>(i) + 1, rows[0][i]);
    return sync->Run();
  });
}

Result<std::vector<RepoSummary>> SqliteStore::RepoSummaries() {
  SEI_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_->Prepare(
          "SELECT r.id, r.name, r.location, r.collected_at, "
          " count(c.pk) FILTER (WHERE c.reachable = 1), "
          " count(c.pk) FILTER (WHERE c.reachable = 0), "
          " count(c.pk) FILTER (WHERE c.reachable = 1 AND c.is_merge = 1), "
          " count(DISTINCT c.author_account_id) FILTER (WHERE c.reachable = 1), "
          " coalesce(sum(c.additions) FILTER (WHERE c.reachable = 1 AND c.is_merge = 0), 0), "
          " coalesce(sum(c.deletions) FILTER (WHERE c.reachable = 1 AND c.is_merge = 0), 0), "
          " coalesce(min(c.author_time) FILTER (WHERE c.reachable = 1), 0), "
          " coalesce(max(c.author_time) FILTER (WHERE c.reachable = 1), 0) "
          "FROM repos r LEFT JOIN commits c ON c.repo_pk = r.pk GROUP BY r.pk ORDER BY r.id"));
  std::vector<RepoSummary> out;
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    RepoSummary s;
    s.repo_id = stmt.ColumnText(0);
    s.name = stmt.ColumnText(1);
    s.location = stmt.ColumnText(2);
    if (!stmt.ColumnIsNull(3)) s.collected_at = stmt.ColumnInt(3);
    s.commits = stmt.ColumnInt(4);
    s.unreachable_commits = stmt.ColumnInt(5);
    s.merges = stmt.ColumnInt(6);
    s.authors = stmt.ColumnInt(7);
    s.additions = stmt.ColumnInt(8);
    s.deletions = stmt.ColumnInt(9);
    s.first_commit_at = stmt.ColumnInt(10);
    s.last_commit_at = stmt.ColumnInt(11);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<WeekActivity>> SqliteStore::WeeklyActivity(const std::string& repo_id,
                                                              int64_t since) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  SEI_ASSIGN_OR_RETURN(
      Stmt stmt,
      db_->Prepare(fmt::format(
          "SELECT w, count(*), count(DISTINCT a), "
          " coalesce(sum(add_) FILTER (WHERE m = 0), 0), coalesce(sum(del_) FILTER (WHERE m = 0), "
          "0) "
          "FROM (SELECT {} AS w, author_account_id AS a, additions AS add_, deletions AS del_, "
          "  is_merge AS m FROM (SELECT *, author_time AS t FROM commits "
          "  WHERE repo_pk = ? AND reachable = 1 AND author_time >= ?)) "
          "GROUP BY w ORDER BY w",
          kWeekStartExpr)));
  stmt.BindInt(1, repo_pk);
  stmt.BindInt(2, since);
  std::vector<WeekActivity> out;
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.push_back({stmt.ColumnInt(0), stmt.ColumnInt(1), stmt.ColumnInt(2), stmt.ColumnInt(3),
                   stmt.ColumnInt(4)});
  }
  return out;
}

Result<std::vector<FileChurn>> SqliteStore::TopFilesByChurn(const std::string& repo_id,
                                                            int64_t limit) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  SEI_ASSIGN_OR_RETURN(
      Stmt stmt, db_->Prepare("SELECT f.path, count(*), sum(f.added), sum(f.deleted), "
                              " count(DISTINCT c.author_account_id) "
                              "FROM commit_files f JOIN commits c ON c.pk = f.commit_pk "
                              "WHERE c.repo_pk = ? AND c.reachable = 1 AND c.is_merge = 0 "
                              " AND f.is_binary = 0 "
                              "GROUP BY f.path ORDER BY sum(f.added) + sum(f.deleted) DESC, f.path "
                              "LIMIT ?"));
  stmt.BindInt(1, repo_pk);
  stmt.BindInt(2, limit);
  std::vector<FileChurn> out;
  while (true) {
    SEI_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.push_back({stmt.ColumnText(0), stmt.ColumnInt(1), stmt.ColumnInt(2), stmt.ColumnInt(3),
                   stmt.ColumnInt(4)});
  }
  return out;
}

}  // namespace sei::sqlite
