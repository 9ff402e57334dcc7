#include "demo/text_gen.h"

#include <fmt/format.h>

#include <cctype>

namespace sei::demo {

namespace {

// clang-format off
constexpr const char* kVerbs[] = {
    "Add", "Fix", "Refactor", "Remove", "Update", "Improve", "Handle", "Support", "Migrate",
    "Simplify", "Extract", "Cache", "Validate", "Speed up", "Document", "Harden"};
constexpr const char* kObjects[] = {
    "retry logic for webhook delivery", "pagination in the list endpoint", "session cache eviction",
    "timeout handling in the HTTP client", "feature flag for the new checkout", "metrics for queue depth",
    "error messages on invalid input", "race in token refresh", "currency rounding in invoices",
    "N+1 query in order history", "dark mode colours", "push notification opt-in flow",
    "search ranking for partial matches", "CSV export of reports", "rate limiting per API key",
    "config loading from the environment", "flaky integration test", "schema for event payloads",
    "audit log for admin actions", "idempotency keys for refunds", "health check endpoint",
    "logging of request ids", "index on created_at", "onboarding checklist", "consent banner",
    "backfill job for user profiles", "dependency injection in handlers", "image upload resizing",
    "email template rendering", "A/B test assignment", "fraud score thresholds", "deep links"};
constexpr const char* kStories[] = {
    "As a customer I can save a card for later", "As an admin I can export the audit log",
    "As a shopper I see delivery estimates at checkout", "As a user I can reset my password by SMS",
    "As an analyst I can filter reports by region", "As a merchant I can refund part of an order",
    "As a user I get notified when my order ships", "As a developer I can rotate API keys",
    "As a shopper I can search with typos", "As a user I can delete my account"};
constexpr const char* kBugs[] = {
    "Checkout fails for cards that need 3-D Secure", "Totals are off by one cent in some currencies",
    "Search returns no results for quoted terms", "App crashes when the camera permission is denied",
    "Duplicate emails sent after retries", "Dashboard times out for large accounts",
    "Session expires during long forms", "Wrong time zone in weekly report",
    "Push notifications arrive twice", "Export misses rows after the first page"};
constexpr const char* kTasks[] = {
    "Upgrade the runtime to the latest LTS", "Rotate database credentials", "Remove the legacy v1 API",
    "Add alerts for queue backlog", "Write the runbook for failover", "Bump the base image",
    "Clean up unused feature flags", "Tune the autoscaling thresholds"};
constexpr const char* kEpics[] = {
    "Payments v2", "Faster checkout", "Self-serve onboarding", "Search relevance", "Offline mode",
    "Observability overhaul", "Data retention policy", "Accessibility pass", "Mobile redesign",
    "Multi-currency support", "Reliability: 99.95%", "Partner API"};
constexpr const char* kFollowUps[] = {
    "WIP", "Add tests", "Fix lint", "Handle the empty case", "Tidy up", "Update docs",
    "Fix failing test", "Small cleanup", "Rename for clarity", "Wire it up"};
constexpr const char* kRework[] = {
    "Address review comments", "Apply suggestions from code review", "Rename per review",
    "Split the function as suggested", "Add the missing test case", "Use the shared helper instead"};
constexpr const char* kReviewComments[] = {
    "nit: this could be a constant", "Can we add a test for the error path?",
    "This allocates on every call; hoist it out of the loop?", "Should this be behind the flag?",
    "What happens when the list is empty?", "Let's log the request id here.",
    "Consider using the existing retry helper.", "Typo in the comment.",
    "This name is a bit vague, maybe `pendingRefunds`?", "Do we need a migration for this?"};
constexpr const char* kConversation[] = {
    "Rebased on main.", "Ready for another look.", "CI is green now.",
    "I'll follow up with the docs in a separate PR.", "Thanks for the review!",
    "Could someone from the team take a look?", "Coverage report: no change."};
constexpr const char* kIncidents[] = {
    "elevated 5xx error rate", "p99 latency above SLO", "queue backlog growing",
    "pods crash-looping after deploy", "database connection pool exhausted",
    "error budget burn rate high", "health checks failing in one zone", "memory usage near limit"};
constexpr const char* kPackages[] = {
    "lodash", "axios", "golang.org/x/net", "github.com/stretchr/testify", "requests", "pydantic",
    "jackson-databind", "spring-boot", "okhttp", "react", "vite", "protobuf", "grpc", "urllib3"};
// clang-format on

}  // namespace

std::string TextGen::ChangeTitle(Rng& rng) {
  return fmt::format("{} {}", rng.Pick(kVerbs), rng.Pick(kObjects));
}

std::string TextGen::IssueTitle(Rng& rng, const std::string& type) {
  if (type == "story") return rng.Pick(kStories);
  if (type == "bug") return rng.Pick(kBugs);
  if (type == "epic") return rng.Pick(kEpics);
  return rng.Chance(0.5) ? std::string(rng.Pick(kTasks)) : ChangeTitle(rng);
}

std::string TextGen::FollowUpMessage(Rng& rng, bool after_review) {
  return after_review ? rng.Pick(kRework) : rng.Pick(kFollowUps);
}

std::string TextGen::ReviewComment(Rng& rng) { return rng.Pick(kReviewComments); }

std::string TextGen::ReviewBody(Rng& rng, const std::string& state) {
  if (state == "approved") return rng.Chance(0.6) ? "LGTM" : "Looks good, thanks!";
  if (state == "changes_requested") return "A few things to fix before this goes in.";
  return rng.Chance(0.5) ? "Some questions inline." : "";
}

std::string TextGen::ConversationComment(Rng& rng) { return rng.Pick(kConversation); }

std::string TextGen::IncidentTitle(Rng& rng, const std::string& service) {
  return fmt::format("{}: {}", service, rng.Pick(kIncidents));
}

std::string TextGen::DependencyBump(Rng& rng, std::string* package) {
  *package = rng.Pick(kPackages);
  const int64_t major = rng.UniformInt(1, 9), minor = rng.UniformInt(0, 30);
  const int64_t patch = rng.UniformInt(0, 12);
  return fmt::format("Bump {} from {}.{}.{} to {}.{}.{}", *package, major, minor, patch, major,
                     minor, patch + rng.UniformInt(1, 3));
}

std::string TextGen::Slug(const std::string& title) {
  std::string out;
  for (char c : title) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace sei::demo
