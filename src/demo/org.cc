#include "demo/org.h"

namespace sei::demo {

std::vector<int> Org::MembersAt(int team, int64_t t) const {
  std::vector<int> out;
  for (const Membership& m : memberships) {
    if (m.team == team && m.from <= t && t < m.to) out.push_back(m.person);
  }
  return out;
}

bool Org::Away(int person, int64_t t) const {
  for (const auto& [from, to] : people[static_cast<size_t>(person)].away) {
    if (from <= t && t < to) return true;
  }
  return false;
}

int Org::TeamOf(int person, int64_t t) const {
  for (const Membership& m : memberships) {
    if (m.person == person && m.from <= t && t < m.to) return m.team;
  }
  return -1;
}

double Org::Improvement(int team, int64_t t) const {
  if (!teams[static_cast<size_t>(team)].tpl->improving) return 1.0;
  const double span = static_cast<double>(window.end - window.start);
  double progress = static_cast<double>(t - window.start) / span;
  progress = progress < 0 ? 0 : progress > 1 ? 1 : progress;
  return 1.15 - 0.75 * progress;
}

}  // namespace sei::demo
