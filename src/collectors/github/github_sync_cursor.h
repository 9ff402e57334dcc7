// GithubSync::Cursor: an entity's place in sync_state (its cursor JSON),
// shared by the files of GithubSync (github_sync*.cc). Internal to
// src/collectors/github.
//
// Thread safety: a value type.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "collectors/github/github_sync.h"

namespace sei::collectors::github {

// An entity's place: `since` is when its last complete listing began;
// while a listing runs, `next` is the page to fetch next and `run_start`
// when the listing began (its `since` once complete).
struct GithubSync::Cursor {
  int64_t since = 0;
  std::string next;
  int64_t run_start = 0;
  bool full = false;  // the listing that runs is a full one
  bool in_progress = false;
  int64_t full_at = 0;  // when the last full listing began
  // The ETag of the first page the last listing began with, and its URL:
  // asked again unchanged, GitHub answers 304 (free of rate limit).
  std::string etag;
  std::string etag_url;

  std::string Json() const {
    nlohmann::json j = {{"since", since}, {"full_at", full_at}};
    if (!etag.empty()) {
      j["etag"] = etag;
      j["etag_url"] = etag_url;
    }
    if (in_progress) {
      j["next"] = next;
      j["run_start"] = run_start;
      j["full"] = full;
    }
    return j.dump();
  }
};

}  // namespace sei::collectors::github
