// `sei collect git PATH_OR_URL...`
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "app/commands.h"
#include "app/store_factory.h"
#include "app/terminal_progress.h"
#include "collectors/git/git_collector.h"
#include "common/strings.h"

namespace sei::app {

namespace {

std::unique_ptr<Progress> MakeProgress(const Globals& g) {
  bool show = g.progress == "always" || (g.progress == "auto" && !g.quiet && isatty(2));
  if (show) return std::make_unique<TerminalProgress>(stderr);
  return std::make_unique<NullProgress>();
}

void PrintResult(const Globals& g, const std::string& location,
                 const collectors::GitCollectResult& r) {
  if (g.quiet) return;
  if (r.up_to_date) {
    std::printf("%s: up to date (%s refs unchanged) in %s\n", location.c_str(),
                WithThousands(r.refs).c_str(), HumanDuration(r.seconds).c_str());
    return;
  }
  std::string extra;
  if (r.newly_unreachable > 0) {
    extra += fmt::format(", {} no longer reachable", WithThousands(r.newly_unreachable));
  }
  if (r.reachable_again > 0) {
    extra += fmt::format(", {} reachable again", WithThousands(r.reachable_again));
  }
  std::printf("%s: %s new commits, %s file changes, %s refs%s in %s\n", location.c_str(),
              WithThousands(r.commits_added).c_str(), WithThousands(r.files_added).c_str(),
              WithThousands(r.refs).c_str(), extra.c_str(), HumanDuration(r.seconds).c_str());
  std::fflush(stdout);
}

}  // namespace

Status RunCollectGit(const Globals& g, const CollectGitArgs& args) {
  std::vector<GitSourceConfig> sources;
  for (const std::string& loc : args.locations) sources.push_back({loc, std::nullopt});
  if (sources.empty()) sources = g.config.git_sources;
  if (sources.empty()) {
    return InvalidArgumentError(
        "no repository given: pass one or more PATH_OR_URL arguments, or list them under "
        "sources.git in the config file");
  }
  if (!args.name.empty() && sources.size() > 1) {
    return InvalidArgumentError("--name applies to a single repository; pass one PATH_OR_URL");
  }
  SEI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(g.db, false));
  std::unique_ptr<Progress> progress = MakeProgress(g);
  for (const GitSourceConfig& src : sources) {
    collectors::GitCollectOptions o;
    o.jobs = args.jobs.value_or(g.config.jobs.value_or(0));
    o.detect_renames = args.renames || g.config.renames;
    o.include_remotes = args.include_remotes || g.config.include_remotes;
    o.data_dir = g.data_dir;
    o.name = !args.name.empty() ? args.name : src.name.value_or("");
    o.cancel = g.cancel;
    o.progress = progress.get();
    collectors::GitCollector collector(store.get(), o);
    Result<collectors::GitCollectResult> r = collector.Collect(src.location);
    progress->End();
    if (!r.ok()) return r.status();
    PrintResult(g, src.location, *r);
  }
  return Status::Ok();
}

}  // namespace sei::app
