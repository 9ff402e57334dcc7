// FillEveryTable: puts rows into every table of the registry through the
// Store's ordinary writes, with the values that break a naive copy (tabs,
// newlines, backslashes and non-ASCII text; bytes that are not UTF-8 and a
// NUL in BLOB columns; large and negative integers; doubles that print
// inexactly; NULLs), so that copy tests (sei migrate) can check that every
// table arrives whole. Git history goes through the bulk path (a merge, a
// file with non-UTF-8 path bytes, a commit made unreachable, a tag);
// tables keyed by a store-assigned id through AppendRow (ArchiveRaw for the
// archive); every other table through UpsertRows. A table that none of
// these can fill fails the test that asks, naming it.
//
// Header-only, as store_backends.h: a test using it links the stores.
//
// Thread safety: the store's.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/meta.h"
#include "model/registry.h"
#include "store/store.h"

namespace sei::testing {

inline model::Value FillValue(const model::TableSpec& spec, const model::Column& column, int i) {
  if (column.nullable && i == 1) return model::Value{};
  switch (column.type) {
    case model::ColumnType::kInteger:
      return static_cast<int64_t>(i == 2 ? -5 : 1'700'000'000'000 + i);
    case model::ColumnType::kReal:
      return i == 2 ? 1e-300 : 0.1 + i;
    case model::ColumnType::kBoolean:
      return static_cast<int64_t>(i % 2);
    case model::ColumnType::kText:
      break;
  }
  return spec.table + "." + column.name + " #" + std::to_string(i) +
         (i == 0 ? " tab\there\nnew line \\ back\\slash Zoltán 漢字" : "");
}

inline model::Row FillRow(const model::TableSpec& spec, int i) {
  model::Row row;
  for (const model::Column& c : spec.columns) row.push_back(FillValue(spec, c, i));
  return row;
}

inline CommitRecord FillCommit(const std::string& repo_id, const std::string& sha,
                               std::vector<std::string> parents, int64_t time) {
  CommitRecord r;
  model::Commit& c = r.commit;
  c.repo_id = repo_id;
  c.sha = sha;
  c.tree_sha = std::string(40, 'e');
  c.author_name = "Zoltán\tKovács";
  c.author_email = "zk@example.com";
  c.author_time = time;
  c.author_tz = -420;
  c.committer_name = "Ann";
  c.committer_email = "ann@example.com";
  c.committer_time = time + 60;
  c.committer_tz = 120;
  c.message = "subject\n\nbody with \\ and\ttab";
  c.parent_count = static_cast<int64_t>(parents.size());
  c.is_merge = parents.size() > 1;
  c.author_account_id = "git:local:account:zk@example.com";
  c.committer_account_id = "git:local:account:ann@example.com";
  r.parents = std::move(parents);
  model::CommitFile text;
  text.repo_id = repo_id;
  text.sha = sha;
  text.idx = 0;
  text.path = "src/a b.txt";
  text.change = "M";
  text.added = 3;
  text.deleted = 1;
  text.old_mode = text.new_mode = 0100644;
  model::CommitFile odd = text;
  odd.idx = 1;
  odd.path = "caf\xc3\xa9-latin1";
  odd.path_bytes = std::string("caf\xe9\0z", 6);  // not UTF-8, with a NUL
  odd.change = "A";
  odd.old_mode = 0;
  odd.added.reset();
  odd.deleted.reset();
  odd.is_binary = true;
  r.files = {text, odd};
  c.files_changed = 2;
  c.additions = 3;
  c.deletions = 1;
  return r;
}

// The git tables: one repository, four commits (a merge; one made
// unreachable), two refs.
inline void FillGit(Store& store) {
  model::Repo repo;
  repo.id = "git:local:repo:/srv/a\tb";
  repo.connection_id = "git:local";
  repo.name = "a b";
  repo.location = "/srv/a\tb";
  repo.default_branch = "main";
  ASSERT_TRUE(store.UpsertRepo(repo).ok());
  const std::string a(40, 'a'), b(40, 'b'), c(40, 'c'), d(40, 'd');
  // Stored in an order that is not the shas' order (storage order matters).
  std::vector<CommitRecord> batch = {
      FillCommit(repo.id, c, {}, 1'600'000'000), FillCommit(repo.id, a, {c}, 1'600'000'100),
      FillCommit(repo.id, d, {c}, 1'600'000'200), FillCommit(repo.id, b, {a, d}, 1'600'000'300)};
  ASSERT_TRUE(store.WriteCommits(repo.id, batch).ok());
  GitSyncUpdate u;
  u.repo_id = repo.id;
  model::Ref main;
  main.repo_id = repo.id;
  main.name = "refs/heads/main";
  main.kind = "branch";
  main.target_sha = b;
  main.target_type = "commit";
  main.commit_sha = b;
  main.updated_at = 1'600'000'400;
  model::Ref tag = main;
  tag.name = "refs/tags/v1.0";
  tag.kind = "tag";
  tag.target_sha = std::string(40, 'f');
  tag.target_type = "tag";
  tag.tag_message = "release\n";
  tag.tagger_name = "Ann";
  tag.tagged_at = 1'600'000'350;
  u.refs = {main, tag};
  u.collected_at = 1'600'000'500;
  u.sync_state.connection_id = "git:local";
  u.sync_state.scope = repo.id;
  u.sync_state.entity = "git";
  u.sync_state.cursor = "tips";
  u.sync_state.status = "complete";
  u.sync_state.updated_at = 1'600'000'500;
  ASSERT_TRUE(store.FinishGitSync(u).ok());
  u.refs = {tag};
  u.now_unreachable = {b};
  u.collected_at = 1'600'000'600;
  ASSERT_TRUE(store.FinishGitSync(u).ok());
  u.refs = {main, tag};
  u.now_unreachable.clear();
  ASSERT_TRUE(store.FinishGitSync(u).ok());
  u.now_unreachable = {d};  // stays unreachable
  ASSERT_TRUE(store.FinishGitSync(u).ok());
}

// Three rows (two for git) in every table of the registry; the ids the
// store assigns are 1, 2, 3.
inline void FillEveryTable(Store& store) {
  FillGit(store);
  for (const model::TableSpec* spec : model::AllSpecs()) {
    auto count = store.CountRows(*spec, {});
    ASSERT_TRUE(count.ok()) << spec->table;
    if (*count > 0) continue;
    for (int i = 0; i < 3; ++i) {
      model::Row row = FillRow(*spec, i);
      if (spec == &model::SpecOf<model::RawPayload>()) {
        auto payload = model::FromRow<model::RawPayload>(row);
        ASSERT_TRUE(payload.ok());
        payload->body = std::string("{\"n\":1}\0\xff\xfe\n\\", 12);
        ASSERT_TRUE(store.ArchiveRaw(*payload).ok());
      } else if (spec->writable) {
        Status s = store.UpsertRows(*spec, {row});
        ASSERT_TRUE(s.ok()) << spec->table << ": " << s.ToString();
      } else {
        Result<int64_t> id = store.AppendRow(*spec, row);
        ASSERT_TRUE(id.ok()) << spec->table
                             << " is neither writable nor appendable: teach FillEveryTable "
                                "(tests/testing/store_fill.h) to fill it. "
                             << id.status().ToString();
      }
    }
  }
  for (const model::TableSpec* spec : model::AllSpecs()) {
    auto count = store.CountRows(*spec, {});
    EXPECT_TRUE(count.ok() && *count > 0) << spec->table << " was left empty";
  }
}

}  // namespace sei::testing
