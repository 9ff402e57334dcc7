#include "app/github_mirror.h"

#include <fmt/format.h>

#include "collectors/git/git_collector.h"
#include "collectors/github/github_convert.h"
#include "common/strings.h"
#include "model/git.h"

namespace sei::app {

namespace {

// The collector's phases ("commits"), named after the repository they
// belong to: "acme/api (2/5): commits".
class RepoProgress : public Progress {
 public:
  RepoProgress(Progress* inner, std::string prefix) : inner_(inner), prefix_(std::move(prefix)) {}
  void Begin(std::string_view label, int64_t total) override {
    if (inner_ != nullptr) inner_->Begin(prefix_ + ": " + std::string(label), total);
  }
  void Update(int64_t done) override {
    if (inner_ != nullptr) inner_->Update(done);
  }
  void End() override {
    if (inner_ != nullptr) inner_->End();
  }

 private:
  Progress* inner_;
  std::string prefix_;
};

// Where to clone a repository from: the API's clone_url, else its web page
// (GitHub serves git there too).
std::string CloneUrl(const model::Repo& r) {
  const std::string& l = r.location;
  if (l.empty() || (l.size() > 4 && l.compare(l.size() - 4, 4, ".git") == 0)) return l;
  if (r.location.rfind("https://", 0) == 0 || r.location.rfind("http://", 0) == 0) {
    return r.location + ".git";
  }
  return r.location;
}

collectors::GitCollectOptions CollectOptions(const Globals& g, const model::Repo& row,
                                             const GithubMirrorOptions& o, Progress* progress) {
  collectors::GitCollectOptions c;
  c.jobs = g.config.jobs.value_or(0);
  c.detect_renames = g.config.renames;
  c.data_dir = g.data_dir;
  c.repo_id = row.id;
  c.connection_id = row.connection_id;
  c.access.username = "x-access-token";
  c.access.password = o.token;
  c.access.ca_bundle_path = o.ca_bundle;
  c.mirror_refspecs = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
  c.record_run = false;
  c.cancel = o.cancel;
  c.progress = progress;
  return c;
}

}  // namespace

int64_t GithubMirrorReport::CommitsAdded() const {
  int64_t n = 0;
  for (const MirroredRepo& r : repos) n += r.commits_added;
  return n;
}

int64_t GithubMirrorReport::Failed() const {
  int64_t n = 0;
  for (const MirroredRepo& r : repos) n += r.error.empty() ? 0 : 1;
  return n;
}

std::string GithubMirrorReport::OneLine() const {
  int64_t up_to_date = 0;
  for (const MirroredRepo& r : repos) up_to_date += r.up_to_date ? 1 : 0;
  std::string extra;
  if (up_to_date > 0) extra = fmt::format("{} up to date", up_to_date);
  if (Failed() > 0) extra += fmt::format("{}{} failed", extra.empty() ? "" : ", ", Failed());
  return fmt::format("{} repositories mirrored: {} new commits{}",
                     WithThousands(static_cast<int64_t>(repos.size()) - Failed()),
                     WithThousands(CommitsAdded()), extra.empty() ? "" : " (" + extra + ")");
}

std::string GithubMirrorReport::Failures() const {
  std::string out;
  for (const MirroredRepo& r : repos) {
    if (r.error.empty()) continue;
    if (!out.empty()) out += "; ";
    out += r.full_name + ": " + r.error;
  }
  return out;
}

Result<GithubMirrorReport> MirrorGithubRepos(const Globals& g, Store& store,
                                             const std::string& connection_id,
                                             const std::vector<std::string>& full_names,
                                             const GithubMirrorOptions& o) {
  GithubMirrorReport report;
  for (size_t i = 0; i < full_names.size(); ++i) {
    if (o.cancel != nullptr && o.cancel->load()) {
      return CancelledError(fmt::format(
          "interrupted before mirroring {} ({} of {} repositories mirrored); run the sync again "
          "to continue",
          full_names[i], i, full_names.size()));
    }
    MirroredRepo m;
    m.full_name = full_names[i];
    m.repo_id = collectors::github::RepoId(connection_id, full_names[i]);
    SEI_ASSIGN_OR_RETURN(std::optional<model::Repo> row, store.FindRepo(m.repo_id));
    const std::string url = row ? CloneUrl(*row) : "";
    if (url.empty()) {
      m.error = "GitHub gave no clone URL for it; nothing to mirror";
      report.repos.push_back(std::move(m));
      continue;
    }
    RepoProgress progress(o.progress,
                          fmt::format("{} ({}/{})", m.full_name, i + 1, full_names.size()));
    progress.Begin("clone or fetch", 0);  // the collector's "commits" follows
    collectors::GitCollector collector(&store, CollectOptions(g, *row, o, &progress));
    Result<collectors::GitCollectResult> r = collector.Collect(url);
    progress.End();
    if (!r.ok() && r.status().code() == StatusCode::kCancelled) {
      return CancelledError(fmt::format("{} ({} of {} repositories mirrored before it)",
                                        r.status().message(), i, full_names.size()));
    }
    if (r.ok()) {
      m.commits_added = r->commits_added;
      m.up_to_date = r->up_to_date;
    } else {
      m.error = r.status().message();
    }
    report.repos.push_back(std::move(m));
  }
  return report;
}

}  // namespace sei::app
