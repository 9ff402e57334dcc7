#include "identity/person_builder.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "identity/text.h"

namespace sei::identity {

namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// One name or email an account offers, for "most used, then most recent".
struct Offer {
  std::string key;                                     // what counts as the same (normalised)
  std::string display;                                 // how it is shown
  int64_t seen = std::numeric_limits<int64_t>::min();  // last_seen_at of the account
};

// Most offers first, then the most recently seen, then the smallest text.
struct Tally {
  int64_t count = 0;
  int64_t seen = std::numeric_limits<int64_t>::min();
  bool Beats(const Tally& o) const { return count != o.count ? count > o.count : seen > o.seen; }
  void Add(int64_t at) {
    ++count;
    seen = std::max(seen, at);
  }
};

// The display of the key most offers share; ties: the most recently seen,
// then the smallest key. Within the key, the display most offers use (ties
// likewise), so "Ana Müller" on three accounts is not shown as the
// "Ana Muller" of a fourth.
std::optional<std::string> MostUsed(const std::vector<Offer>& offers) {
  struct Key {
    Tally tally;
    std::map<std::string, Tally> displays;
  };
  std::map<std::string, Key> keys;
  for (const Offer& o : offers) {
    Key& k = keys[o.key];
    k.tally.Add(o.seen);
    k.displays[o.display].Add(o.seen);
  }
  const Key* best = nullptr;
  for (const auto& [key, k] : keys) {
    if (best == nullptr || k.tally.Beats(best->tally)) best = &k;
  }
  if (best == nullptr) return std::nullopt;
  const std::pair<const std::string, Tally>* display = nullptr;
  for (const auto& d : best->displays) {
    if (display == nullptr || d.second.Beats(display->second)) display = &d;
  }
  return display->first;
}

int EmailClass(const AccountFacts& f) {
  if (f.canonical_email.empty()) return 2;
  return f.canonical_noreply ? 1 : 0;
}

}  // namespace

bool PersonBuilder::RanksBefore(uint32_t a, uint32_t b) const {
  const AccountFacts &fa = facts_[a], &fb = facts_[b];
  const auto key = [&](const AccountFacts& f) {
    return std::make_tuple(EmailClass(f), f.account->first_seen_at.value_or(kNever));
  };
  if (key(fa) != key(fb)) return key(fa) < key(fb);
  return fa.account->id < fb.account->id;
}

std::string PersonBuilder::DisplayName(
    const Group& g, const std::vector<const model::IdentityOverride*>& merges) const {
  if (!merges.empty()) {
    std::unordered_set<std::string> ids;
    for (uint32_t m : g.members) ids.insert(facts_[m].account->id);
    for (auto it = merges.rbegin(); it != merges.rend(); ++it) {  // the latest --name wins
      if ((*it)->display_name && ids.count((*it)->account_id) != 0) return *(*it)->display_name;
    }
  }
  std::vector<Offer> mailmap, names, logins;
  for (uint32_t m : g.members) {
    const AccountFacts& f = facts_[m];
    const int64_t seen = f.account->last_seen_at.value_or(std::numeric_limits<int64_t>::min());
    if (f.mailmap_name) mailmap.push_back({NormalizeName(*f.mailmap_name), *f.mailmap_name, seen});
    if (f.account->name && !Trim(*f.account->name).empty()) {
      names.push_back({NormalizeName(*f.account->name), std::string(Trim(*f.account->name)), seen});
    }
    if (f.account->login) logins.push_back({f.login, *f.account->login, seen});
  }
  for (const auto* offers : {&mailmap, &names, &logins}) {
    if (auto best = MostUsed(*offers)) return *best;
  }
  const AccountFacts& anchor = facts_[g.anchor];
  if (!anchor.email.empty()) return anchor.email.substr(0, anchor.email.find('@'));
  return anchor.account->id;
}

std::optional<std::string> PersonBuilder::PrimaryEmail(const Group& g) const {
  std::vector<Offer> mailmap, real, noreply;
  for (uint32_t m : g.members) {
    const AccountFacts& f = facts_[m];
    if (f.canonical_email.empty()) continue;
    const int64_t seen = f.account->last_seen_at.value_or(std::numeric_limits<int64_t>::min());
    Offer o{f.canonical_email, f.canonical_email, seen};
    if (f.mailmapped_email) {
      mailmap.push_back(o);
    } else if (f.canonical_noreply) {
      noreply.push_back(o);
    } else {
      real.push_back(o);
    }
  }
  for (const auto* offers : {&mailmap, &real, &noreply}) {
    if (auto best = MostUsed(*offers)) return best;
  }
  return std::nullopt;
}

model::Person PersonBuilder::MakePerson(const Group& g, const std::string& name) const {
  model::Person p;
  p.id = g.person_id;
  p.display_name = name;
  p.primary_email = PrimaryEmail(g);
  p.is_bot =
      std::all_of(g.members.begin(), g.members.end(), [&](uint32_t m) { return facts_[m].bot; });
  std::optional<int64_t> first;
  for (uint32_t m : g.members) {
    const auto& seen = facts_[m].account->first_seen_at;
    if (seen && (!first || *seen < *first)) first = seen;
  }
  p.created_at = first.value_or(input_.now);
  if (auto prev = previous_created_.find(p.id); prev != previous_created_.end()) {
    p.created_at = prev->second;
  }
  if (!g.existing) return p;
  // An existing person keeps its row; resolution only names a nameless one
  // and flags a bot. Its email stays as it is, even missing: written back,
  // it would claim the accounts again after the merge that brought them is
  // undone.
  model::Person kept = existing_[*g.existing];
  if (Trim(kept.display_name).empty()) kept.display_name = p.display_name;
  kept.is_bot = kept.is_bot || p.is_bot;
  return kept;
}

void PersonBuilder::AssignIds(std::vector<Group>& groups, const std::vector<ManualClaim>& claims,
                              Resolution* out) const {
  std::vector<std::vector<uint32_t>> members;
  members.reserve(groups.size());
  for (const Group& g : groups) members.push_back(g.members);
  Adoption adoption = PersonAdopter(existing_, facts_).Assign(members, claims);
  std::unordered_set<std::string> taken;
  for (size_t i = 0; i < groups.size(); ++i) {
    Group& g = groups[i];
    g.existing = adoption.person_of_group[i];
    if (g.existing) {
      g.person_id = existing_[*g.existing].id;
      ++out->adopted;
      continue;
    }
    const AccountFacts& anchor = facts_[g.anchor];
    std::string id = std::string(kResolverPersonPrefix) +
                     (anchor.canonical_email.empty() ? anchor.account->id : anchor.canonical_email);
    if (taken.count(id) != 0) id = std::string(kResolverPersonPrefix) + anchor.account->id;
    while (taken.count(id) != 0) id += "+";
    taken.insert(id);
    g.person_id = id;
  }
  for (size_t p = 0; p < existing_.size(); ++p) {
    if (adoption.claimed[p]) continue;
    out->people.push_back(existing_[p]);  // nobody's accounts: kept as it is
    ++out->existing_without_accounts;
  }
  out->retired = std::move(adoption.retired);
}

void PersonBuilder::AddLinks(const Group& g, const std::vector<std::vector<TreeEdge>>& adjacency,
                             std::vector<model::IdentityLink>* links) const {
  // Breadth first from the anchor over the unions made (strongest first, so
  // each path is the strongest one there is).
  const bool alone_by_split = g.members.size() == 1 && facts_[g.anchor].isolated;
  model::IdentityLink& anchor = (*links)[g.anchor];
  anchor = {facts_[g.anchor].account->id,
            g.person_id,
            alone_by_split ? "manual-split" : "canonical",
            1.0,
            alone_by_split ? "manual" : "auto",
            input_.now};
  std::vector<uint32_t> queue = {g.anchor};
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t at = queue[head];
    for (const TreeEdge& e : adjacency[at]) {
      const uint32_t next = e.a == at ? e.b : e.a;
      model::IdentityLink& l = (*links)[next];
      if (!l.person_id.empty()) continue;  // reached already
      l = {facts_[next].account->id,
           g.person_id,
           std::string(RuleReason(e.rule)),
           std::min((*links)[at].confidence, RuleConfidence(e.rule)),
           e.rule == Rule::kManualMerge ? "manual" : "auto",
           input_.now};
      queue.push_back(next);
    }
  }
}

void PersonBuilder::Build(ConstrainedUnionFind& sets, const std::vector<TreeEdge>& tree,
                          const std::vector<const model::IdentityOverride*>& merges,
                          const std::vector<ManualClaim>& claims, Resolution* out) {
  const uint32_t n = static_cast<uint32_t>(accounts_.size());
  std::unordered_map<uint32_t, Group> by_root;
  for (uint32_t i = 0; i < n; ++i) by_root[sets.Find(i)].members.push_back(i);
  std::vector<Group> groups;
  groups.reserve(by_root.size());
  for (auto& [root, g] : by_root) {
    g.anchor = *std::min_element(g.members.begin(), g.members.end(),
                                 [&](uint32_t a, uint32_t b) { return RanksBefore(a, b); });
    groups.push_back(std::move(g));
  }
  std::sort(groups.begin(), groups.end(),
            [&](const Group& a, const Group& b) { return RanksBefore(a.anchor, b.anchor); });
  AssignIds(groups, claims, out);
  std::vector<std::vector<TreeEdge>> adjacency(n);
  for (const TreeEdge& e : tree) {
    adjacency[e.a].push_back(e);
    adjacency[e.b].push_back(e);
  }
  std::vector<model::IdentityLink> links(n);  // by account (so by account id)
  for (const Group& g : groups) {
    out->people.push_back(MakePerson(g, DisplayName(g, merges)));
    AddLinks(g, adjacency, &links);
  }
  std::sort(out->people.begin(), out->people.end(),
            [](const model::Person& a, const model::Person& b) { return a.id < b.id; });
  out->links = std::move(links);
  out->accounts = accounts_;
  for (uint32_t i = 0; i < n; ++i) out->accounts[i].person_id = out->links[i].person_id;
}

}  // namespace sei::identity
