#include "identity/identity_resolver.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "identity/constrained_union_find.h"
#include "identity/link_rules.h"
#include "identity/person_adopter.h"
#include "identity/person_builder.h"
#include "identity/text.h"

namespace sei::identity {

namespace {

bool Earlier(const model::IdentityOverride* a, const model::IdentityOverride* b) {
  return a->created_at != b->created_at ? a->created_at < b->created_at : a->id < b->id;
}

// One resolution's working state.
class Run {
 public:
  Run(const ResolverOptions& options, const ResolverInput& input,
      std::vector<model::Account> accounts)
      : options_(options),
        input_(input),
        accounts_(std::move(accounts)),
        sets_(static_cast<uint32_t>(accounts_.size())) {
    for (uint32_t i = 0; i < accounts_.size(); ++i) index_[accounts_[i].id] = i;
    for (const model::Person& p : input_.previous_people) {
      if (!IsResolverPersonId(p.id)) existing_.insert(p.id);
    }
    refused_.assign(accounts_.size(), false);
  }

  Resolution Go(const std::regex& bot) {
    facts_ = ComputeFacts(accounts_, input_.mailmaps, bot, options_.code_hosts);
    SortOverrides();
    ApplySplits();
    ApplyMerges();
    std::vector<LinkCandidate> automatic = AutomaticCandidates(facts_);
    std::stable_sort(automatic.begin(), automatic.end(),
                     [](const auto& a, const auto& b) { return a.rule < b.rule; });
    Offer(automatic);
    if (options_.same_name) {
      SameNameResult names = SameNameCandidates(facts_, sets_);
      ambiguous_ = std::move(names.ambiguous);
      Offer(names.links);
    }
    PersonBuilder(accounts_, facts_, input_).Build(sets_, tree_, applied_merges_, claims_, &out_);
    KeepUnchangedTimes();
    FindUnmatched();
    return std::move(out_);
  }

 private:
  void Issue(const model::IdentityOverride& o, std::string message) {
    out_.issues.push_back({o.id, std::move(message)});
  }

  // The accounts an override names, or an issue saying which is missing.
  bool Lookup(const model::IdentityOverride& o, uint32_t* a, std::optional<uint32_t>* b) {
    auto ia = index_.find(o.account_id);
    if (ia == index_.end()) {
      Issue(o, "account " + o.account_id + " is not in the store (any more)");
      return false;
    }
    *a = ia->second;
    b->reset();
    if (!o.other_account_id) return true;
    auto ib = index_.find(*o.other_account_id);
    if (ib == index_.end()) {
      Issue(o, "account " + *o.other_account_id + " is not in the store (any more)");
      return false;
    }
    *b = ib->second;
    return true;
  }

  void SortOverrides() {
    for (const model::IdentityOverride& o : input_.overrides) {
      if (o.action == "merge") {
        merges_.push_back(&o);
      } else if (o.action == "split") {
        splits_.push_back(&o);
      } else {
        Issue(o, "unknown action '" + o.action + "' (expected merge or split)");
      }
    }
    std::sort(merges_.begin(), merges_.end(), Earlier);
    std::sort(splits_.begin(), splits_.end(), Earlier);
  }

  void ApplySplits() {
    for (const model::IdentityOverride* o : splits_) {
      uint32_t a = 0;
      std::optional<uint32_t> b;
      if (!Lookup(*o, &a, &b)) continue;
      if (b) {
        sets_.CannotLink(a, *b);
        split_pairs_.push_back({o, a, *b});
      } else {
        facts_[a].isolated = true;
      }
    }
  }

  // The split keeping the sets of a and b apart, for the message.
  std::string BlockingSplit(uint32_t a, uint32_t b) {
    for (const auto& [o, x, y] : split_pairs_) {
      const uint32_t rx = sets_.Find(x), ry = sets_.Find(y);
      const uint32_t ra = sets_.Find(a), rb = sets_.Find(b);
      if ((rx == ra && ry == rb) || (rx == rb && ry == ra)) return o->id;
    }
    return "?";
  }

  // A merge of an account with an existing person's id: the account's set
  // is that person.
  bool PersonClaim(const model::IdentityOverride& o) {
    if (!o.other_account_id) return false;
    const bool a_person = index_.count(o.account_id) == 0 && existing_.count(o.account_id) != 0;
    const bool b_person =
        index_.count(*o.other_account_id) == 0 && existing_.count(*o.other_account_id) != 0;
    if (a_person == b_person) return false;  // two accounts (or two people: an issue below)
    const std::string& account = a_person ? *o.other_account_id : o.account_id;
    const std::string& person = a_person ? o.account_id : *o.other_account_id;
    auto it = index_.find(account);
    if (it == index_.end()) return false;  // reported as a missing account
    claims_.push_back({it->second, person});
    return true;
  }

  void ApplyMerges() {
    for (const model::IdentityOverride* o : merges_) {
      if (PersonClaim(*o)) continue;
      uint32_t a = 0;
      std::optional<uint32_t> b;
      if (!Lookup(*o, &a, &b)) continue;
      if (!b) {
        Issue(*o, "a merge needs two accounts; this one names only " + o->account_id);
        continue;
      }
      switch (sets_.Union(a, *b)) {
        case ConstrainedUnionFind::Outcome::kJoined:
          tree_.push_back({a, *b, Rule::kManualMerge});
          applied_merges_.push_back(o);
          break;
        case ConstrainedUnionFind::Outcome::kAlreadyJoined:
          applied_merges_.push_back(o);
          break;
        case ConstrainedUnionFind::Outcome::kBlocked:
          Issue(*o, "split " + BlockingSplit(a, *b) + " keeps " + o->account_id + " and " +
                        *o->other_account_id + " apart (undo one of the two)");
          break;
      }
    }
  }

  void Offer(const std::vector<LinkCandidate>& candidates) {
    for (const LinkCandidate& c : candidates) {
      if (RuleConfidence(c.rule) < options_.min_confidence) {
        ++out_.below_threshold;
        continue;
      }
      if (facts_[c.a].isolated || facts_[c.b].isolated) {
        ++out_.blocked_by_split;
        continue;
      }
      switch (sets_.Union(c.a, c.b)) {
        case ConstrainedUnionFind::Outcome::kJoined:
          tree_.push_back({c.a, c.b, c.rule});
          break;
        case ConstrainedUnionFind::Outcome::kAlreadyJoined:
          break;
        case ConstrainedUnionFind::Outcome::kBlocked:
          ++out_.blocked_by_split;
          refused_[c.a] = refused_[c.b] = true;
          break;
      }
    }
  }

  // Accounts alone in a person of the resolver's (not bots): why.
  void FindUnmatched() {
    std::unordered_map<std::string_view, int64_t> size;
    for (const model::IdentityLink& l : out_.links) ++size[l.person_id];
    std::vector<bool> ambiguous(accounts_.size(), false);
    for (uint32_t a : ambiguous_) ambiguous[a] = true;
    for (uint32_t i = 0; i < accounts_.size(); ++i) {
      const std::string& person = out_.links[i].person_id;
      const AccountFacts& f = facts_[i];
      if (size[person] != 1 || !IsResolverPersonId(person) || f.bot) continue;
      UnmatchedWhy why = UnmatchedWhy::kUnique;
      if (f.isolated || refused_[i]) {
        why = UnmatchedWhy::kSplit;
      } else if (ambiguous[i]) {
        why = UnmatchedWhy::kAmbiguousName;
      } else if (WordCount(f.name) < 2) {
        why = f.email.empty() ? UnmatchedWhy::kNoIdentity : UnmatchedWhy::kShortName;
      }
      out_.unmatched.push_back({accounts_[i].id, why});
    }
  }

  // A link or person that did not change keeps the time it was made.
  void KeepUnchangedTimes() {
    std::unordered_map<std::string, const model::IdentityLink*> prev;
    for (const model::IdentityLink& l : input_.previous_links) prev[l.account_id] = &l;
    for (model::IdentityLink& l : out_.links) {
      auto it = prev.find(l.account_id);
      if (it == prev.end()) continue;
      const model::IdentityLink& p = *it->second;
      if (p.person_id == l.person_id && p.reason == l.reason && p.method == l.method &&
          std::fabs(p.confidence - l.confidence) < 1e-9) {
        l.updated_at = p.updated_at;
      }
    }
  }

  struct SplitPair {
    const model::IdentityOverride* o;
    uint32_t a, b;
  };

  const ResolverOptions& options_;
  const ResolverInput& input_;
  std::vector<model::Account> accounts_;
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<AccountFacts> facts_;
  ConstrainedUnionFind sets_;
  std::vector<const model::IdentityOverride*> merges_, splits_, applied_merges_;
  std::vector<SplitPair> split_pairs_;
  std::vector<TreeEdge> tree_;
  std::unordered_set<std::string> existing_;  // ids of people the resolver did not make
  std::vector<ManualClaim> claims_;
  std::vector<uint32_t> ambiguous_;  // accounts whose full name is ambiguous
  std::vector<bool> refused_;        // accounts a split refused a link
  Resolution out_;
};

}  // namespace

std::string_view UnmatchedWhyText(UnmatchedWhy why) {
  switch (why) {
    case UnmatchedWhy::kSplit:
      return "kept apart by a manual split";
    case UnmatchedWhy::kAmbiguousName:
      return "a full name several people hold, with emails in one domain or kept apart by a split";
    case UnmatchedWhy::kNoIdentity:
      return "no email and no full name, only a login or an id";
    case UnmatchedWhy::kShortName:
      return "an email no other account has, and no full name";
    case UnmatchedWhy::kUnique:
      return "an email and a full name no other account has";
  }
  return "unknown";
}

std::map<std::string, int64_t> Resolution::LinksByReason() const {
  std::map<std::string, int64_t> out;
  for (const model::IdentityLink& l : links) ++out[l.reason];
  return out;
}

int64_t Resolution::Bots() const {
  return std::count_if(people.begin(), people.end(), [](const auto& p) { return p.is_bot; });
}

IdentityResolver::IdentityResolver(ResolverOptions options) : options_(std::move(options)) {}

Result<Resolution> IdentityResolver::Resolve(const ResolverInput& input) const {
  std::regex bot;
  try {
    bot = std::regex(options_.bot_pattern, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& e) {
    return InvalidArgumentError("metrics.bot_pattern '" + options_.bot_pattern +
                                "' is not a valid regular expression: " + e.what());
  }
  // Sorted by id (an order-free input gives an order-free result), without
  // moving the accounts around: sort their positions, then copy once.
  std::vector<uint32_t> order(input.accounts.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return input.accounts[a].id < input.accounts[b].id; });
  std::vector<model::Account> accounts;
  accounts.reserve(order.size());
  for (uint32_t i : order) {
    if (accounts.empty() || accounts.back().id != input.accounts[i].id) {
      accounts.push_back(input.accounts[i]);
    }
  }
  return Run(options_, input, std::move(accounts)).Go(bot);
}

}  // namespace sei::identity
