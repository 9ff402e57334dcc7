// UnitGenerator: one division of the demo organisation, start to finish:
// the org (OrgBuilder), each team's board (PlanningSimulator) and pull
// requests (PrPlanner), each repository's graph (RepoSimulator) and delivery
// (DeliverySimulator), and the org's own rows (people, teams, memberships,
// GitHub and Jira accounts, projects and their scopes).
//
// A division depends only on the options and its index, so divisions can be
// generated on another thread while the previous one is written.
//
// Thread safety: Generate is a pure function; call it from any thread.
#pragma once

#include "demo/demo_options.h"
#include "demo/file_model.h"
#include "demo/org.h"
#include "demo/pr_plan.h"
#include "demo/unit_data.h"

namespace sei::demo {

class UnitGenerator {
 public:
  UnitGenerator(const DemoOptions& options, const DemoWindow& window)
      : options_(options), window_(window) {}

  UnitData Generate(int unit) const;

 private:
  // One repository: its graph, PR rows and delivery, appended to `data`.
  void Repo(const Org& org, int repo, FileModel* files, std::vector<PrPlan> plans,
            bool open_incident, UnitData* data) const;
  void OrgRows(const Org& org, UnitData* data) const;
  void Accounts(const Org& org, UnitData* data) const;
  void Projects(const Org& org, UnitData* data) const;
  void Count(UnitData* data) const;

  DemoOptions options_;
  DemoWindow window_;
};

}  // namespace sei::demo
