#include "demo/org_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "demo/demo_ids.h"
#include "demo/work_hours.h"

namespace sei::demo {

namespace {

constexpr int kPeoplePerUnit = 64;  // name slots reserved per division
constexpr int kNameCombos = kFirstNames * kLastNames;
constexpr int32_t kRemoteZones[] = {-420, -360, 0, 60, 120, 330, 480, 540};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Hex(uint64_t v, int digits) {
  std::string s = fmt::format("{:016x}", v);
  return s.substr(16 - static_cast<size_t>(digits));
}

// Monday 09:00 (team time) of the week holding `t`.
int64_t MondayMorning(int64_t t, int32_t tz) {
  int64_t day = LocalDay(t, tz);
  day -= Weekday(day);
  return AtLocal(day, 9 * kHour, tz);
}

}  // namespace

std::string AsciiName(const std::string& name) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"á", "a"}, {"à", "a"}, {"ã", "a"}, {"â", "a"}, {"ä", "a"}, {"é", "e"},
      {"è", "e"}, {"ê", "e"}, {"í", "i"}, {"ó", "o"}, {"ô", "o"}, {"ö", "o"},
      {"ø", "o"}, {"ú", "u"}, {"ü", "u"}, {"ñ", "n"}, {"ç", "c"}, {"ć", "c"},
      {"Á", "A"}, {"É", "E"}, {"Ó", "O"}, {"Ø", "O"}, {"Ü", "U"}};
  std::string out;
  for (size_t i = 0; i < name.size();) {
    bool mapped = false;
    for (const auto& [from, to] : kMap) {
      const size_t n = std::char_traits<char>::length(from);
      if (name.compare(i, n, from) == 0) {
        out += to;
        i += n;
        mapped = true;
        break;
      }
    }
    if (mapped) continue;
    if (name[i] != '\'') out += name[i];
    ++i;
  }
  return out;
}

Org OrgBuilder::Build(int unit) const {
  Org org;
  org.unit = unit;
  org.seed = options_.seed;
  org.window = window_;
  org.size = options_.size;
  if (options_.scale && unit > 0) {
    org.profile.enterprise = true;
    org.profile.commits_lambda = 3.1;
    org.profile.weekly_staging = true;
  }
  org.division_id = TeamId(unit == 0 ? "engineering" : fmt::format("engineering-{}", unit + 1));
  org.division_name = unit == 0 ? "Engineering" : fmt::format("Engineering division {}", unit + 1);
  Rng rng = Rng::Derive(options_.seed, "org", static_cast<uint64_t>(unit));
  AddTeamsAndRepos(&org);
  AddPeople(&org, rng);
  AddMembershipChanges(&org, rng);
  AddBots(&org);
  return org;
}

void OrgBuilder::AddTeamsAndRepos(Org* org) const {
  Rng rng = Rng::Derive(options_.seed, "repos", static_cast<uint64_t>(org->unit));
  const std::string prefix = org->unit == 0 ? "" : fmt::format("d{}-", org->unit + 1);
  const std::string suffix = org->unit == 0 ? "" : std::to_string(org->unit + 1);
  for (int t = 0; t < kTemplateTeams; ++t) {
    const TeamTemplate& tpl = TemplateTeam(t);
    DemoTeam team;
    team.tpl = &tpl;
    team.slug = prefix + tpl.slug;
    team.name = org->unit == 0 ? tpl.name : fmt::format("{} {}", tpl.name, org->unit + 1);
    team.key = tpl.jira_key + suffix;
    team.id = TeamId(team.slug);
    team.board_id = model::MakeId(kJiraConnection, "board", team.slug);
    team.project_id = ProjectId(team.slug);
    for (const RepoTemplate& rt : tpl.repos) {
      DemoRepo repo;
      repo.team = t;
      repo.name = prefix + rt.name;
      repo.id = RepoId(repo.name);
      repo.kind = rt.kind;
      repo.language = rt.language;
      repo.service = rt.kind == RepoKind::kService ? repo.name : "";
      static constexpr double kEnterpriseMerges[3] = {0.75, 0.10, 0.15};
      const double* merges = org->profile.enterprise ? kEnterpriseMerges : tpl.merge_weights;
      std::copy(merges, merges + 3, repo.merge_weights);
      repo.created_at = window_.sim_start - rng.UniformInt(200, 1500) * kDay;
      repo.url = fmt::format("{}/{}/{}", kGitHubHost, kGitHubOrg, repo.name);
      team.repos.push_back(static_cast<int>(org->repos.size()));
      org->repos.push_back(std::move(repo));
    }
    org->teams.push_back(std::move(team));
  }
}

void OrgBuilder::AddPeople(Org* org, Rng& rng) const {
  for (int t = 0; t < kTemplateTeams; ++t) {
    const int n = org->teams[static_cast<size_t>(t)].tpl->people;
    for (int i = 0; i < n; ++i) {
      const Role role = i == 0 ? Role::kManager : i == 1 ? Role::kLead : Role::kEngineer;
      const int64_t hired = window_.sim_start - rng.UniformInt(60, 1800) * kDay;
      AddPerson(org, t, role, hired, rng);
    }
    DemoTeam& team = org->teams[static_cast<size_t>(t)];
    if (team.tpl->bottleneck) team.senior_reviewer = org->memberships.back().person - n + 2;
  }
}

void OrgBuilder::AddPerson(Org* org, int team, Role role, int64_t joined, Rng& rng) const {
  const int index = static_cast<int>(org->people.size());
  DemoPerson p;
  p.role = role;
  p.hired_at = joined;
  const TeamTemplate& tpl = *org->teams[static_cast<size_t>(team)].tpl;
  p.tz = rng.Chance(0.15) ? rng.Pick(kRemoteZones) : tpl.tz_minutes;
  p.off_hours = std::clamp(rng.LogNormal(0.10, 0.5), 0.02, 0.3);
  switch (role) {
    case Role::kManager:
      p.pr_rate = 0.3;
      break;
    case Role::kLead:
      p.pr_rate = 2.2;
      break;
    case Role::kEngineer:
      p.pr_rate = std::clamp(rng.LogNormal(3.2, 0.3), 1.2, 6.5);
      break;
  }
  for (int v = 0; v < 2; ++v) {
    const int64_t from =
        window_.sim_start + rng.UniformInt(0, (window_.end - window_.sim_start) / kDay) * kDay;
    p.away.emplace_back(from, from + (rng.Chance(0.5) ? 7 : 14) * kDay);
  }
  AddIdentities(org, &p, org->unit * kPeoplePerUnit + index, rng);
  org->people.push_back(std::move(p));
  const char* role_name = role == Role::kManager ? "manager"
                          : role == Role::kLead  ? "lead"
                                                 : "engineer";
  org->memberships.push_back({team, index, joined, kOpenEnded, role_name});
}

void OrgBuilder::AddIdentities(Org* org, DemoPerson* p, int g, Rng& rng) const {
  const uint64_t a = 7919, b = options_.seed % kNameCombos;
  const int combo = static_cast<int>((a * static_cast<uint64_t>(g) + b) % kNameCombos);
  const std::string first = FirstName(combo / kLastNames), last = LastName(combo % kLastNames);
  p->name = first + " " + last;
  const std::string af = Lower(AsciiName(first)), al = Lower(AsciiName(last));
  p->slug = g < kNameCombos ? af + "." + al : fmt::format("{}.{}{}", af, al, g / kNameCombos);
  p->person_id = PersonId(p->slug);
  p->work = {p->name, p->slug + "@" + kMailDomain};
  p->github_id =
      1'000'000 + static_cast<int64_t>((static_cast<uint64_t>(g) * 7331 + b) % 89'000'000);
  const std::string logins[] = {af + al, af + "-" + al, af.substr(0, 1) + al, al + af,
                                af + al.substr(0, 1) + "-dev"};
  p->github_login = rng.Pick(logins);
  p->github_account = GitHubAccountId(p->github_id);
  p->github_has_name = rng.Chance(0.85);
  p->github_public_email = rng.Chance(0.3);
  p->noreply_email = fmt::format("{}+{}@users.noreply.github.com", p->github_id, p->github_login);
  const uint64_t j = Mix64(HashString("jira", options_.seed) ^ static_cast<uint64_t>(g));
  p->jira_account_id = Hex(j, 16) + Hex(Mix64(j), 8);
  p->jira_account = JiraAccountId(p->jira_account_id);
  p->jira_has_email = rng.Chance(0.7);
  AddAltIdentity(p, first, last, org->people.size() == 2, rng);
}

void OrgBuilder::AddAltIdentity(DemoPerson* p, const std::string& first, const std::string& last,
                                bool force_noreply, Rng& rng) const {
  // A second git identity: the GitHub noreply address (at least one person
  // per division), a personal email, a misconfigured laptop, or the work
  // mailbox spelled with other case ("Ana.Souza@acme.example", one account
  // once lowercased).
  const std::string af = Lower(AsciiName(first)), al = Lower(AsciiName(last));
  const double profile = rng.Uniform();
  if (force_noreply || (profile >= 0.50 && profile < 0.65)) {
    p->noreply = true;
    p->alt = {p->name, p->noreply_email};
    p->alt_share = 0.35;
  } else if (profile < 0.22) {
    p->alt = {AsciiName(p->name),
              fmt::format("{}{}{}@mail.example", af, al.substr(0, 1), rng.UniformInt(70, 99))};
    p->alt_share = 0.3;
  } else if (profile < 0.30) {
    p->alt = {af, fmt::format("{}@{}-laptop.local", af, af)};
    p->alt_share = 0.15;
  } else if (profile < 0.35) {
    p->alt = {AsciiName(p->name),
              fmt::format("{}.{}@{}", AsciiName(first), AsciiName(last), kMailDomain)};
    p->alt_share = 0.25;
  }
}

void OrgBuilder::AddMembershipChanges(Org* org, Rng& rng) const {
  const int64_t span = window_.end - window_.start;
  auto pick_engineer = [&](int team) {
    std::vector<int> engineers;
    for (const Membership& m : org->memberships) {
      if (m.team == team && m.role == "engineer" && m.to == kOpenEnded)
        engineers.push_back(m.person);
    }
    return rng.Pick(engineers);
  };
  auto end_membership = [&](int person, int64_t at) {
    for (Membership& m : org->memberships) {
      if (m.person == person && m.to == kOpenEnded) m.to = at;
    }
  };
  // Platform -> Mobile mid-year (the improving team gains an engineer).
  const int mover = pick_engineer(1);
  const int64_t move_at = MondayMorning(window_.start + span / 2, TemplateTeam(2).tz_minutes);
  end_membership(mover, move_at);
  org->memberships.push_back({2, mover, move_at, kOpenEnded, "engineer"});
  // Someone leaves Growth and someone leaves Data.
  end_membership(pick_engineer(3), MondayMorning(window_.start + span * 7 / 10, 0) + 4 * kDay);
  end_membership(pick_engineer(5), MondayMorning(window_.start + span * 3 / 10, -480) + 4 * kDay);
  // Late joiners: Search (after the bottleneck was noticed) and Payments.
  AddPerson(org, 4, Role::kEngineer, MondayMorning(window_.start + span * 78 / 100, 330), rng);
  AddPerson(org, 0, Role::kEngineer, MondayMorning(window_.start + span * 35 / 100, 60), rng);
}

void OrgBuilder::AddBots(Org* org) const {
  DemoPerson dependabot;
  dependabot.bot = true;
  dependabot.slug = "dependabot";
  dependabot.name = "dependabot[bot]";
  dependabot.github_login = "dependabot[bot]";
  dependabot.github_id = 49699333;
  dependabot.github_account = GitHubAccountId(dependabot.github_id);
  dependabot.work = {"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"};
  dependabot.off_hours = 1.0;
  org->dependabot = static_cast<int>(org->people.size());
  org->people.push_back(std::move(dependabot));
  DemoPerson ci;
  ci.bot = true;
  ci.slug = "acme-ci-bot";
  ci.name = "acme-ci-bot";
  ci.github_login = "acme-ci-bot";
  ci.github_id = 90000001;
  ci.github_account = GitHubAccountId(ci.github_id);
  ci.work = {"acme-ci-bot", std::string("ci-bot@") + kMailDomain};
  ci.off_hours = 1.0;
  org->ci_bot = static_cast<int>(org->people.size());
  org->people.push_back(std::move(ci));
}

}  // namespace sei::demo
