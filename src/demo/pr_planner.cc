#include "demo/pr_planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "demo/text_gen.h"
#include "demo/work_hours.h"

namespace sei::demo {

namespace {

constexpr double kClosedShare = 0.07;
constexpr double kStaleShare = 0.025;
constexpr double kDraftShare = 0.14;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

PrPlanner::PrPlanner(const Org& org, int team, std::vector<FileModel>* files,
                     const std::vector<std::vector<WorkItem>>& work)
    : org_(org),
      team_(org.teams[static_cast<size_t>(team)]),
      team_index_(team),
      files_(files),
      work_(work),
      rng_(Rng::Derive(org.seed, "prs:" + org.teams[static_cast<size_t>(team)].slug)) {}

std::vector<std::vector<PrPlan>> PrPlanner::Run() {
  std::vector<std::vector<PrPlan>> out(team_.repos.size());
  for (const Membership& m : org_.memberships) {
    if (m.team == team_index_) PlanMember(m, &out);
  }
  PlanBots(&out);
  for (size_t i = 0; i < out.size(); ++i) {
    std::stable_sort(out[i].begin(), out[i].end(),
                     [](const PrPlan& a, const PrPlan& b) { return a.created_at < b.created_at; });
    const DemoRepo& repo = org_.repos[static_cast<size_t>(team_.repos[i])];
    Rng numbers = Rng::Derive(org_.seed, "pr-numbers:" + repo.id);
    const int64_t base = numbers.UniformInt(40, 1500);
    for (size_t n = 0; n < out[i].size(); ++n) out[i][n].number = base + static_cast<int64_t>(n);
  }
  return out;
}

void PrPlanner::PlanMember(const Membership& m, std::vector<std::vector<PrPlan>>* out) {
  const DemoPerson& p = org_.people[static_cast<size_t>(m.person)];
  const size_t n = team_.repos.size();
  std::vector<double> weights(n, 0.25);
  weights[rng_.Index(n)] += 2.0;
  weights[rng_.Index(n)] += 1.0;
  const double rate = p.pr_rate * org_.size / 5.0;
  const int64_t from = std::max(m.from, org_.window.sim_start);
  const int64_t to = std::min(m.to, org_.window.end);
  for (int64_t day = LocalDay(from, p.tz); day <= LocalDay(to - 1, p.tz); ++day) {
    const int64_t morning = AtLocal(day, 9 * kHour, p.tz);
    if (morning < from || morning >= to || org_.Away(m.person, morning)) continue;
    // Weekends see the odd session from people who work off hours.
    const bool weekend = IsWeekend(day);
    const double factor = weekend ? p.off_hours : SeasonFactor(day);
    const int64_t count = rng_.Poisson(rate * factor);
    for (int64_t k = 0; k < count; ++k) {
      const double hours =
          weekend ? rng_.Uniform(2 * kHour, 10 * kHour) : rng_.Uniform(0, 8.5 * kHour);
      const int64_t t0 = morning + static_cast<int64_t>(hours);
      const size_t r = rng_.Weighted(weights);
      PrPlan plan = PlanHuman(m.person, team_.repos[r], t0);
      if (plan.created_at < org_.window.end) (*out)[r].push_back(std::move(plan));
    }
  }
}

int64_t PrPlanner::Snap(int person, int64_t t) {
  const DemoPerson& p = org_.people[static_cast<size_t>(person)];
  return SnapToWork(t, p.tz, p.off_hours, rng_);
}

MergeKind PrPlanner::PickKind(int repo) {
  return static_cast<MergeKind>(
      rng_.Weighted(org_.repos[static_cast<size_t>(repo)].merge_weights, 3));
}

PrPlan PrPlanner::PlanHuman(int author, int repo, int64_t t0) {
  const Context c{repo, org_.Improvement(team_index_, t0)};
  PrPlan pr;
  pr.author = author;
  pr.kind = PickKind(repo);
  Title(author, t0, &pr);
  PlanCoding(c, &pr, t0);
  const int64_t open_at = pr.ready_at != 0 ? pr.ready_at : pr.created_at;
  const double r = rng_.Uniform();
  if (r < kClosedShare) {
    PlanClosed(c, &pr, open_at);
  } else if (r < kClosedShare + kStaleShare) {
    pr.outcome = PrOutcome::kOpen;
  } else {
    int64_t approved = -1;
    if (!rng_.Chance(team_.tpl->no_review_share)) approved = PlanReviews(c, &pr, open_at);
    const bool by_author = approved < 0 || pr.reviews.empty() || rng_.Chance(0.75);
    pr.merged_by = by_author ? author : pr.reviews.back().reviewer;
    const int64_t after = approved < 0 ? std::max(open_at, pr.commits.back().at) : approved;
    const double wait = approved < 0 ? 1.5 * kHour : 1.0 * kHour;
    pr.merged_at =
        Snap(pr.merged_by, after + static_cast<int64_t>(rng_.LogNormal(wait * c.f, 1.0)));
    pr.closed_at = pr.merged_at;
    pr.outcome = PrOutcome::kMerged;
  }
  if (rng_.Chance(0.3)) {
    const int64_t last = pr.merged_at != 0 ? pr.merged_at : pr.created_at + 3 * kDay;
    const int who = rng_.Chance(0.6) || pr.reviews.empty() ? author : pr.reviews[0].reviewer;
    PlannedComment comment;
    comment.author = who;
    comment.at = pr.created_at +
                 static_cast<int64_t>(rng_.Uniform() * static_cast<double>(last - pr.created_at));
    comment.body = TextGen::ConversationComment(rng_);
    pr.comments.push_back(std::move(comment));
  }
  ClipToWindow(&pr);
  return pr;
}

void PrPlanner::Title(int author, int64_t t0, PrPlan* pr) {
  const std::string change = TextGen::ChangeTitle(rng_);
  for (const WorkItem& w : work_[static_cast<size_t>(author)]) {
    if (w.from <= t0 && t0 < w.to && rng_.Chance(0.8)) {
      pr->title = w.key + ": " + change;
      pr->head_ref = "feature/" + Lower(w.key) + "-" + TextGen::Slug(change);
      return;
    }
  }
  pr->title = change;
  const std::string prefix = change.rfind("Fix", 0) == 0 ? "fix/" : "feature/";
  pr->head_ref = rng_.Chance(0.3) ? org_.people[static_cast<size_t>(author)].github_login + "/" +
                                        TextGen::Slug(change)
                                  : prefix + TextGen::Slug(change);
  if (change.rfind("Fix", 0) == 0 && rng_.Chance(0.6)) pr->labels = R"(["bug"])";
}

PlannedCommit PrPlanner::MakeCommit(const Context& c, int author, int64_t at,
                                    const std::vector<FileRef>& focus, size_t files,
                                    bool after_review) {
  const DemoPerson& p = org_.people[static_cast<size_t>(author)];
  PlannedCommit commit;
  commit.author = author;
  commit.alt = !p.alt.email.empty() && rng_.Chance(p.alt_share);
  commit.at = at;
  commit.after_review = after_review;
  commit.message = TextGen::FollowUpMessage(rng_, after_review);
  FileModel& model = (*files_)[static_cast<size_t>(c.repo)];
  const double scale = std::sqrt(c.f);
  std::vector<FileRef> chosen;
  for (size_t i = 0; i < focus.size() && chosen.size() < files; ++i) {
    const FileRef f = focus[rng_.Index(focus.size())];
    if (std::find(chosen.begin(), chosen.end(), f) == chosen.end()) chosen.push_back(f);
  }
  for (FileRef f : chosen) commit.changes.push_back(model.Change(rng_, f, 'M', scale));
  return commit;
}

void PrPlanner::PlanCoding(const Context& c, PrPlan* pr, int64_t t0) {
  FileModel& model = (*files_)[static_cast<size_t>(c.repo)];
  const int64_t commits = 1 + rng_.Poisson(org_.profile.commits_lambda * c.f);
  const double coding = std::clamp(rng_.LogNormal(16.0 * kHour * c.f, 1.0), 600.0, 20.0 * kDay);
  focus_ = model.PickFocus(rng_, static_cast<size_t>(1 + rng_.Poisson(1.8 * std::sqrt(c.f))));
  const bool fresh = rng_.Chance(0.3);
  std::vector<double> offsets = {0.0};
  for (int64_t i = 1; i < commits; ++i) offsets.push_back(rng_.Uniform());
  std::sort(offsets.begin(), offsets.end());
  int64_t prev = 0;
  // A session outside working hours (a weekend afternoon) keeps its first commits there.
  const bool session = !InWorkingHours(t0, org_.people[static_cast<size_t>(pr->author)].tz);
  for (size_t i = 0; i < offsets.size(); ++i) {
    const int64_t raw = t0 + static_cast<int64_t>(offsets[i] * coding);
    int64_t at = session && raw - t0 < 4 * kHour ? raw : Snap(pr->author, raw);
    at = std::max(at, prev + 120);
    prev = at;
    const size_t files = i == 0 ? std::min<size_t>(3, focus_.size()) : 1 + rng_.Index(2);
    pr->commits.push_back(MakeCommit(c, pr->author, at, focus_, files, false));
  }
  pr->commits[0].message = pr->title;
  if (fresh) {
    const FileRef f = model.AddFresh(rng_);
    pr->commits[0].changes.push_back(model.Change(rng_, f, 'A', std::sqrt(c.f)));
  }
  const int64_t last = pr->commits.back().at;
  pr->draft = commits >= 2 && rng_.Chance(kDraftShare);
  if (pr->draft) {
    pr->created_at =
        std::max(pr->commits[0].at + 60, Snap(pr->author, t0 + static_cast<int64_t>(0.1 * coding)));
    pr->ready_at =
        std::max(pr->created_at + 60,
                 Snap(pr->author, last + static_cast<int64_t>(rng_.LogNormal(1800, 0.8))));
  } else {
    pr->created_at = Snap(pr->author, last + static_cast<int64_t>(rng_.LogNormal(1500, 0.8)));
  }
}

int PrPlanner::PickReviewer(int author, int64_t t) {
  std::vector<int> candidates;
  std::vector<double> weights;
  for (int p : org_.MembersAt(team_index_, t)) {
    if (p == author || org_.Away(p, t)) continue;
    const DemoPerson& person = org_.people[static_cast<size_t>(p)];
    double w = person.role == Role::kManager ? 0.2 : person.role == Role::kLead ? 1.5 : 1.0;
    if (p == team_.senior_reviewer) w = 6.0;
    candidates.push_back(p);
    weights.push_back(w);
  }
  if (candidates.empty()) return -1;
  return candidates[rng_.Weighted(weights)];
}

int64_t PrPlanner::PlanReviews(const Context& c, PrPlan* pr, int64_t open_at) {
  const int reviewer = PickReviewer(pr->author, open_at);
  if (reviewer < 0) return -1;
  const TeamTemplate& tpl = *team_.tpl;
  int64_t t =
      Snap(reviewer,
           open_at + static_cast<int64_t>(rng_.LogNormal(tpl.pickup_hours * kHour * c.f, 1.0)));
  static constexpr const char* kStates[] = {"approved", "changes_requested", "commented"};
  static constexpr double kFirst[] = {0.55, 0.30, 0.15};
  static constexpr double kLater[] = {0.80, 0.20, 0.0};
  for (int round = 0;; ++round) {
    const char* state =
        round >= 2 ? "approved" : kStates[rng_.Weighted(round == 0 ? kFirst : kLater, 3)];
    pr->reviews.push_back({reviewer, t, state, TextGen::ReviewBody(rng_, state)});
    const int index = static_cast<int>(pr->reviews.size()) - 1;
    const bool approved = std::string(state) == "approved";
    if (!approved || rng_.Chance(0.25)) AddReviewComments(c, pr, index);
    if (approved) {
      int64_t last = t;
      const int second = rng_.Chance(0.2) ? PickReviewer(pr->author, t) : -1;
      if (second >= 0 && second != reviewer) {
        const int64_t t2 =
            Snap(second, t + static_cast<int64_t>(rng_.LogNormal(1.5 * kHour * c.f, 1.0)));
        pr->reviews.push_back({second, t2, "approved", TextGen::ReviewBody(rng_, "approved")});
        last = std::max(last, t2);
      }
      return last;
    }
    AddRework(c, pr, t);
    t = Snap(reviewer, pr->commits.back().at + static_cast<int64_t>(rng_.LogNormal(
                                                   tpl.rereview_hours * kHour * c.f, 1.0)));
  }
}

void PrPlanner::AddReviewComments(const Context& c, PrPlan* pr, int review) {
  (void)c;
  const PlannedReview& r = pr->reviews[static_cast<size_t>(review)];
  const int64_t n = r.state == "approved" ? 1 : 1 + rng_.Poisson(1.5);
  for (int64_t k = 0; k < n; ++k) {
    PlannedComment comment;
    comment.author = r.reviewer;
    comment.at = std::max(pr->created_at, r.at - rng_.UniformInt(0, 600));
    comment.on_diff = true;
    comment.review = review;
    comment.file = rng_.Pick(focus_);
    comment.line = rng_.UniformInt(1, 400);
    comment.body = TextGen::ReviewComment(rng_);
    pr->comments.push_back(std::move(comment));
  }
}

void PrPlanner::AddRework(const Context& c, PrPlan* pr, int64_t after) {
  const int64_t n = 1 + rng_.Poisson(0.6);
  int64_t t = after;
  for (int64_t k = 0; k < n; ++k) {
    t = Snap(pr->author, t + static_cast<int64_t>(rng_.LogNormal(1.2 * kHour * c.f, 0.9)));
    pr->commits.push_back(MakeCommit(c, pr->author, t, focus_, 1, true));
  }
}

void PrPlanner::PlanClosed(const Context& c, PrPlan* pr, int64_t open_at) {
  pr->outcome = PrOutcome::kClosed;
  pr->closed_at = Snap(pr->author, open_at + static_cast<int64_t>(rng_.LogNormal(2.5 * kDay, 1.0)));
  if (!rng_.Chance(0.4)) return;
  const int reviewer = PickReviewer(pr->author, open_at);
  if (reviewer < 0) return;
  const int64_t t = Snap(reviewer, open_at + static_cast<int64_t>(rng_.LogNormal(
                                                 team_.tpl->pickup_hours * kHour * c.f, 1.0)));
  if (t >= pr->closed_at) return;
  pr->reviews.push_back(
      {reviewer, t, "changes_requested", TextGen::ReviewBody(rng_, "changes_requested")});
  AddReviewComments(c, pr, static_cast<int>(pr->reviews.size()) - 1);
}

void PrPlanner::PlanBots(std::vector<std::vector<PrPlan>>* out) {
  for (size_t i = 0; i < team_.repos.size(); ++i) {
    int64_t day = LocalDay(org_.window.sim_start, 0);
    day -= Weekday(day);
    for (; day * kDay < org_.window.end; day += 7) {
      if (!rng_.Chance(0.45 * org_.size)) continue;
      const int64_t t = AtLocal(day, 5 * kHour, 0) + rng_.UniformInt(0, 7200);
      PrPlan pr = PlanBot(team_.repos[i], t);
      if (pr.created_at < org_.window.end) (*out)[i].push_back(std::move(pr));
    }
  }
}

PrPlan PrPlanner::PlanBot(int repo, int64_t t) {
  const int bot = org_.dependabot;
  const FileModel& model = (*files_)[static_cast<size_t>(repo)];
  PrPlan pr;
  pr.author = bot;
  pr.kind = PickKind(repo);
  std::string package;
  pr.title = TextGen::DependencyBump(rng_, &package);
  pr.head_ref = "dependabot/" + TextGen::Slug(package) + "-" +
                TextGen::Slug(pr.title.substr(pr.title.rfind(' ') + 1));
  pr.labels = R"(["dependencies"])";
  PlannedCommit commit;
  commit.author = bot;
  commit.at = t;
  commit.message = pr.title;
  commit.changes.push_back({model.manifest(), 'M', 1, 1});
  if (model.lockfile() != model.manifest()) {
    const int32_t lines = static_cast<int32_t>(std::lround(rng_.LogNormal(12, 0.7)));
    commit.changes.push_back({model.lockfile(), 'M', lines, lines});
  }
  pr.commits.push_back(std::move(commit));
  pr.created_at = t + 30;
  const double r = rng_.Uniform();
  if (r < 0.15) {  // superseded by a newer bump
    pr.outcome = PrOutcome::kClosed;
    pr.closed_at = pr.created_at + static_cast<int64_t>(rng_.LogNormal(6.0 * kDay, 0.6));
  } else {
    const int reviewer = r < 0.55 ? -1 : PickReviewer(bot, pr.created_at);
    int64_t at = pr.created_at + static_cast<int64_t>(rng_.LogNormal(1200, 0.5));  // auto-merge
    if (reviewer >= 0) {
      const double pickup = team_.tpl->pickup_hours * 1.5 * kHour;
      at = Snap(reviewer, pr.created_at + static_cast<int64_t>(rng_.LogNormal(pickup, 1.0)));
      pr.reviews.push_back({reviewer, at, "approved", "LGTM"});
      at = Snap(reviewer, at + static_cast<int64_t>(rng_.LogNormal(600, 0.8)));
    }
    pr.outcome = PrOutcome::kMerged;
    pr.merged_by = reviewer >= 0 ? reviewer : bot;
    pr.merged_at = pr.closed_at = at;
  }
  ClipToWindow(&pr);
  return pr;
}

void PrPlanner::ClipToWindow(PrPlan* pr) const {
  const int64_t end = org_.window.end;
  if (pr->created_at >= end) return;
  auto late = [end](const auto& x) { return x.at >= end; };
  pr->commits.erase(std::remove_if(pr->commits.begin(), pr->commits.end(), late),
                    pr->commits.end());
  pr->reviews.erase(std::remove_if(pr->reviews.begin(), pr->reviews.end(), late),
                    pr->reviews.end());
  pr->comments.erase(std::remove_if(pr->comments.begin(), pr->comments.end(),
                                    [&](const PlannedComment& c) {
                                      return c.at >= end ||
                                             (c.review >= 0 &&
                                              static_cast<size_t>(c.review) >= pr->reviews.size());
                                    }),
                     pr->comments.end());
  if (pr->ready_at >= end) pr->ready_at = 0;
  if (pr->merged_at >= end || pr->closed_at >= end) {
    pr->outcome = PrOutcome::kOpen;
    pr->merged_at = pr->closed_at = 0;
    pr->merged_by = -1;
  }
  int64_t updated = std::max({pr->created_at, pr->ready_at, pr->merged_at, pr->closed_at});
  for (const PlannedCommit& c : pr->commits) updated = std::max(updated, c.at);
  for (const PlannedReview& r : pr->reviews) updated = std::max(updated, r.at);
  for (const PlannedComment& c : pr->comments) updated = std::max(updated, c.at);
  pr->updated_at = updated;
}

}  // namespace sei::demo
