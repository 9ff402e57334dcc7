// `sei worker`: runs collection jobs from the store's queue (api/job_worker.h)
// with the same collectors as `sei serve`, and (unless --no-schedule) the
// connection scheduler, so that on PostgreSQL any number of workers and
// servers share the work of one database. SIGTERM or Ctrl-C: the jobs in
// progress end "interrupted" (the scheduler starts them again at once) and
// the worker exits; a worker killed outright loses its leases, and another
// worker takes its jobs over once they run out.
#include <pthread.h>
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "api/collection_runner.h"
#include "api/connection_scheduler.h"
#include "api/job_worker.h"
#include "api/store_pool.h"
#include "app/commands.h"
#include "app/github_job.h"
#include "app/serve_collector.h"
#include "app/store_factory.h"
#include "common/clock.h"

namespace sei::app {

namespace {

struct WorkerArgs {
  int threads = 1;
  double lease = 30;
  double poll = 1;
  std::string name;
  bool no_schedule = false;
  bool drain = false;
  int max_attempts = 3;
};

std::chrono::milliseconds Ms(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

Status RunWorker(const Globals& g, const WorkerArgs& a) {
  {
    SEI_ASSIGN_OR_RETURN(auto first, OpenStore(g.db, false));  // migrates
    SEI_RETURN_IF_ERROR(ApplyConfigConnections(g, *first));    // sources.github
  }
  const std::string db = g.db;
  api::StorePool stores([db]() { return OpenStore(db, false); });
  ServeCollector collector(g);
  api::JobWorkerOptions wo;
  wo.name = a.name;
  wo.threads = a.threads;
  wo.lease = Ms(a.lease);
  wo.poll = Ms(a.poll);
  wo.max_attempts = a.max_attempts;
  wo.log = g.quiet ? nullptr : stderr;
  api::JobWorker worker(stores.opener(), &collector, SystemClock::Get(), wo);

  if (a.drain) {
    // Every job claimable now, on this thread, then exit.
    SEI_ASSIGN_OR_RETURN(auto store, OpenStore(db, false));
    int64_t ran = 0;
    for (;;) {
      SEI_ASSIGN_OR_RETURN(bool one, worker.RunOnce(*store, worker.name() + ":0"));
      if (!one) break;
      ++ran;
    }
    if (!g.quiet) {
      std::fprintf(stderr, "sei worker: %lld job(s) run; the queue is empty\n",
                   static_cast<long long>(ran));
    }
    return Status::Ok();
  }

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  api::CollectionRunner collections(&collector, &worker);
  api::ConnectionScheduler scheduler(stores.opener(), &collections, SystemClock::Get(),
                                     std::chrono::seconds(5), g.quiet ? nullptr : stderr);
  worker.Start();
  if (!a.no_schedule) scheduler.Start();
  std::printf("sei worker: %s taking jobs from %s (%d thread(s), lease %.1fs)\n",
              worker.name().c_str(), db.c_str(), wo.threads, a.lease);
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  if (!g.quiet) {
    std::fprintf(stderr, "sei worker: %s received, interrupting the jobs in progress\n",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT");
  }
  scheduler.Stop();
  collections.Stop();  // the jobs in progress end "interrupted"
  if (!g.quiet) {
    std::fprintf(stderr, "sei worker: stopped after %lld job(s)\n",
                 static_cast<long long>(worker.jobs_finished()));
  }
  return Status::Ok();
}

}  // namespace

void AddWorkerCommands(CLI::App& root, std::vector<Command>* out) {
  auto a = std::make_shared<WorkerArgs>();
  CLI::App* w = root.add_subcommand(
      "worker", "Run collection jobs from the database's queue (scale-out beside sei serve)");
  w->add_option("--threads", a->threads, "Jobs run at once (default 1)")->check(CLI::Range(1, 64));
  w->add_option("--lease", a->lease,
                "Seconds a claimed job stays this worker's without a heartbeat (renewed every "
                "third of it); a worker that dies loses its jobs to another after this (30)")
      ->check(CLI::Range(0.5, 3600.0));
  w->add_option("--poll", a->poll, "Seconds between looks at an empty queue (1)")
      ->check(CLI::Range(0.05, 600.0));
  w->add_option("--name", a->name,
                "This worker's name in the queue (jobs.worker); default HOST:PID");
  w->add_option("--max-attempts", a->max_attempts,
                "Claims after which a job whose workers keep dying fails (3)")
      ->check(CLI::Range(1, 100));
  w->add_flag("--no-schedule", a->no_schedule,
              "Do not enqueue connections that are due (leave scheduling to the servers)");
  w->add_flag("--drain", a->drain, "Run the jobs queued now, one after another, then exit");
  w->footer(
      "\nJobs are queued by `sei serve` (POST /api/v1/connections/{id}/collect, and each\n"
      "connection's interval) and by every worker's scheduler; each runs on one worker at a\n"
      "time. Run `sei serve --no-worker` so that only workers collect. Several workers share\n"
      "one PostgreSQL database (--db postgres://...); on SQLite they share one machine.\n"
      "SIGTERM or Ctrl-C: the jobs in progress end \"interrupted\" and are queued again by the\n"
      "scheduler. GET /api/v1/jobs (admin) lists the queue.\n"
      "\nExamples:\n"
      "  sei --db postgres://sei@db/sei worker --threads 4\n"
      "  sei worker --drain               run what is queued, then exit\n"
      "\nReference: docs/operations.md.");
  out->push_back({w, [a](const Globals& g) { return RunWorker(g, *a); }});
}

}  // namespace sei::app
