// TextGen: the words of the demo organisation: PR and issue titles, commit
// messages, review comments, incident titles and quality findings, drawn
// from small phrase pools so the dashboards read like a real team's work.
//
// Thread safety: pure functions of the Rng passed in.
#pragma once

#include <string>

#include "demo/rng.h"

namespace sei::demo {

class TextGen {
 public:
  // "Add retry to webhook delivery", "Fix race in session cache".
  static std::string ChangeTitle(Rng& rng);
  // Issue titles by type ("story", "bug", "task", "epic").
  static std::string IssueTitle(Rng& rng, const std::string& type);
  // Follow-up and rework commit messages ("Address review comments").
  static std::string FollowUpMessage(Rng& rng, bool after_review);
  static std::string ReviewComment(Rng& rng);
  static std::string ReviewBody(Rng& rng, const std::string& state);
  static std::string ConversationComment(Rng& rng);
  static std::string IncidentTitle(Rng& rng, const std::string& service);
  // A dependency bump: package, from and to versions, for dependabot.
  static std::string DependencyBump(Rng& rng, std::string* package);
  // "retry-webhook-delivery" from a title, at most 40 characters.
  static std::string Slug(const std::string& title);
};

}  // namespace sei::demo
