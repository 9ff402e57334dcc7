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
#include "metrics/core/query_text.h"
#include "metrics/core/report_json.h"
#include "metrics/engine/engine.h"

namespace sei::app {

namespace {

struct MetricsArgs {
  std::string family;
  metrics::QueryText q;
  std::string mode;
  std::string format = "table";
  bool series = false;
  bool list = false;
};

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
  metrics::QueryText text = a.q;
  text.series = a.series || a.format != "table";
  SEI_ASSIGN_OR_RETURN(metrics::Query q,
                       metrics::ParseQuery(text, SystemClock::Get().NowUnixSeconds(), "--"));
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
    out = FormatTable(report, a.series, a.q.drill);
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
  m->add_option("--scope", args->q.scope, "org, team:NAME, project:NAME, repo:NAME, person:NAME");
  m->add_option("--team", args->q.team, "Shorthand for --scope team:NAME (id or name)");
  m->add_option("--project", args->q.project, "Shorthand for --scope project:NAME");
  m->add_option("--repo", args->q.repo, "Shorthand for --scope repo:NAME (id, name or path)");
  m->add_option("--person", args->q.person, "Shorthand for --scope person:NAME (id, email, name)");
  m->add_option("--since", args->q.since,
                "Start of the range: a date, RFC 3339, or a length back from --until such as "
                "90d, 12w, 6m, 1y (default 90d)");
  m->add_option("--until", args->q.until, "End of the range, exclusive (default now)");
  m->add_option("--granularity", args->q.granularity, "Series buckets: day, week or month")
      ->check(CLI::IsMember({"day", "week", "month"}));
  m->add_option("--band-year", args->q.band_year,
                "DORA report year for bands: 2021, 2023 or 2024 (default: config, else 2023)");
  m->add_option("--metric", args->q.only, "Only these metric keys or prefixes (repeatable)");
  m->add_flag("--drill", args->q.drill, "Include the rows behind every number");
  m->add_flag("--compare", args->q.compare, "Also compute each metric over the previous period");
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
