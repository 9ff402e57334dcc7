#include "collectors/github/github_reconvert.h"

#include <fmt/format.h>

#include <algorithm>

#include "collectors/github/github_batch_writer.h"
#include "common/clock.h"

namespace sei::collectors::github {
namespace {

constexpr std::string_view kWebhookScope = "webhook";
constexpr std::string_view kUnboundConnection = "github";  // webhooks received without one

// The listing a sync's raw entity belongs to (its detail pages go with it).
std::string_view ListingOf(std::string_view entity) {
  if (entity == "pull") return "pulls";
  if (entity == "jobs") return "runs";
  if (entity == "deployment-statuses") return "deployments";
  if (entity == "repo") return "repos";
  return entity;
}

std::string Where(const model::RawPayload& raw) {
  return fmt::format("raw payload {} ({} {})", raw.id, raw.entity, raw.url);
}

}  // namespace

const std::vector<std::string>& ReconvertEntities() {
  static const std::vector<std::string> kEntities = {
      "repos", "pulls",       "review-comments", "issue-comments", "issues",
      "runs",  "deployments", "releases",        "webhooks"};
  return kEntities;
}

bool IsReconvertEntity(std::string_view entity) {
  const auto& all = ReconvertEntities();
  return std::find(all.begin(), all.end(), entity) != all.end() || IsHandledWebhookEvent(entity);
}

GithubReconvert::GithubReconvert(Store& store, ReconvertOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.now == 0) options_.now = SystemClock::Get().NowUnixSeconds();
  if (options_.batch <= 0) options_.batch = 64;
}

bool GithubReconvert::Selected(const model::RawPayload& raw) const {
  if (!options_.scope.empty() && raw.scope != options_.scope) return false;
  if (options_.entity.empty()) return true;
  if (raw.scope == kWebhookScope) {
    return options_.entity == "webhooks" || options_.entity == raw.entity;
  }
  return ListingOf(raw.entity) == options_.entity;
}

const GithubReconvert::Target* GithubReconvert::TargetOf(const model::RawPayload& raw,
                                                         const RawContext* context) const {
  std::string id = raw.connection_id;
  if (raw.connection_id == kUnboundConnection && raw.scope == kWebhookScope) {
    id = context != nullptr && !context->connection_id.empty()
             ? context->connection_id
             : options_.default_webhook_connection;
  }
  auto it = targets_.find(id);
  return it == targets_.end() ? nullptr : &it->second;
}

ConvertContext GithubReconvert::ContextFor(const model::RawPayload& raw,
                                           const Target& target) const {
  ConvertContext ctx;
  ctx.connection_id = target.connection_id;
  ctx.raw_id = raw.id;
  ctx.patterns = &target.patterns;
  return ctx;
}

Status GithubReconvert::Write(const model::RawPayload& raw, ConvertedBatch& batch,
                              const std::vector<int64_t>& raw_ids, std::vector<TableWrite> extra,
                              const RawContext* new_context) {
  for (const Status& e : batch.errors) {
    report_.item_errors.push_back(Where(raw) + ": " + e.message());
  }
  for (int64_t id : raw_ids) {
    extra.push_back(MarkConverted(id, options_.now, id == raw.id ? new_context : nullptr));
  }
  Status s = WriteBatch(store_, batch, std::move(extra));
  if (!s.ok()) return s.WithContext("writing the rows of " + Where(raw));
  report_.rows += static_cast<int64_t>(batch.RowCount());
  ++report_.pages;
  return Status::Ok();
}

Status GithubReconvert::Webhook(const model::RawPayload& raw, const Target& target, bool recorded) {
  Result<ConvertedBatch> batch = ConvertWebhook(raw.entity, raw.body, ContextFor(raw, target));
  if (!batch.ok()) {
    report_.page_errors.push_back(Where(raw) + ": " + batch.status().message());
    return Status::Ok();
  }
  if (!batch->handled) {
    ++report_.not_handled;
    return Status::Ok();
  }
  ++report_.webhooks;
  RawContext context;
  context.kind = std::string(kWebhookKind);
  context.connection_id = target.connection_id;
  return Write(raw, *batch, {raw.id}, {}, recorded ? nullptr : &context);
}

Status GithubReconvert::Rest(const model::RawPayload& raw, const RawContext& context,
                             const Target& target) {
  ConvertContext ctx = ContextFor(raw, target);
  std::optional<RestKind> kind = RestKindFromKey(context.kind);
  if (!kind) {
    report_.page_errors.push_back(
        fmt::format("{}: unknown kind '{}' (archived by a newer sei?)", Where(raw), context.kind));
    return Status::Ok();
  }
  std::vector<int64_t> marked = {raw.id};
  Result<ConvertedBatch> batch = ConvertedBatch{};
  if (*kind == RestKind::kDeploymentStatuses) {
    return Status::Ok();  // converted with their deployments page (context.with_raw_id)
  }
  if (*kind == RestKind::kDeployments) {
    auto statuses_of = [&](int64_t id) -> Result<std::vector<std::string>> {
      std::vector<std::string> bodies;
      for (const auto& [deployment, raws] : context.statuses) {
        if (deployment != id) continue;
        for (int64_t r : raws) {
          SEI_ASSIGN_OR_RETURN(std::optional<model::RawPayload> page,
                               FindOne<model::RawPayload>(store_, "id", model::Value{r}));
          if (!page) {
            return NotFoundError(
                fmt::format("the status page {} of deployment {} is no longer archived", r, id));
          }
          bodies.push_back(std::move(page->body));
          marked.push_back(r);
        }
      }
      return bodies;
    };
    batch = ConvertDeploymentsPage(raw.body, statuses_of, ctx);
  } else {
    ctx.pr_id = context.pr_id;
    ctx.first_ordinal = context.first_ordinal;
    ctx.pr_numbers = context.pr_numbers;
    ctx.workflow_name = context.workflow_name;
    batch = ConvertRest(*kind, raw.body, ctx);
  }
  if (!batch.ok()) {
    report_.page_errors.push_back(Where(raw) + ": " + batch.status().message());
    return Status::Ok();
  }
  return Write(raw, *batch, marked, DeletesOf(context));
}

Status GithubReconvert::Page(const model::RawPayload& raw) {
  std::optional<RawContext> context;
  if (raw.context) {
    Result<RawContext> parsed = RawContext::Parse(*raw.context);
    if (!parsed.ok()) {
      if (TargetOf(raw, nullptr) != nullptr) {
        report_.page_errors.push_back(Where(raw) + ": " + parsed.status().message());
      }
      return Status::Ok();
    }
    context = std::move(*parsed);
  }
  const Target* target = TargetOf(raw, context ? &*context : nullptr);
  if (target == nullptr) return Status::Ok();
  if (raw.scope == kWebhookScope) return Webhook(raw, *target, context.has_value());
  if (!context) {
    ++report_.never_converted;
    return Status::Ok();
  }
  return Rest(raw, *context, *target);
}

Result<int64_t> GithubReconvert::Total() {
  int64_t total = 0;
  std::vector<std::string> ids;
  for (const auto& [id, t] : targets_) ids.push_back(id);
  ids.emplace_back(kUnboundConnection);
  for (const std::string& id : ids) {
    ScanOptions where;
    where.where = {{"connection_id", id}, {"source", std::string("github")}};
    SEI_ASSIGN_OR_RETURN(int64_t n, store_.CountRows(model::SpecOf<model::RawPayload>(), where));
    total += n;
  }
  return total;
}

Result<ReconvertReport> GithubReconvert::Run() {
  for (const ReconvertTarget& t : options_.connections) {
    Result<CompiledPatterns> patterns = CompiledPatterns::Compile(t.settings.patterns);
    if (!patterns.ok()) {
      return InvalidArgumentError(t.connection_id + ": " + patterns.status().message());
    }
    targets_.emplace(t.connection_id, Target{t.connection_id, std::move(*patterns)});
  }
  Progress* progress = options_.progress;
  if (progress != nullptr) {
    SEI_ASSIGN_OR_RETURN(int64_t total, Total());
    progress->Begin("archived pages", total);
  }
  int64_t done = 0;
  std::optional<int64_t> after;
  Status s = Status::Ok();
  while (s.ok()) {
    ScanOptions page;
    page.where = {{"source", std::string("github")}};
    page.order_by = "id";
    page.limit = options_.batch;
    if (after) page.after = model::Value{*after};
    Result<std::vector<model::RawPayload>> rows = store_.List<model::RawPayload>(page);
    if (!rows.ok()) {
      s = rows.status();
      break;
    }
    if (rows->empty()) break;
    for (const model::RawPayload& raw : *rows) {
      after = raw.id;
      if (options_.cancel != nullptr && options_.cancel->load()) {
        s = CancelledError(
            "reconvert was interrupted: what it converted is stored; run it again to finish "
            "(it is idempotent)");
        break;
      }
      const bool counted =
          raw.connection_id == kUnboundConnection || targets_.count(raw.connection_id) > 0;
      if (Selected(raw)) s = Page(raw);
      if (!s.ok()) break;
      if (counted && progress != nullptr) progress->Update(++done);
    }
  }
  if (progress != nullptr) progress->End();
  if (!s.ok()) return s;
  return report_;
}

}  // namespace sei::collectors::github
