// `sei metrics FAMILY`: computes a family of metrics (dora, pr, flow, code
// ...) for a scope and a time range and prints them as a table, JSON or CSV.
// Everything goes through metrics::Compute, as the API and the golden tests
// do, so the three cannot disagree.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/commands.h"
#include "app/metrics_format.h"
#include "app/store_factory.h"
#include "common/clock.h"
#include "common/time.h"
#include "metrics/core/dataset_loader.h"
#include "metrics/core/report_json.h"
#include "metrics/engine/engine.h"

namespace sei::app {

namespace {

struct MetricsArgs {
  std::string family;
  std::string scope;
  std::string team, project, repo, person;
  std::string since = "90d";
  std::string until = "now";
  std::string granularity = "week";
  std::string band_year;
  std::vector<std::string> only;
  std::string mode;
  std::string format = "table";
  bool drill = false;
  bool compare = false;
  bool series = false;
  bool list = false;
};

// "now", "2024-01-31", RFC 3339, or a length back from `anchor`: "90d",
// "12w", "6m" (calendar months), "1y".
Result<int64_t> ParseWhen(const std::string& text, int64_t anchor, const char* flag) {
  if (text == "now") return anchor;
  if (text.size() >= 2 && std::isdigit(static_cast<unsigned char>(text[0]))) {
    const char unit = text.back();
    const std::string digits = text.substr(0, text.size() - 1);
    if ((unit == 'd' || unit == 'w' || unit == 'm' || unit == 'y') &&
        digits.find_first_not_of("0123456789") == std::string::npos && digits.size() <= 5) {
      const int64_t n = std::stoll(digits);
      if (unit == 'd') return anchor - n * 86400;
      if (unit == 'w') return anchor - n * 7 * 86400;
      int64_t y;
      unsigned mo, d;
      CivilFromDays(anchor / 86400, &y, &mo, &d);
      int64_t months = (unit == 'y' ? 12 * n : n);
      int64_t total = y * 12 + (mo - 1) - months;
      y = total / 12;
      mo = static_cast<unsigned>(total % 12) + 1;
      return DaysFromCivil(y, mo, d > 28 ? 28 : d) * 86400 + anchor % 86400;
    }
  }
  auto t = ParseTimestamp(text);
  if (!t.ok()) {
    return InvalidArgumentError(std::string(flag) + " '" + text +
                                "' is not a date (2024-01-31, 2024-01-31T12:00:00Z), 'now', or "
                                "a length back such as 90d, 12w, 6m, 1y");
  }
  return t->unix_seconds;
}

Result<metrics::Scope> ScopeFrom(const MetricsArgs& a) {
  int given =
      !a.scope.empty() + !a.team.empty() + !a.project.empty() + !a.repo.empty() + !a.person.empty();
  if (given > 1) {
    return InvalidArgumentError("give one scope: --scope, --team, --project, --repo or --person");
  }
  if (!a.team.empty()) return metrics::Scope{metrics::ScopeKind::kTeam, a.team};
  if (!a.project.empty()) return metrics::Scope{metrics::ScopeKind::kProject, a.project};
  if (!a.repo.empty()) return metrics::Scope{metrics::ScopeKind::kRepo, a.repo};
  if (!a.person.empty()) return metrics::Scope{metrics::ScopeKind::kPerson, a.person};
  if (!a.scope.empty()) return metrics::ParseScope(a.scope);
  return metrics::Scope{};
}

void PrintFamilies() {
  std::printf("metric families:\n");
  for (const metrics::Family& f : metrics::Families()) {
    std::printf("  %-12s %s\n", f.name.c_str(), f.description.c_str());
  }
}

Status RunMetrics(const Globals& g, const MetricsArgs& a) {
  if (a.list || a.family.empty()) {
    PrintFamilies();
    return a.list ? Status::Ok()
                  : InvalidArgumentError("metrics needs a FAMILY (see the list above)");
  }
  if (metrics::FindFamily(a.family) == nullptr) {
    PrintFamilies();
    return InvalidArgumentError("no metrics family '" + a.family + "'");
  }
  metrics::Query q;
  SEI_ASSIGN_OR_RETURN(q.scope, ScopeFrom(a));
  const int64_t now = SystemClock::Get().NowUnixSeconds();
  SEI_ASSIGN_OR_RETURN(q.range.until, ParseWhen(a.until, now, "--until"));
  SEI_ASSIGN_OR_RETURN(q.range.since, ParseWhen(a.since, q.range.until, "--since"));
  SEI_ASSIGN_OR_RETURN(q.granularity, metrics::ParseGranularity(a.granularity));
  q.band_year = a.band_year;
  q.only = a.only;
  q.drill = a.drill;
  q.compare = a.compare;
  q.series = a.series || a.format != "table";
  metrics::MetricsSettings settings = g.config.metrics;
  if (a.mode == "devlake") settings.mode = metrics::Mode::kDevLake;
  if (a.mode == "default") settings.mode = metrics::Mode::kDefault;
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, true));
  metrics::LoadOptions options;
  options.commits = metrics::FindFamily(a.family)->needs_commits;
  options.files = metrics::FindFamily(a.family)->needs_files;
  SEI_ASSIGN_OR_RETURN(auto ds, metrics::LoadDataset(*store, settings, options));
  SEI_ASSIGN_OR_RETURN(metrics::Report report, metrics::Compute(*ds, a.family, q));
  std::string out;
  if (a.format == "json") {
    out = metrics::ToJson(report).dump(2) + "\n";
  } else if (a.format == "csv") {
    out = FormatCsv(report);
  } else {
    out = FormatTable(report, a.series, a.drill);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::Ok();
}

}  // namespace

void AddMetricsCommands(CLI::App& root, std::vector<Command>* out) {
  auto args = std::make_shared<MetricsArgs>();
  CLI::App* m = root.add_subcommand(
      "metrics",
      "Compute metrics (DORA, PR flow, delivery flow, code) for a scope and a time range");
  m->add_option("FAMILY", args->family, "Metric family: dora, pr, flow, code ... (--list)");
  m->add_flag("--list", args->list, "List the metric families");
  m->add_option("--scope", args->scope, "org, team:NAME, project:NAME, repo:NAME, person:NAME");
  m->add_option("--team", args->team, "Shorthand for --scope team:NAME (id or name)");
  m->add_option("--project", args->project, "Shorthand for --scope project:NAME");
  m->add_option("--repo", args->repo, "Shorthand for --scope repo:NAME (id, name or path)");
  m->add_option("--person", args->person, "Shorthand for --scope person:NAME (id, email, name)");
  m->add_option("--since", args->since,
                "Start of the range: a date, RFC 3339, or a length back from --until such as "
                "90d, 12w, 6m, 1y (default 90d)");
  m->add_option("--until", args->until, "End of the range, exclusive (default now)");
  m->add_option("--granularity", args->granularity, "Series buckets: day, week or month")
      ->check(CLI::IsMember({"day", "week", "month"}));
  m->add_option("--band-year", args->band_year,
                "DORA report year for bands: 2021, 2023 or 2024 (default: config, else 2023)");
  m->add_option("--metric", args->only, "Only these metric keys or prefixes (repeatable)");
  m->add_flag("--drill", args->drill, "Include the rows behind every number");
  m->add_flag("--compare", args->compare, "Also compute each metric over the previous period");
  m->add_flag("--series", args->series, "Print the series per bucket (always in json and csv)");
  m->add_option("--mode", args->mode,
                "Definitions: default, or devlake (Apache DevLake's, for comparison)")
      ->check(CLI::IsMember({"default", "devlake"}));
  m->add_option("-f,--format", args->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  m->footer(
      "\nExamples:\n"
      "  sei metrics dora --since 90d\n"
      "  sei metrics pr --team Payments --since 2024-01-01 --until 2024-04-01 --granularity month\n"
      "  sei metrics dora --repo api --band-year 2021 --format json\n"
      "  sei metrics pr --metric pr.pickup_time --drill\n"
      "\nDefinitions: docs/metrics.md.");
  out->push_back({m, [args](const Globals& g) { return RunMetrics(g, *args); }});
}

}  // namespace sei::app
