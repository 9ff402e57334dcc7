// PostgresStore: git history (the collector's bulk-load path) and summaries.
//
// WriteCommits loads a batch in a fixed number of round trips whatever its
// size: lock the repository's row (writers of one repository take turns),
// ask which of the batch's commits are stored already, reserve keys for the
// new ones from the commits' identity sequence, and COPY commits, parents
// and files. Keys taken in batch order keep `ORDER BY pk` the storage order
// LoadCommitWalk relies on, as SQLite's rowids do.
#include <fmt/format.h>

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "store/postgres/postgres_store.h"

namespace sei::pg {

namespace {

// Week start (Monday 00:00 UTC) of a Unix time column, with floor division so
// instants before 1970 land in the right week (as the SQLite store's).
constexpr char kWeekStartExpr[] =
    "(((t - ((t % 86400) + 86400) % 86400) / 86400 - "
    "((((t - ((t % 86400) + 86400) % 86400) / 86400 + 3) % 7) + 7) % 7) * 86400)";

}  // namespace

Result<int64_t> PostgresStore::RepoPk(const std::string& repo_id) {
  auto it = repo_pks_.find(repo_id);
  if (it != repo_pks_.end()) return it->second;
  SEI_ASSIGN_OR_RETURN(Rows rows,
                       conn_->Query("SELECT pk FROM repos WHERE id = $1", Params().Text(repo_id)));
  if (rows.size() == 0) {
    return NotFoundError(fmt::format("no repository {} in {}", repo_id, Describe()));
  }
  repo_pks_.emplace(repo_id, rows.Int(0, 0));
  return rows.Int(0, 0);
}

Status PostgresStore::UpsertRepo(const model::Repo& repo) {
  std::vector<model::Row> rows = {model::ToRow(repo)};
  return UpsertRows(model::SpecOf<model::Repo>(), rows);
}

Result<std::optional<model::Repo>> PostgresStore::FindRepo(const std::string& repo_id) {
  ScanOptions options;
  options.where = {{"id", repo_id}};
  SEI_ASSIGN_OR_RETURN(std::vector<model::Repo> repos, List<model::Repo>(options));
  if (repos.empty()) return std::optional<model::Repo>();
  return std::optional<model::Repo>(repos.front());
}

Result<std::vector<model::Ref>> PostgresStore::LoadRefs(const std::string& repo_id) {
  ScanOptions options;
  options.where = {{"repo_id", repo_id}};
  return List<model::Ref>(options);
}

Result<StoredGraph> PostgresStore::LoadCommitGraph(const std::string& repo_id) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  StoredGraph graph;
  std::string last_sha;
  StoredCommit* current = nullptr;
  SEI_RETURN_IF_ERROR(
      ForEachRow("SELECT c.sha, c.reachable, p.parent_sha FROM commits c "
                 "LEFT JOIN commit_parents p ON p.commit_pk = c.pk "
                 "WHERE c.repo_pk = $1 ORDER BY c.pk, p.ordinal",
                 Params().Int(repo_pk), [&](const Rows& rows, int r) {
                   std::string sha = rows.String(r, 0);
                   if (current == nullptr || sha != last_sha) {
                     current = &graph[sha];
                     current->reachable = rows.Int(r, 1) != 0;
                     last_sha = std::move(sha);
                   }
                   if (!rows.IsNull(r, 2)) current->parents.push_back(rows.String(r, 2));
                   return Status::Ok();
                 }));
  return graph;
}

Result<CommitWalkData> PostgresStore::LoadCommitWalk(const std::string& repo_id) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  CommitWalkData g;
  std::vector<int64_t> pks;
  std::unordered_map<std::string, int32_t> author_index;
  SEI_RETURN_IF_ERROR(ForEachRow(
      "SELECT pk, sha, author_time, author_account_id, parent_count FROM commits "
      "WHERE repo_pk = $1 ORDER BY pk",
      Params().Int(repo_pk), [&](const Rows& rows, int r) {
        pks.push_back(rows.Int(r, 0));
        g.shas.push_back(rows.String(r, 1));
        g.author_times.push_back(rows.Int(r, 2));
        auto [it, added] =
            author_index.emplace(rows.String(r, 3), static_cast<int32_t>(g.author_accounts.size()));
        if (added) g.author_accounts.push_back(it->first);
        g.authors.push_back(it->second);
        g.parent_counts.push_back(static_cast<int32_t>(rows.Int(r, 4)));
        return Status::Ok();
      }));
  std::unordered_map<std::string_view, int32_t> index;
  index.reserve(g.shas.size());
  for (size_t i = 0; i < g.shas.size(); ++i) index.emplace(g.shas[i], static_cast<int32_t>(i));
  g.parent_begin.assign(g.shas.size() + 1, 0);
  size_t at = 0;  // index of the commit the current parent row belongs to
  SEI_RETURN_IF_ERROR(
      ForEachRow("SELECT p.commit_pk, p.parent_sha FROM commit_parents p JOIN commits c ON c.pk = "
                 "p.commit_pk WHERE c.repo_pk = $1 ORDER BY p.commit_pk, p.ordinal",
                 Params().Int(repo_pk), [&](const Rows& rows, int r) {
                   const int64_t pk = rows.Int(r, 0);
                   while (at < pks.size() && pks[at] < pk) {
                     g.parent_begin[++at] = static_cast<uint32_t>(g.parents.size());
                   }
                   if (at >= pks.size() || pks[at] != pk) return Status::Ok();  // not this repo's
                   auto it = index.find(rows.String(r, 1));
                   if (it != index.end()) g.parents.push_back(it->second);
                   return Status::Ok();
                 }));
  while (at < pks.size()) g.parent_begin[++at] = static_cast<uint32_t>(g.parents.size());
  return g;
}

Result<std::vector<const CommitRecord*>> PostgresStore::NewCommits(
    int64_t repo_pk, const std::vector<CommitRecord>& batch) {
  std::vector<std::string> shas;
  shas.reserve(batch.size());
  for (const CommitRecord& r : batch) shas.push_back(r.commit.sha);
  SEI_ASSIGN_OR_RETURN(Rows stored,
                       conn_->Query("SELECT sha FROM commits WHERE repo_pk = $1 AND sha = "
                                    "ANY($2::text[])",
                                    Params().Int(repo_pk).Text(TextArray(shas))));
  std::unordered_set<std::string> seen;
  for (int i = 0; i < stored.size(); ++i) seen.insert(stored.String(i, 0));
  std::vector<const CommitRecord*> fresh;
  // Already stored, or twice in the batch: the first one wins (idempotent).
  for (const CommitRecord& r : batch) {
    if (seen.insert(r.commit.sha).second) fresh.push_back(&r);
  }
  return fresh;
}

Status PostgresStore::InsertNewCommits(int64_t repo_pk,
                                       const std::vector<const CommitRecord*>& records) {
  SEI_ASSIGN_OR_RETURN(Rows keys,
                       conn_->Query("SELECT nextval(pg_get_serial_sequence('commits', 'pk')) FROM "
                                    "generate_series(1, $1) ORDER BY 1",
                                    Params().Int(static_cast<int64_t>(records.size()))));
  if (keys.size() != static_cast<int>(records.size())) {
    return InternalError("the commits' sequence gave fewer keys than asked");
  }
  CopyBuffer commits, parents, files;
  for (size_t i = 0; i < records.size(); ++i) {
    const CommitRecord& r = *records[i];
    const model::Commit& c = r.commit;
    const int64_t pk = keys.Int(static_cast<int>(i), 0);
    commits.Int(pk).Int(repo_pk).Text(c.sha).Text(c.tree_sha).Text(c.author_name);
    commits.Text(c.author_email).Int(c.author_time).Int(c.author_tz).Text(c.committer_name);
    commits.Text(c.committer_email).Int(c.committer_time).Int(c.committer_tz).Text(c.message);
    commits.Int(c.parent_count).Bool(c.is_merge).Int(c.files_changed).Int(c.additions);
    commits.Int(c.deletions).Bool(true).Text(c.author_account_id).Text(c.committer_account_id);
    commits.EndRow();
    for (size_t p = 0; p < r.parents.size(); ++p) {
      parents.Int(pk).Int(static_cast<int64_t>(p)).Text(r.parents[p]);
      parents.EndRow();
    }
    for (const model::CommitFile& f : r.files) {
      files.Int(pk).Int(f.idx).Text(f.path);
      if (f.path_bytes) {
        files.Bytes(*f.path_bytes);
      } else {
        files.Null();
      }
      files.OptText(f.old_path).Text(f.change).OptInt(f.added).OptInt(f.deleted);
      files.Bool(f.is_binary).Int(f.old_mode).Int(f.new_mode);
      files.EndRow();
    }
  }
  SEI_RETURN_IF_ERROR(conn_->CopyIn(
      "COPY commits (pk, repo_pk, sha, tree_sha, author_name, author_email, author_time, "
      "author_tz, committer_name, committer_email, committer_time, committer_tz, message, "
      "parent_count, is_merge, files_changed, additions, deletions, reachable, "
      "author_account_id, committer_account_id) FROM STDIN",
      commits));
  SEI_RETURN_IF_ERROR(
      conn_->CopyIn("COPY commit_parents (commit_pk, ordinal, parent_sha) FROM STDIN", parents));
  return conn_->CopyIn(
      "COPY commit_files (commit_pk, idx, path, path_bytes, old_path, change, added, deleted, "
      "is_binary, old_mode, new_mode) FROM STDIN",
      files);
}

Status PostgresStore::WriteCommits(const std::string& repo_id,
                                   const std::vector<CommitRecord>& batch) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  if (batch.empty()) return Status::Ok();
  Status s = InTransaction(true, [&]() -> Status {
    // Concurrent writers of one repository wait here, then see each
    // other's commits as stored.
    SEI_RETURN_IF_ERROR(
        conn_->Run("SELECT pk FROM repos WHERE pk = $1 FOR NO KEY UPDATE", Params().Int(repo_pk)));
    SEI_ASSIGN_OR_RETURN(std::vector<const CommitRecord*> fresh, NewCommits(repo_pk, batch));
    if (fresh.empty()) return Status::Ok();
    return InsertNewCommits(repo_pk, fresh);
  });
  if (!s.ok()) {
    return s.WithContext(
        fmt::format("storing {} commits from {}", batch.size(), batch.front().commit.sha));
  }
  return s;
}

Status PostgresStore::ReplaceRefs(int64_t repo_pk, const std::vector<model::Ref>& refs) {
  SEI_RETURN_IF_ERROR(conn_->Run("DELETE FROM refs WHERE repo_pk = $1", Params().Int(repo_pk)));
  CopyBuffer rows;
  for (const model::Ref& r : refs) {
    rows.Int(repo_pk).Text(r.name).Text(r.kind).Text(r.target_sha).Text(r.target_type);
    rows.OptText(r.commit_sha).OptText(r.tag_message).OptText(r.tagger_name);
    rows.OptText(r.tagger_email).OptInt(r.tagged_at).Int(r.updated_at);
    rows.EndRow();
  }
  return conn_->CopyIn(
      "COPY refs (repo_pk, name, kind, target_sha, target_type, commit_sha, tag_message, "
      "tagger_name, tagger_email, tagged_at, updated_at) FROM STDIN",
      rows);
}

Status PostgresStore::SetReachable(int64_t repo_pk, const std::vector<std::string>& shas,
                                   bool reachable, int64_t when) {
  if (shas.empty()) return Status::Ok();
  Params params;
  params.Bool(reachable);
  if (reachable) {
    params.Null();
  } else {
    params.Int(when);
  }
  params.Int(repo_pk).Text(TextArray(shas));
  return conn_->Run(
      "UPDATE commits SET reachable = $1, unreachable_since = $2 WHERE repo_pk = $3 AND sha = "
      "ANY($4::text[])",
      params);
}

Status PostgresStore::UpsertGitAccounts(int64_t repo_pk, const std::string& connection_id) {
  return conn_->Run(
      "INSERT INTO accounts (id, connection_id, source, email, name, is_bot, first_seen_at, "
      "last_seen_at) "
      "SELECT id, $1, 'git', min(email), max(name), false, min(t), max(t) FROM ("
      " SELECT author_account_id AS id, author_email AS email, author_name AS name, "
      "  author_time AS t FROM commits WHERE repo_pk = $2"
      " UNION ALL SELECT committer_account_id, committer_email, committer_name, "
      "  committer_time FROM commits WHERE repo_pk = $2) u GROUP BY id "
      "ON CONFLICT (id) DO UPDATE SET "
      " first_seen_at = least(coalesce(accounts.first_seen_at, excluded.first_seen_at), "
      "excluded.first_seen_at), "
      " last_seen_at = greatest(coalesce(accounts.last_seen_at, excluded.last_seen_at), "
      "excluded.last_seen_at)",
      Params().Text(connection_id).Int(repo_pk));
}

Status PostgresStore::FinishGitSync(const GitSyncUpdate& u) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(u.repo_id));
  return InTransaction(true, [&]() -> Status {
    SEI_RETURN_IF_ERROR(ReplaceRefs(repo_pk, u.refs));
    SEI_RETURN_IF_ERROR(SetReachable(repo_pk, u.now_unreachable, false, u.collected_at));
    SEI_RETURN_IF_ERROR(SetReachable(repo_pk, u.reachable_again, true, u.collected_at));
    SEI_RETURN_IF_ERROR(UpsertGitAccounts(repo_pk, u.sync_state.connection_id));
    SEI_RETURN_IF_ERROR(conn_->Run("UPDATE repos SET collected_at = $1 WHERE pk = $2",
                                   Params().Int(u.collected_at).Int(repo_pk)));
    return UpsertInTransaction(model::SpecOf<model::SyncState>(), {model::ToRow(u.sync_state)});
  });
}

Result<std::vector<RepoSummary>> PostgresStore::RepoSummaries() {
  SEI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_->Query(
          "SELECT r.id, r.name, r.location, r.collected_at, "
          " count(c.pk) FILTER (WHERE c.reachable), "
          " count(c.pk) FILTER (WHERE NOT c.reachable), "
          " count(c.pk) FILTER (WHERE c.reachable AND c.is_merge), "
          " count(DISTINCT c.author_account_id) FILTER (WHERE c.reachable), "
          " coalesce(sum(c.additions) FILTER (WHERE c.reachable AND NOT c.is_merge), 0), "
          " coalesce(sum(c.deletions) FILTER (WHERE c.reachable AND NOT c.is_merge), 0), "
          " coalesce(min(c.author_time) FILTER (WHERE c.reachable), 0), "
          " coalesce(max(c.author_time) FILTER (WHERE c.reachable), 0) "
          "FROM repos r LEFT JOIN commits c ON c.repo_pk = r.pk GROUP BY r.pk ORDER BY r.id"));
  std::vector<RepoSummary> out;
  for (int i = 0; i < rows.size(); ++i) {
    RepoSummary s;
    s.repo_id = rows.String(i, 0);
    s.name = rows.String(i, 1);
    s.location = rows.String(i, 2);
    if (!rows.IsNull(i, 3)) s.collected_at = rows.Int(i, 3);
    s.commits = rows.Int(i, 4);
    s.unreachable_commits = rows.Int(i, 5);
    s.merges = rows.Int(i, 6);
    s.authors = rows.Int(i, 7);
    s.additions = rows.Int(i, 8);
    s.deletions = rows.Int(i, 9);
    s.first_commit_at = rows.Int(i, 10);
    s.last_commit_at = rows.Int(i, 11);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<WeekActivity>> PostgresStore::WeeklyActivity(const std::string& repo_id,
                                                                int64_t since) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  SEI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_->Query(fmt::format("SELECT w, count(*), count(DISTINCT a), "
                               " coalesce(sum(add_) FILTER (WHERE NOT m), 0), "
                               " coalesce(sum(del_) FILTER (WHERE NOT m), 0) "
                               "FROM (SELECT {} AS w, author_account_id AS a, additions AS add_, "
                               "  deletions AS del_, is_merge AS m FROM (SELECT *, author_time "
                               "  AS t FROM commits WHERE repo_pk = $1 AND reachable AND "
                               "  author_time >= $2) c) w GROUP BY w ORDER BY w",
                               kWeekStartExpr),
                   Params().Int(repo_pk).Int(since)));
  std::vector<WeekActivity> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows.Int(i, 0), rows.Int(i, 1), rows.Int(i, 2), rows.Int(i, 3), rows.Int(i, 4)});
  }
  return out;
}

Result<std::vector<FileChurn>> PostgresStore::TopFilesByChurn(const std::string& repo_id,
                                                              int64_t limit) {
  SEI_ASSIGN_OR_RETURN(int64_t repo_pk, RepoPk(repo_id));
  // NULLS LAST: SQLite sorts a NULL sum below every number.
  SEI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_->Query("SELECT f.path, count(*), sum(f.added), sum(f.deleted), "
                   " count(DISTINCT c.author_account_id) "
                   "FROM commit_files f JOIN commits c ON c.pk = f.commit_pk "
                   "WHERE c.repo_pk = $1 AND c.reachable AND NOT c.is_merge AND NOT f.is_binary "
                   "GROUP BY f.path ORDER BY sum(f.added) + sum(f.deleted) DESC NULLS LAST, "
                   "f.path LIMIT $2",
                   Params().Int(repo_pk).Int(limit)));
  std::vector<FileChurn> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back(
        {rows.String(i, 0), rows.Int(i, 1), rows.Int(i, 2), rows.Int(i, 3), rows.Int(i, 4)});
  }
  return out;
}

}  // namespace sei::pg
