// Planning entities: boards, sprints, issues, status changes and sprint scope.
//
// Plain values, no I/O. Instants are Unix seconds (UTC). Ids are namespaced per
// source and connection (ids.h); raw_id points at the archived payload a row
// was converted from (lineage). Field lists are the single source of truth for
// generic SQL, exports and the schema check (entity.h).
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sei::model {

struct Board {
  std::string id;
  std::string connection_id;
  std::string name;
  std::string kind;
  std::optional<std::string> url;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "boards";
  static constexpr const char* kView = "boards";
  static constexpr const char* kEntity = "boards";
  static constexpr const char* kDescription =
      "issue boards and trackers (Jira boards, GitHub issue lists, Linear teams)";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Board::id);
    v("connection_id", &Board::connection_id);
    v("name", &Board::name);
    v("kind", &Board::kind);
    v("url", &Board::url);
    v("raw_id", &Board::raw_id);
  }
};

struct Sprint {
  std::string id;
  std::string board_id;
  std::string name;
  std::string state;
  std::optional<std::string> goal;
  std::optional<int64_t> started_at;
  std::optional<int64_t> ended_at;
  std::optional<int64_t> completed_at;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "sprints";
  static constexpr const char* kView = "sprints";
  static constexpr const char* kEntity = "sprints";
  static constexpr const char* kDescription = "sprints (iterations) of a board";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Sprint::id);
    v("board_id", &Sprint::board_id);
    v("name", &Sprint::name);
    v("state", &Sprint::state);
    v("goal", &Sprint::goal);
    v("started_at", &Sprint::started_at);
    v("ended_at", &Sprint::ended_at);
    v("completed_at", &Sprint::completed_at);
    v("raw_id", &Sprint::raw_id);
  }
};

struct Issue {
  std::string id;
  std::string connection_id;
  std::optional<std::string> board_id;
  std::string key;
  std::string title;
  std::string type;
  std::optional<std::string> raw_type;
  std::string status;
  std::string status_category;
  std::optional<std::string> priority;
  std::optional<double> story_points;
  std::optional<std::string> assignee_account_id;
  std::optional<std::string> reporter_account_id;
  std::optional<std::string> parent_issue_id;
  std::optional<std::string> epic_id;
  int64_t created_at = 0;
  std::optional<int64_t> updated_at;
  std::optional<int64_t> resolved_at;
  std::optional<std::string> url;
  std::optional<std::string> labels;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "issues";
  static constexpr const char* kView = "issues";
  static constexpr const char* kEntity = "issues";
  static constexpr const char* kDescription = "issues, stories, bugs, tasks and epics";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &Issue::id);
    v("connection_id", &Issue::connection_id);
    v("board_id", &Issue::board_id);
    v("key", &Issue::key);
    v("title", &Issue::title);
    v("type", &Issue::type);
    v("raw_type", &Issue::raw_type);
    v("status", &Issue::status);
    v("status_category", &Issue::status_category);
    v("priority", &Issue::priority);
    v("story_points", &Issue::story_points);
    v("assignee_account_id", &Issue::assignee_account_id);
    v("reporter_account_id", &Issue::reporter_account_id);
    v("parent_issue_id", &Issue::parent_issue_id);
    v("epic_id", &Issue::epic_id);
    v("created_at", &Issue::created_at);
    v("updated_at", &Issue::updated_at);
    v("resolved_at", &Issue::resolved_at);
    v("url", &Issue::url);
    v("labels", &Issue::labels);
    v("raw_id", &Issue::raw_id);
  }
};

struct IssueStatusChange {
  std::string id;
  std::string issue_id;
  std::optional<std::string> from_status;
  std::string to_status;
  std::optional<std::string> from_category;
  std::string to_category;
  int64_t changed_at = 0;
  std::optional<std::string> author_account_id;
  std::optional<int64_t> raw_id;

  static constexpr const char* kTable = "issue_status_changes";
  static constexpr const char* kView = "issue_status_changes";
  static constexpr const char* kEntity = "issue-status-changes";
  static constexpr const char* kDescription = "every status transition of an issue";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"id"}; }
  template <class V>
  static void Describe(V& v) {
    v("id", &IssueStatusChange::id);
    v("issue_id", &IssueStatusChange::issue_id);
    v("from_status", &IssueStatusChange::from_status);
    v("to_status", &IssueStatusChange::to_status);
    v("from_category", &IssueStatusChange::from_category);
    v("to_category", &IssueStatusChange::to_category);
    v("changed_at", &IssueStatusChange::changed_at);
    v("author_account_id", &IssueStatusChange::author_account_id);
    v("raw_id", &IssueStatusChange::raw_id);
  }
};

struct SprintIssue {
  std::string sprint_id;
  std::string issue_id;
  std::optional<int64_t> added_at;
  std::optional<int64_t> removed_at;
  bool committed = false;
  std::optional<double> points_at_start;

  static constexpr const char* kTable = "sprint_issues";
  static constexpr const char* kView = "sprint_issues";
  static constexpr const char* kEntity = "sprint-issues";
  static constexpr const char* kDescription =
      "which issues were in which sprint, and when they joined or left";
  static constexpr bool kWritable = true;
  static std::vector<std::string> Key() { return {"sprint_id", "issue_id"}; }
  template <class V>
  static void Describe(V& v) {
    v("sprint_id", &SprintIssue::sprint_id);
    v("issue_id", &SprintIssue::issue_id);
    v("added_at", &SprintIssue::added_at);
    v("removed_at", &SprintIssue::removed_at);
    v("committed", &SprintIssue::committed);
    v("points_at_start", &SprintIssue::points_at_start);
  }
};

}  // namespace sei::model
