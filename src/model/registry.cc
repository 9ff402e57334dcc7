#include "model/registry.h"

#include "model/access.h"
#include "model/delivery.h"
#include "model/derived.h"
#include "model/git.h"
#include "model/inbox.h"
#include "model/meta.h"
#include "model/org.h"
#include "model/review.h"
#include "model/work.h"

namespace sei::model {

const std::vector<const TableSpec*>& AllSpecs() {
  static const std::vector<const TableSpec*> specs = {
      &SpecOf<Repo>(),
      &SpecOf<Commit>(),
      &SpecOf<CommitParent>(),
      &SpecOf<CommitFile>(),
      &SpecOf<Ref>(),
      &SpecOf<PullRequest>(),
      &SpecOf<PrCommit>(),
      &SpecOf<PrReview>(),
      &SpecOf<PrComment>(),
      &SpecOf<Board>(),
      &SpecOf<Sprint>(),
      &SpecOf<Issue>(),
      &SpecOf<IssueStatusChange>(),
      &SpecOf<SprintIssue>(),
      &SpecOf<CiPipeline>(),
      &SpecOf<CiJob>(),
      &SpecOf<Deployment>(),
      &SpecOf<DeploymentCommit>(),
      &SpecOf<Release>(),
      &SpecOf<Incident>(),
      &SpecOf<QualityFinding>(),
      &SpecOf<Connection>(),
      &SpecOf<ConnectionSecret>(),
      &SpecOf<Account>(),
      &SpecOf<Person>(),
      &SpecOf<Team>(),
      &SpecOf<TeamMember>(),
      &SpecOf<Project>(),
      &SpecOf<ProjectScope>(),
      &SpecOf<IdentityLink>(),
      &SpecOf<IdentityOverride>(),
      &SpecOf<CommitPullRequest>(),
      &SpecOf<DeploymentLink>(),
      &SpecOf<DeploymentChange>(),
      &SpecOf<IncidentDeployment>(),
      &SpecOf<RawPayload>(),
      &SpecOf<SyncState>(),
      &SpecOf<CollectionRun>(),
      &SpecOf<Job>(),
      &SpecOf<WebhookDelivery>(),
      &SpecOf<User>(),
      &SpecOf<ApiToken>(),
      &SpecOf<AuditEntry>(),
  };
  return specs;
}

const TableSpec* FindSpec(std::string_view name) {
  for (const TableSpec* spec : AllSpecs()) {
    if (spec->entity == name || spec->table == name) return spec;
  }
  return nullptr;
}

}  // namespace sei::model
