// The scope parameters every scoped route takes (scope, team, project, repo,
// person), read into a QueryText, and a resolved scope as the access
// control's Target (canonical ids: a person named by email is checked as the
// person it resolves to).
//
// Thread safety: pure functions.
#pragma once

#include "api/http_message.h"
#include "api/router.h"
#include "metrics/core/dataset.h"
#include "metrics/core/query_text.h"

namespace sei::api {

void ReadScopeParams(const HttpRequest& r, metrics::QueryText* t);
Target TargetOf(const metrics::Dataset& ds, const metrics::ResolvedScope& rs);

}  // namespace sei::api
