// DeliverySimulator: what happens to one repository's main branch after it
// lands: CI pipelines with jobs for every change to main, deployments of the
// main-branch tip to staging (after each green pipeline, at most every three
// hours; in scale mode once a week) and production (every working day for the
// team with daily deploys, on a weekly train otherwise, plus hotfixes), some
// of which fail or are rolled back and are followed by a recovery deployment;
// incidents on the service, most raised shortly after a bad deployment (a few
// name it explicitly), some unrelated, resolved after long-tailed times, the
// latest possibly still open; and a few quality findings.
//
// Libraries get CI pipelines and findings but no deployments or incidents.
// Every deployment's commit_sha is main's tip at the moment it started.
//
// Thread safety: one simulator per thread; reads its inputs only.
#pragma once

#include <string>
#include <vector>

#include "demo/file_model.h"
#include "demo/org.h"
#include "demo/repo_sim.h"
#include "model/delivery.h"

namespace sei::demo {

struct DeliveryRows {
  std::vector<model::CiPipeline> pipelines;
  std::vector<model::CiJob> jobs;
  std::vector<model::Deployment> deployments;
  std::vector<model::Incident> incidents;
  std::vector<model::QualityFinding> findings;
};

struct DeliveryCounts {
  int64_t production = 0;
  int64_t production_failed = 0;  // failure or rolled_back
  int64_t staging = 0;
  int64_t incidents_open = 0;
};

class DeliverySimulator {
 public:
  // `open_incident`: leave an incident open near the end of the window.
  DeliverySimulator(const Org& org, int repo, const std::vector<MainTip>& main,
                    const FileModel& files, bool open_incident);
  DeliveryCounts Run(DeliveryRows* out);

 private:
  struct Attempt {
    int64_t at = 0;
    bool scheduled = true;  // false: a recovery or fix deployment
  };

  void Pipelines(DeliveryRows* out);
  model::CiPipeline MainPipeline(const MainTip& tip, DeliveryRows* out);
  std::string DeployPipeline(const model::Deployment& d, int64_t n, DeliveryRows* out);
  void WeeklyStaging(DeliveryRows* out);
  std::vector<int64_t> ProductionSchedule();
  void Production(DeliveryRows* out);
  std::string Result(bool recovery);
  const model::Deployment& Deploy(const std::string& env, int64_t at, const std::string& result,
                                  DeliveryRows* out);
  void Incident(int64_t created, const model::Deployment* cause, DeliveryRows* out);
  void UnrelatedIncidents(DeliveryRows* out);
  void Findings(DeliveryRows* out);
  const std::string& TipAt(int64_t t) const;

  const Org& org_;
  const DemoRepo& repo_;
  const DemoTeam& team_;
  const std::vector<MainTip>& main_;
  const FileModel& files_;
  bool open_incident_;
  Rng rng_;
  int64_t pipelines_ = 0;
  int64_t deploys_[2] = {0, 0};  // staging, production
  int64_t incidents_ = 0;
  DeliveryCounts counts_;
};

}  // namespace sei::demo
