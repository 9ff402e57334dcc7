// OrgBuilder: draws one division of the demo organisation from the template
// (org_template.h): its teams and repositories, and people with identities
// in every tool (a work email and sometimes a second one, a GitHub noreply
// address, a GitHub login, a Jira account id), time zones, habits and
// holidays; team memberships with the year's changes (someone moves team
// mid-year, someone leaves, people join late); and the two bots.
//
// Names are unique across divisions: person n of the whole organisation gets
// name combination (a*n + b) mod 10,000 of the first and last name pools.
//
// Thread safety: Build is a pure function of its arguments.
#pragma once

#include "demo/org.h"
#include "demo/rng.h"

namespace sei::demo {

class OrgBuilder {
 public:
  OrgBuilder(const DemoOptions& options, const DemoWindow& window)
      : options_(options), window_(window) {}

  // Division `unit` (0: the default organisation).
  Org Build(int unit) const;

 private:
  void AddTeamsAndRepos(Org* org) const;
  void AddPeople(Org* org, Rng& rng) const;
  void AddPerson(Org* org, int team, Role role, int64_t joined, Rng& rng) const;
  void AddIdentities(Org* org, DemoPerson* p, int global_index, Rng& rng) const;
  void AddAltIdentity(DemoPerson* p, const std::string& first, const std::string& last,
                      bool force_noreply, Rng& rng) const;
  void AddMembershipChanges(Org* org, Rng& rng) const;
  void AddBots(Org* org) const;

  const DemoOptions& options_;
  const DemoWindow& window_;
};

// ASCII transliteration of a name for slugs, logins and emails
// ("José Álvarez" -> "Jose Alvarez"; apostrophes dropped).
std::string AsciiName(const std::string& name);

}  // namespace sei::demo
