// RepoSimulator: the commit graph (repo_rows.cc emits the PR rows and refs).
#include <fmt/format.h>

#include <algorithm>

#include "common/time.h"
#include "demo/demo_ids.h"
#include "demo/repo_sim.h"
#include "demo/text_gen.h"
#include "demo/work_hours.h"

namespace sei::demo {

namespace {

const GitIdentity kGitHubCommitter = {"GitHub", "noreply@github.com"};
constexpr double kDirectShare = 0.11;  // direct pushes per commit landed through PRs

}  // namespace

RepoSimulator::RepoSimulator(const Org& org, int repo, FileModel* files, std::vector<PrPlan> plans)
    : org_(org),
      repo_(org.repos[static_cast<size_t>(repo)]),
      files_(files),
      plans_(std::move(plans)),
      rng_(Rng::Derive(org.seed, "repo:" + org.repos[static_cast<size_t>(repo)].id)),
      shas_(org.seed, org.repos[static_cast<size_t>(repo)].id) {}

RepoOutput RepoSimulator::Run() {
  out_.repo.id = repo_.id;
  out_.repo.connection_id = kGitConnection;
  out_.repo.name = repo_.name;
  out_.repo.location = repo_.url + ".git";
  out_.repo.default_branch = "main";
  out_.repo.created_at = repo_.created_at;
  out_.repo.collected_at = org_.window.end;
  Prehistory();
  for (const Event& e : PlanEvents()) {
    if (e.kind == 0) ApplyPush(pushes_[e.index]);
    if (e.kind == 1) ApplyMerge(&plans_[e.index]);
    if (e.kind == 2) ApplyRelease(e.at);
  }
  Branches();
  EmitPrs();
  EmitRefs();
  out_.counts.commits = static_cast<int64_t>(out_.commits.size());
  for (const CommitRecord& r : out_.commits) {
    out_.counts.commit_files += static_cast<int64_t>(r.files.size());
  }
  return std::move(out_);
}

const GitIdentity& RepoSimulator::Identity(int person, bool alt) const {
  const DemoPerson& p = org_.people[static_cast<size_t>(person)];
  return alt && !p.alt.email.empty() ? p.alt : p.work;
}

GitIdentity RepoSimulator::WebIdentity(int person) const {
  const DemoPerson& p = org_.people[static_cast<size_t>(person)];
  if (p.bot || !p.noreply) return p.work;
  return {p.name, p.noreply_email};
}

std::string RepoSimulator::Record(const GitIdentity& author, int64_t at, int32_t tz,
                                  const GitIdentity& committer, int64_t committed,
                                  int32_t committer_tz, const std::string& message,
                                  std::vector<std::string> parents,
                                  const std::vector<FileChange>& changes) {
  CommitRecord r;
  model::Commit& c = r.commit;
  c.repo_id = repo_.id;
  c.sha = shas_.Next();
  c.tree_sha = shas_.Next();
  c.author_name = author.name;
  c.author_email = author.email;
  c.author_time = at;
  c.author_tz = tz;
  c.committer_name = committer.name;
  c.committer_email = committer.email;
  c.committer_time = committed;
  c.committer_tz = committer_tz;
  c.message = message;
  c.parent_count = static_cast<int64_t>(parents.size());
  c.is_merge = parents.size() > 1;
  c.author_account_id = GitAccount(author.name, author.email);
  c.committer_account_id = GitAccount(committer.name, committer.email);
  r.files = files_->ToRows(repo_.id, c.sha, changes);
  c.files_changed = static_cast<int64_t>(r.files.size());
  for (const model::CommitFile& f : r.files) {
    c.additions += f.added.value_or(0);
    c.deletions += f.deleted.value_or(0);
  }
  r.parents = std::move(parents);
  std::string sha = c.sha;
  out_.commits.push_back(std::move(r));
  return sha;
}

void RepoSimulator::Advance(int64_t at, const std::string& sha) {
  // Keep main's history sorted by time even when a push's second commit is
  // a few minutes later than the next event.
  if (!out_.main.empty()) at = std::max(at, out_.main.back().at);
  out_.main.push_back({at, sha});
}

const std::string& RepoSimulator::TipAt(int64_t t) const {
  auto it = std::upper_bound(out_.main.begin(), out_.main.end(), t,
                             [](int64_t v, const MainTip& m) { return v < m.at; });
  return it == out_.main.begin() ? out_.main.front().sha : std::prev(it)->sha;
}

int RepoSimulator::PickAuthor(int64_t t, bool include_managers) {
  std::vector<int> members = org_.MembersAt(repo_.team, t);
  std::vector<double> weights;
  for (int p : members) {
    const Role role = org_.people[static_cast<size_t>(p)].role;
    weights.push_back(role == Role::kManager ? (include_managers ? 0.3 : 0.0)
                      : role == Role::kLead  ? 1.5
                                             : 1.0);
  }
  if (members.empty()) return org_.ci_bot;
  return members[rng_.Weighted(weights)];
}

void RepoSimulator::Prehistory() {
  const int64_t created = repo_.created_at;
  const int author = PickAuthor(org_.window.sim_start, false);
  const DemoPerson& p = org_.people[static_cast<size_t>(author)];
  const std::string root = Record(p.work, created, p.tz, p.work, created, p.tz, "Initial commit",
                                  {}, files_->InitialTree(rng_));
  Advance(created, root);
  const int64_t n = rng_.UniformInt(6, 12);
  const int64_t span = org_.window.sim_start - created;
  std::vector<int64_t> times;
  for (int64_t i = 0; i < n; ++i)
    times.push_back(created + static_cast<int64_t>(rng_.Uniform() * span));
  std::sort(times.begin(), times.end());
  for (int64_t t : times) ApplyPush({PickAuthor(org_.window.sim_start, false), t, 1});
}

std::vector<RepoSimulator::Event> RepoSimulator::PlanEvents() {
  std::vector<Event> events;
  for (size_t i = 0; i < plans_.size(); ++i) {
    if (plans_[i].outcome == PrOutcome::kMerged) events.push_back({plans_[i].merged_at, 1, i});
  }
  PlanPushes(&events);
  PlanReleases(&events);
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  return events;
}

void RepoSimulator::PlanPushes(std::vector<Event>* events) {
  int64_t landed = 0;
  for (const PrPlan& pr : plans_) {
    if (pr.outcome != PrOutcome::kMerged) continue;
    const int64_t n = static_cast<int64_t>(pr.commits.size());
    landed += pr.kind == MergeKind::kSquash ? 1 : pr.kind == MergeKind::kRebase ? n : n + 1;
  }
  int64_t wanted = static_cast<int64_t>(static_cast<double>(landed) * kDirectShare + 0.5);
  const int64_t span = org_.window.end - org_.window.sim_start;
  while (wanted > 0) {
    const int64_t raw = org_.window.sim_start + static_cast<int64_t>(rng_.Uniform() * span);
    const int author = PickAuthor(raw, true);
    const DemoPerson& p = org_.people[static_cast<size_t>(author)];
    const int64_t at = SnapToWork(raw, p.tz, p.off_hours, rng_);
    const int commits = rng_.Chance(0.85) || wanted < 2 ? 1 : 2;
    wanted -= commits;
    if (at >= org_.window.end || org_.Away(author, at)) continue;
    pushes_.push_back({author, at, commits});
    events->push_back({at, 0, pushes_.size() - 1});
  }
}

void RepoSimulator::PlanReleases(std::vector<Event>* events) {
  const int64_t every = repo_.kind == RepoKind::kLibrary ? 2 * kWeek : 4 * kWeek;
  int64_t t = org_.window.sim_start + rng_.UniformInt(0, every);
  for (; t < org_.window.end; t += every + rng_.UniformInt(-2, 2) * kDay) {
    const DemoPerson& lead = org_.people[static_cast<size_t>(PickAuthor(t, false))];
    const int64_t at = SnapToWork(t, lead.tz, 0.0, rng_);
    if (at >= org_.window.end) break;
    releases_.push_back(at);
    events->push_back({at, 2, releases_.size() - 1});
  }
}

void RepoSimulator::ApplyPush(const Push& push) {
  const DemoPerson& p = org_.people[static_cast<size_t>(push.author)];
  int64_t at = push.at;
  for (int i = 0; i < push.commits; ++i) {
    const bool alt = !p.alt.email.empty() && rng_.Chance(p.alt_share);
    const GitIdentity& who = Identity(push.author, alt);
    const std::vector<FileRef> focus = files_->PickFocus(rng_, 1);
    std::vector<FileChange> changes = {files_->Change(rng_, focus[0], 'M', 0.5)};
    const std::string message = i == 0 && rng_.Chance(0.3) ? "Hotfix: " + TextGen::ChangeTitle(rng_)
                                                           : TextGen::ChangeTitle(rng_);
    const std::string sha = Record(who, at, p.tz, who, at, p.tz, message, {TipAt(at)}, changes);
    Advance(at, sha);
    out_.counts.direct_commits += at >= org_.window.sim_start ? 1 : 0;
    at += rng_.UniformInt(60, 900);
  }
}

void RepoSimulator::ApplyMerge(PrPlan* pr) {
  const std::string base = TipAt(pr->commits.front().at);
  pr->base_sha = base;
  const DemoPerson& merger = org_.people[static_cast<size_t>(pr->merged_by)];
  const DemoPerson& author = org_.people[static_cast<size_t>(pr->author)];
  std::vector<const std::vector<FileChange>*> parts;
  for (const PlannedCommit& c : pr->commits) parts.push_back(&c.changes);
  const int64_t at = pr->merged_at;
  std::string tip = TipAt(at);
  if (pr->kind == MergeKind::kMergeCommit) {
    std::string parent = base;
    for (PlannedCommit& c : pr->commits) {
      const GitIdentity& who = Identity(c.author, c.alt);
      const int32_t tz = org_.people[static_cast<size_t>(c.author)].tz;
      c.sha = Record(who, c.at, tz, who, c.at, tz, c.message, {parent}, c.changes);
      parent = c.sha;
    }
    const std::string message = fmt::format("Merge pull request #{} from {}/{}\n\n{}", pr->number,
                                            kGitHubOrg, pr->head_ref, pr->title);
    tip = Record(WebIdentity(pr->merged_by), at, merger.tz, kGitHubCommitter, at, 0, message,
                 {tip, parent}, Aggregate(parts));
  } else if (pr->kind == MergeKind::kSquash) {
    std::string message = fmt::format("{} (#{})\n", pr->title, pr->number);
    for (PlannedCommit& c : pr->commits) {
      c.sha = shas_.Next();
      message += "\n* " + c.message;
    }
    tip = Record(WebIdentity(pr->author), at, author.tz, kGitHubCommitter, at, 0, message, {tip},
                 Aggregate(parts));
  } else {
    for (PlannedCommit& c : pr->commits) {
      c.sha = shas_.Next();
      const GitIdentity& who = Identity(c.author, c.alt);
      tip = Record(who, c.at, org_.people[static_cast<size_t>(c.author)].tz, kGitHubCommitter, at,
                   0, c.message, {tip}, c.changes);
    }
  }
  pr->merge_sha = tip;
  Advance(at, tip);
}

void RepoSimulator::ApplyRelease(int64_t at) {
  const std::string tip = TipAt(at);
  const std::string day = FormatRfc3339Utc(at).substr(0, 10);
  model::Ref tag;
  tag.repo_id = repo_.id;
  tag.kind = "tag";
  tag.updated_at = org_.window.end;
  if (repo_.kind == RepoKind::kService) {
    tag.name = "refs/tags/release-" + day;
    tag.target_sha = tip;
    tag.target_type = "commit";
    tag.commit_sha = tip;
    tags_.push_back(std::move(tag));
    return;
  }
  const std::string version = fmt::format("v1.{}.0", tags_.size() + 1);
  const DemoPerson& bot = org_.people[static_cast<size_t>(org_.ci_bot)];
  std::vector<FileChange> changes = {files_->Change(rng_, files_->changelog(), 'M', 0.8)};
  const std::string sha = Record(bot.work, at, 0, bot.work, at, 0,
                                 "chore(release): " + version + " [skip ci]", {tip}, changes);
  Advance(at, sha);
  out_.counts.direct_commits += 1;
  tag.name = "refs/tags/" + version;
  tag.target_sha = shas_.Next();
  tag.target_type = "tag";
  tag.commit_sha = sha;
  tag.tag_message = "Release " + version;
  tag.tagger_name = bot.work.name;
  tag.tagger_email = bot.work.email;
  tag.tagged_at = at;
  tags_.push_back(std::move(tag));
}

}  // namespace sei::demo
