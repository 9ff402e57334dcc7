// WriteBatch: stores a ConvertedBatch (github_convert.h) with one
// Store::ApplyWrites, so a batch is stored whole or not at all, and a re-run
// over the same payloads upserts the same rows (idempotent).
//
// Why not a plain upsert of every row: payload shapes differ in what they
// carry, and an upsert replaces a whole row. So, per row, what the payload
// could not say is kept from the stored row (read inside the transaction):
//  - pull requests: ready_at (only a ready_for_review webhook says it),
//    merged_by_account_id, additions, deletions, changed_files (absent from
//    list pages and from review and comment webhooks);
//  - deployments: with result "" (no status in the payload: the deployment
//    webhook, /deployments) the stored result, finished_at and url, else
//    result "in_progress";
//  - accounts: person_id (identity resolution's), name, email, first and
//    last seen (user objects in pages carry only login and id);
//  - repos: mirror_path and collected_at (a git collection's).
// Invalid items (batch.errors) are not the writer's concern: they were never
// rows.
//
// Thread safety: as the Store given (one thread at a time).
#pragma once

#include "collectors/github/github_convert.h"
#include "common/status.h"
#include "store/store.h"

namespace sei::collectors::github {

// `also` (a sync's cursor, deletions) commits in the same transaction.
Status WriteBatch(Store& store, const ConvertedBatch& batch, std::vector<TableWrite> also = {});

}  // namespace sei::collectors::github
