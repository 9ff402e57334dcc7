// `sei stats`: a first useful view of what was collected, per repository:
// commits, authors and churn per week, and the files with the most churn.
// Churn counts non-merge commits only (a merge's first-parent diff repeats
// the changes of the commits it merges).
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/store_factory.h"
#include "common/strings.h"
#include "common/time.h"

namespace sei::app {

namespace {

constexpr int64_t kWeek = 7 * 86400;

struct RepoReport {
  RepoSummary summary;
  std::vector<WeekActivity> weeks;  // every week in range, zero-filled
  std::vector<FileChurn> top;
};

Result<RepoReport> BuildReport(Store* store, const RepoSummary& s, const StatsArgs& args) {
  RepoReport r{s, {}, {}};
  int64_t last_week = WeekStartUtc(s.last_commit_at);
  int64_t first_week = last_week - static_cast<int64_t>(args.weeks - 1) * kWeek;
  SEI_ASSIGN_OR_RETURN(std::vector<WeekActivity> found,
                       store->WeeklyActivity(s.repo_id, first_week));
  std::map<int64_t, WeekActivity> by_week;
  for (const WeekActivity& w : found) by_week[w.week_start] = w;
  if (s.commits > 0) {
    for (int64_t w = first_week; w <= last_week; w += kWeek) {
      auto it = by_week.find(w);
      r.weeks.push_back(it != by_week.end() ? it->second : WeekActivity{w, 0, 0, 0, 0});
    }
  }
  SEI_ASSIGN_OR_RETURN(r.top, store->TopFilesByChurn(s.repo_id, args.top));
  return r;
}

std::string Day(int64_t t) { return FormatRfc3339Utc(t).substr(0, 10); }

void PrintText(const RepoReport& r) {
  const RepoSummary& s = r.summary;
  std::printf("%s  (%s)\n", s.name.c_str(), s.location.c_str());
  std::printf("  %s commits (%s merges", WithThousands(s.commits).c_str(),
              WithThousands(s.merges).c_str());
  if (s.unreachable_commits > 0) {
    std::printf(", %s no longer reachable", WithThousands(s.unreachable_commits).c_str());
  }
  std::printf("), %s authors, churn +%s -%s\n", WithThousands(s.authors).c_str(),
              WithThousands(s.additions).c_str(), WithThousands(s.deletions).c_str());
  if (s.commits > 0) {
    std::printf("  first commit %s, last commit %s\n", Day(s.first_commit_at).c_str(),
                Day(s.last_commit_at).c_str());
  }
  if (!r.weeks.empty()) {
    std::printf("\n  %-10s %8s %8s %10s %10s\n", "week", "commits", "authors", "added", "deleted");
    for (const WeekActivity& w : r.weeks) {
      std::printf("  %-10s %8s %8s %10s %10s\n", IsoWeekLabel(w.week_start).c_str(),
                  WithThousands(w.commits).c_str(), WithThousands(w.authors).c_str(),
                  ("+" + WithThousands(w.additions)).c_str(),
                  ("-" + WithThousands(w.deletions)).c_str());
    }
  }
  if (!r.top.empty()) {
    std::printf("\n  %-48s %8s %8s %10s %10s\n", "top files by churn", "commits", "authors",
                "added", "deleted");
    for (const FileChurn& f : r.top) {
      std::string path = f.path.size() > 48 ? "..." + f.path.substr(f.path.size() - 45) : f.path;
      std::printf("  %-48s %8s %8s %10s %10s\n", path.c_str(), WithThousands(f.commits).c_str(),
                  WithThousands(f.authors).c_str(), ("+" + WithThousands(f.additions)).c_str(),
                  ("-" + WithThousands(f.deletions)).c_str());
    }
  }
  std::printf("\n");
}

nlohmann::json ToJson(const RepoReport& r) {
  const RepoSummary& s = r.summary;
  nlohmann::json j = {{"repo_id", s.repo_id},
                      {"name", s.name},
                      {"location", s.location},
                      {"commits", s.commits},
                      {"merges", s.merges},
                      {"unreachable_commits", s.unreachable_commits},
                      {"authors", s.authors},
                      {"additions", s.additions},
                      {"deletions", s.deletions},
                      {"first_commit_at", s.commits ? nlohmann::json(s.first_commit_at) : nullptr},
                      {"last_commit_at", s.commits ? nlohmann::json(s.last_commit_at) : nullptr},
                      {"weeks", nlohmann::json::array()},
                      {"top_files", nlohmann::json::array()}};
  for (const WeekActivity& w : r.weeks) {
    j["weeks"].push_back({{"week", IsoWeekLabel(w.week_start)},
                          {"week_start", w.week_start},
                          {"commits", w.commits},
                          {"authors", w.authors},
                          {"additions", w.additions},
                          {"deletions", w.deletions}});
  }
  for (const FileChurn& f : r.top) {
    j["top_files"].push_back({{"path", f.path},
                              {"commits", f.commits},
                              {"authors", f.authors},
                              {"additions", f.additions},
                              {"deletions", f.deletions}});
  }
  return j;
}

}  // namespace

Status RunStats(const Globals& g, const StatsArgs& args) {
  if (args.format != "text" && args.format != "json") {
    return InvalidArgumentError(fmt::format("unknown format '{}': use text or json", args.format));
  }
  if (args.weeks < 1 || args.weeks > 520 || args.top < 0 || args.top > 1000) {
    return InvalidArgumentError("--weeks must be 1..520 and --top 0..1000");
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, true));
  SEI_ASSIGN_OR_RETURN(std::vector<RepoSummary> repos, store->RepoSummaries());
  nlohmann::json out = nlohmann::json::array();
  int shown = 0;
  for (const RepoSummary& s : repos) {
    if (!args.repo.empty() && args.repo != s.repo_id && args.repo != s.name &&
        args.repo != s.location) {
      continue;
    }
    ++shown;
    SEI_ASSIGN_OR_RETURN(RepoReport report, BuildReport(store.get(), s, args));
    if (args.format == "json") {
      out.push_back(ToJson(report));
    } else {
      PrintText(report);
    }
  }
  if (shown == 0) {
    return NotFoundError(args.repo.empty()
                             ? "no repositories collected yet; run `sei collect git PATH` first"
                             : fmt::format("no collected repository matches '{}'", args.repo));
  }
  if (args.format == "json") {
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  return Status::Ok();
}

}  // namespace sei::app
