#include "metrics/link/link_writer.h"

#include <algorithm>
#include <functional>
#include <numeric>

#include "metrics/link/ci_deployment_generator.h"
#include "metrics/link/link_util.h"
#include "model/derived.h"

namespace sei::metrics::link {

namespace {

using model::Row;
using model::Value;

// Makes the i-th new row of a table (rows come in key order).
using MakeRow = std::function<void(size_t i, Row* row)>;
// Whether a current row whose key is not written stays (explicit rows).
using KeepRow = std::function<bool(const Row& current)>;

// The store's order: NULL, then numbers, then text (memcmp).
int CompareValue(const Value& a, const Value& b) {
  const auto rank = [](const Value& v) {
    return std::holds_alternative<std::monostate>(v) ? 0
           : std::holds_alternative<std::string>(v)  ? 2
                                                     : 1;
  };
  if (rank(a) != rank(b)) return rank(a) < rank(b) ? -1 : 1;
  if (const auto* s = std::get_if<std::string>(&a)) return s->compare(std::get<std::string>(b));
  const auto num = [](const Value& v) {
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<long double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return static_cast<long double>(*d);
    return 0.0L;
  };
  return num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : 0;
}

class DiffWriter {
 public:
  DiffWriter(Store* store, const model::TableSpec* spec, size_t count, MakeRow make, KeepRow keep)
      : store_(store), spec_(spec), count_(count), make_(std::move(make)), keep_(std::move(keep)) {
    for (const std::string& k : spec->key) key_.push_back(spec->ColumnIndex(k));
  }

  Status Run(const RowCallback& upsert, const RowCallback& erase) {
    std::vector<uint8_t> write(count_, 0);
    std::vector<Row> gone;
    size_t i = 0;
    if (count_ > 0) make_(0, &cur_);
    Status order = Status::Ok();
    const auto next = [&] {
      if (++i >= count_) return;
      make_(i, &next_);
      if (order.ok() && CompareKey(cur_, next_) >= 0) {
        order = InternalError("linker: " + spec_->entity + " rows are not in key order (a bug)");
      }
      std::swap(cur_, next_);
    };
    SEI_RETURN_IF_ERROR(store_->ScanRows(*spec_, {}, [&](const Row& old) {
      while (i < count_ && CompareKey(cur_, old) < 0) {
        write[i] = 1;
        next();
      }
      if (i < count_ && CompareKey(cur_, old) == 0) {
        // A row the table keeps (an explicit one) is never overwritten.
        if (cur_ != old && (!keep_ || !keep_(old))) write[i] = 1;
        next();
      } else if (!keep_ || !keep_(old)) {
        Row key;
        for (int k : key_) key.push_back(old[static_cast<size_t>(k)]);
        gone.push_back(std::move(key));
      }
      return Status::Ok();
    }));
    while (i < count_) {
      write[i] = 1;
      next();
    }
    SEI_RETURN_IF_ERROR(order);
    for (const Row& key : gone) SEI_RETURN_IF_ERROR(erase(key));
    for (size_t j = 0; j < count_; ++j) {
      if (write[j] == 0) continue;
      make_(j, &cur_);
      SEI_RETURN_IF_ERROR(upsert(cur_));
    }
    return Status::Ok();
  }

 private:
  int CompareKey(const Row& a, const Row& b) const {
    for (int k : key_) {
      const int c = CompareValue(a[static_cast<size_t>(k)], b[static_cast<size_t>(k)]);
      if (c != 0) return c;
    }
    return 0;
  }

  Store* store_;
  const model::TableSpec* spec_;
  size_t count_;
  MakeRow make_;
  KeepRow keep_;
  std::vector<int> key_;
  Row cur_, next_;
};

TableWrite Diff(Store* store, const model::TableSpec* spec, size_t count, MakeRow make,
                KeepRow keep = nullptr) {
  TableWrite w;
  w.spec = spec;
  auto writer = std::make_shared<DiffWriter>(store, spec, count, std::move(make), std::move(keep));
  w.produce = [writer](const RowCallback& upsert, const RowCallback& erase) {
    return writer->Run(upsert, erase);
  };
  return w;
}

const std::string& ShaOf(const LinkOutput& out, int32_t repo, CommitIdx c) {
  return out.repo_shas[static_cast<size_t>(repo)][static_cast<size_t>(c)];
}

// Sets the text cells of a 4-column row in place (their buffers are reused).
void SetText(Row* row, size_t i, const std::string& s) {
  if (row->size() <= i) row->resize(i + 1);
  if (auto* t = std::get_if<std::string>(&(*row)[i])) {
    t->assign(s);
  } else {
    (*row)[i] = s;
  }
}

model::DeploymentChange ChangeRow(const WritePlan& plan, const ShippedChange& c) {
  const LinkOutput& out = *plan.out;
  model::DeploymentChange row;
  row.deployment_id = (*plan.deployments)[static_cast<size_t>(c.deployment)].id;
  row.repo_id = out.repo_ids[static_cast<size_t>(c.repo)];
  const std::string commit_sha = c.commit != kNoCommit ? ShaOf(out, c.repo, c.commit) : c.sha;
  if (c.pr >= 0) {
    const LinkPr& pr = (*plan.prs)[static_cast<size_t>(c.pr)];
    row.change_id = pr.id;
    row.pr_id = pr.id;
    row.head_sha = pr.merge_sha ? *pr.merge_sha : pr.head_sha ? *pr.head_sha : commit_sha;
    row.author_account_id = pr.author_account_id;
  } else {
    row.change_id = row.repo_id + ":commit:" + commit_sha;
    row.head_sha = commit_sha;
    if (c.author >= 0 && !out.authors[static_cast<size_t>(c.author)].empty()) {
      row.author_account_id = out.authors[static_cast<size_t>(c.author)];
    }
  }
  row.first_commit_at = c.first_commit_at;
  row.commits = c.commits;
  row.link_method = ShipMethodName(c.method);
  return row;
}

// A stored deployment made by an earlier run of the CI generator (its
// columns as scanned).
bool IsGeneratedRow(const Row& row) {
  static const model::TableSpec& spec = model::SpecOf<model::Deployment>();
  static const size_t id = static_cast<size_t>(spec.ColumnIndex("id"));
  static const size_t pipeline = static_cast<size_t>(spec.ColumnIndex("pipeline_id"));
  model::Deployment d;
  d.id = std::get<std::string>(row[id]);
  if (const auto* p = std::get_if<std::string>(&row[pipeline])) d.pipeline_id = *p;
  return CiDeploymentGenerator::IsGenerated(d);
}

}  // namespace

namespace {

// rank[i]: position of item i when ordered by id_of(i).
template <class IdOf>
std::vector<int32_t> Ranks(size_t n, const IdOf& id_of) {
  std::vector<int32_t> order(n), rank(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return id_of(a) < id_of(b); });
  for (size_t i = 0; i < n; ++i) rank[static_cast<size_t>(order[i])] = static_cast<int32_t>(i);
  return rank;
}

// Changes: by deployment id, then change id (a PR id, or
// "<repo>:commit:<sha>").
void SortChanges(const std::vector<int32_t>& dep_rank, const std::vector<LinkPr>& prs,
                 LinkOutput* out) {
  std::vector<std::string> key(out->changes.size());
  for (size_t i = 0; i < key.size(); ++i) {
    const ShippedChange& c = out->changes[i];
    key[i] = c.pr >= 0
                 ? prs[static_cast<size_t>(c.pr)].id
                 : out->repo_ids[static_cast<size_t>(c.repo)] +
                       ":commit:" + (c.commit != kNoCommit ? ShaOf(*out, c.repo, c.commit) : c.sha);
  }
  std::vector<size_t> order(key.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const int32_t da = dep_rank[static_cast<size_t>(out->changes[a].deployment)];
    const int32_t db = dep_rank[static_cast<size_t>(out->changes[b].deployment)];
    return da != db ? da < db : key[a] < key[b];
  });
  std::vector<ShippedChange> sorted;
  sorted.reserve(order.size());
  for (size_t i : order) sorted.push_back(std::move(out->changes[i]));
  out->changes = std::move(sorted);
}

}  // namespace

void SortForWrite(const std::vector<model::Deployment>& deployments, const std::vector<LinkPr>& prs,
                  LinkOutput* out, std::vector<model::Deployment>* generated) {
  const std::vector<int32_t> dep = Ranks(deployments.size(), [&](int32_t d) -> const std::string& {
    return deployments[static_cast<size_t>(d)].id;
  });
  const std::vector<int32_t> repo =
      Ranks(out->repo_ids.size(),
            [&](int32_t r) -> const std::string& { return out->repo_ids[static_cast<size_t>(r)]; });
  const auto d = [&](int32_t i) { return dep[static_cast<size_t>(i)]; };
  const auto r = [&](int32_t i) { return repo[static_cast<size_t>(i)]; };
  std::sort(out->commits.begin(), out->commits.end(),
            [&](const ShippedCommit& a, const ShippedCommit& b) {
              if (a.deployment != b.deployment) return d(a.deployment) < d(b.deployment);
              if (a.repo != b.repo) return r(a.repo) < r(b.repo);
              return ShaOf(*out, a.repo, a.commit) < ShaOf(*out, b.repo, b.commit);
            });
  std::sort(out->matches.begin(), out->matches.end(),
            [&](const MatchedCommit& a, const MatchedCommit& b) {
              if (a.repo != b.repo) return r(a.repo) < r(b.repo);
              if (a.commit != b.commit) {
                return ShaOf(*out, a.repo, a.commit) < ShaOf(*out, b.repo, b.commit);
              }
              return prs[static_cast<size_t>(a.pr)].id < prs[static_cast<size_t>(b.pr)].id;
            });
  SortChanges(dep, prs, out);
  std::sort(out->links.begin(), out->links.end(),
            [](const auto& a, const auto& b) { return a.deployment_id < b.deployment_id; });
  std::sort(out->incidents.begin(), out->incidents.end(), [](const auto& a, const auto& b) {
    return a.incident_id != b.incident_id ? a.incident_id < b.incident_id
                                          : a.deployment_id < b.deployment_id;
  });
  std::sort(generated->begin(), generated->end(),
            [](const model::Deployment& a, const model::Deployment& b) { return a.id < b.id; });
}

std::vector<TableWrite> BuildLinkWrites(Store& store, const WritePlan& plan) {
  const LinkOutput& out = *plan.out;
  std::vector<TableWrite> writes;
  writes.push_back(Diff(
      &store, &model::SpecOf<model::Deployment>(), plan.generated.size(),
      [&plan](size_t i, Row* row) { *row = model::ToRow(plan.generated[i]); },
      [](const Row& current) { return !IsGeneratedRow(current); }));
  static const size_t kMethod =
      static_cast<size_t>(model::SpecOf<model::DeploymentCommit>().ColumnIndex("link_method"));
  writes.push_back(Diff(
      &store, &model::SpecOf<model::DeploymentCommit>(), out.commits.size(),
      [&plan](size_t i, Row* row) {
        const LinkOutput& o = *plan.out;
        const ShippedCommit& c = o.commits[i];
        SetText(row, 0, (*plan.deployments)[static_cast<size_t>(c.deployment)].id);
        SetText(row, 1, o.repo_ids[static_cast<size_t>(c.repo)]);
        SetText(row, 2, ShaOf(o, c.repo, c.commit));
        SetText(row, 3, ShipMethodName(c.method));
      },
      [](const Row& current) {
        const auto* m = std::get_if<std::string>(&current[kMethod]);
        return m != nullptr && IsInputShipMethod(*m);
      }));
  writes.push_back(Diff(&store, &model::SpecOf<model::CommitPullRequest>(), out.matches.size(),
                        [&plan](size_t i, Row* row) {
                          const LinkOutput& o = *plan.out;
                          const MatchedCommit& m = o.matches[i];
                          SetText(row, 0, o.repo_ids[static_cast<size_t>(m.repo)]);
                          SetText(row, 1, ShaOf(o, m.repo, m.commit));
                          SetText(row, 2, (*plan.prs)[static_cast<size_t>(m.pr)].id);
                          SetText(row, 3, PrMethodName(m.method));
                        }));
  writes.push_back(Diff(&store, &model::SpecOf<model::DeploymentLink>(), out.links.size(),
                        [&plan](size_t i, Row* row) { *row = model::ToRow(plan.out->links[i]); }));
  writes.push_back(Diff(
      &store, &model::SpecOf<model::DeploymentChange>(), out.changes.size(),
      [&plan](size_t i, Row* row) { *row = model::ToRow(ChangeRow(plan, plan.out->changes[i])); }));
  writes.push_back(
      Diff(&store, &model::SpecOf<model::IncidentDeployment>(), out.incidents.size(),
           [&plan](size_t i, Row* row) { *row = model::ToRow(plan.out->incidents[i]); }));
  return writes;
}

}  // namespace sei::metrics::link
