-- 0009_bi_views: the stable, documented SQL contract for BI tools (Metabase,
-- Grafana, any SQL client). The bi_* views keep their names, columns and
-- meanings across versions while the tables underneath may change; a
-- column is only ever added, never renamed, retyped or removed, and a view
-- that must change meaning gets a new name. docs/data-model.md, "BI views",
-- documents every column (a test checks the document against this schema,
-- and that SQLite and PostgreSQL expose the same views and columns).
--
-- Conventions (both backends):
--   * instants (*_at) are ISO 8601 text in UTC, "2024-05-01T12:00:00Z" (PostgreSQL:
--     timestamptz);
--   * days (*_day) are "YYYY-MM-DD" text, the UTC day (PostgreSQL: date);
--   * durations (*_seconds) are whole seconds (integers); NULL is missing,
--     never zero;
--   * booleans (is_*, counted ...) are INTEGER 0/1 (PostgreSQL: boolean).
-- Metric views follow docs/metrics.md (version 1 definitions, default
-- settings: production_types = production, the default metrics.bot_pattern).

-- People and scope --------------------------------------------------------

-- An account as the metrics count it: the person it resolved to
-- (identity_links, else accounts.person_id, when that person exists), else
-- the account stands for a person of its own (person_id = account_id). A
-- bot: its person is a bot, or, unresolved, the source flags it or its
-- login, name or email matches the default metrics.bot_pattern.
CREATE VIEW bi_accounts AS
SELECT a.id AS account_id, a.connection_id, a.source, a.login, a.email, a.name,
       COALESCE(p.id, a.id) AS person_id,
       CASE WHEN p.id IS NOT NULL THEN p.is_bot
            ELSE (a.is_bot OR COALESCE(lower(a.login) LIKE '%[bot]%' OR lower(a.login) LIKE '%-bot%' OR lower(a.login) LIKE 'bot-%'
              OR lower(a.login) IN ('bot', 'bots') OR lower(a.login) LIKE '%dependabot%'
              OR lower(a.login) LIKE '%renovate%' OR lower(a.login) LIKE '%github-actions%'
              OR lower(a.login) LIKE '%jenkins%' OR lower(a.login) LIKE '%gitlab-ci%'
              OR lower(a.login) LIKE '%noreply@github.com', FALSE) OR COALESCE(lower(a.name) LIKE '%[bot]%' OR lower(a.name) LIKE '%-bot%' OR lower(a.name) LIKE 'bot-%'
              OR lower(a.name) IN ('bot', 'bots') OR lower(a.name) LIKE '%dependabot%'
              OR lower(a.name) LIKE '%renovate%' OR lower(a.name) LIKE '%github-actions%'
              OR lower(a.name) LIKE '%jenkins%' OR lower(a.name) LIKE '%gitlab-ci%'
              OR lower(a.name) LIKE '%noreply@github.com', FALSE) OR COALESCE(lower(a.email) LIKE '%[bot]%' OR lower(a.email) LIKE '%-bot%' OR lower(a.email) LIKE 'bot-%'
              OR lower(a.email) IN ('bot', 'bots') OR lower(a.email) LIKE '%dependabot%'
              OR lower(a.email) LIKE '%renovate%' OR lower(a.email) LIKE '%github-actions%'
              OR lower(a.email) LIKE '%jenkins%' OR lower(a.email) LIKE '%gitlab-ci%'
              OR lower(a.email) LIKE '%noreply@github.com', FALSE)) END AS is_bot,
       strftime('%Y-%m-%dT%H:%M:%SZ', a.first_seen_at, 'unixepoch') AS first_seen_at, strftime('%Y-%m-%dT%H:%M:%SZ', a.last_seen_at, 'unixepoch') AS last_seen_at
FROM accounts a
LEFT JOIN identity_links il ON il.account_id = a.id
LEFT JOIN people p ON p.id = COALESCE(il.person_id, a.person_id);

-- Everyone the metrics know: resolved people, and accounts no one resolved
-- (each its own person, as in bi_accounts).
CREATE VIEW bi_people AS
SELECT p.id AS person_id, p.display_name, p.primary_email, p.is_bot, TRUE AS is_resolved,
       strftime('%Y-%m-%dT%H:%M:%SZ', p.created_at, 'unixepoch') AS created_at
FROM people p
UNION ALL
SELECT ba.person_id, COALESCE(a.name, a.login, a.email, a.id), a.email, ba.is_bot, FALSE,
       strftime('%Y-%m-%dT%H:%M:%SZ', a.first_seen_at, 'unixepoch')
FROM bi_accounts ba JOIN accounts a ON a.id = ba.account_id
WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = ba.person_id);

CREATE VIEW bi_teams AS
SELECT id AS team_id, name, parent_team_id, description FROM teams;

CREATE VIEW bi_team_members AS
SELECT team_id, person_id, role, strftime('%Y-%m-%dT%H:%M:%SZ', joined_at, 'unixepoch') AS joined_at, strftime('%Y-%m-%dT%H:%M:%SZ', left_at, 'unixepoch') AS left_at
FROM team_members;

CREATE VIEW bi_projects AS
SELECT id AS project_id, name, description FROM projects;

CREATE VIEW bi_project_scopes AS
SELECT project_id, kind, scope_id FROM project_scopes;

-- Source code -------------------------------------------------------------

CREATE VIEW bi_repositories AS
SELECT id AS repo_id, connection_id, name, location, default_branch,
       strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at, strftime('%Y-%m-%dT%H:%M:%SZ', collected_at, 'unixepoch') AS collected_at
FROM repos;

CREATE VIEW bi_commits AS
SELECT r.id AS repo_id, c.sha, c.author_account_id, aa.person_id AS author_person_id,
       c.author_name, c.author_email, strftime('%Y-%m-%dT%H:%M:%SZ', c.author_time, 'unixepoch') AS authored_at, c.committer_name,
       c.committer_email, strftime('%Y-%m-%dT%H:%M:%SZ', c.committer_time, 'unixepoch') AS committed_at, CASE WHEN instr(c.message, char(10)) > 0 THEN substr(c.message, 1, instr(c.message, char(10)) - 1)
            ELSE c.message END AS subject,
       c.parent_count, c.is_merge, c.files_changed, c.additions, c.deletions, c.reachable
FROM commits c
JOIN repos r ON r.pk = c.repo_pk
LEFT JOIN bi_accounts aa ON aa.account_id = c.author_account_id;

-- Code review -------------------------------------------------------------

CREATE VIEW bi_pull_requests AS
SELECT pr.id AS pr_id, pr.connection_id, pr.repo_id, pr.number, pr.title, pr.state, pr.is_draft,
       pr.author_account_id, au.person_id AS author_person_id, pr.merged_by_account_id,
       pr.base_ref, pr.head_ref, pr.merge_sha, strftime('%Y-%m-%dT%H:%M:%SZ', pr.created_at, 'unixepoch') AS created_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', pr.updated_at, 'unixepoch') AS updated_at, strftime('%Y-%m-%dT%H:%M:%SZ', pr.ready_at, 'unixepoch') AS ready_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', pr.closed_at, 'unixepoch') AS closed_at, strftime('%Y-%m-%dT%H:%M:%SZ', pr.merged_at, 'unixepoch') AS merged_at, pr.additions,
       pr.deletions, pr.changed_files, pr.url
FROM pull_requests pr
LEFT JOIN bi_accounts au ON au.account_id = pr.author_account_id;

CREATE VIEW bi_reviews AS
SELECT r.id AS review_id, r.pr_id, pr.repo_id, r.reviewer_account_id,
       ra.person_id AS reviewer_person_id, r.state, strftime('%Y-%m-%dT%H:%M:%SZ', r.submitted_at, 'unixepoch') AS submitted_at,
       r.commit_sha
FROM pr_reviews r
LEFT JOIN pull_requests pr ON pr.id = r.pr_id
LEFT JOIN bi_accounts ra ON ra.account_id = r.reviewer_account_id;

-- Planning ----------------------------------------------------------------

CREATE VIEW bi_boards AS
SELECT id AS board_id, connection_id, name, kind, url FROM boards;

CREATE VIEW bi_sprints AS
SELECT id AS sprint_id, board_id, name, state, goal, strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') AS started_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', ended_at, 'unixepoch') AS ended_at, strftime('%Y-%m-%dT%H:%M:%SZ', completed_at, 'unixepoch') AS completed_at
FROM sprints;

CREATE VIEW bi_issues AS
SELECT i.id AS issue_id, i.connection_id, i.board_id, i.key, i.title, i.type, i.raw_type, i.status,
       i.status_category, i.priority, i.story_points, i.assignee_account_id,
       aa.person_id AS assignee_person_id, i.reporter_account_id, i.parent_issue_id, i.epic_id,
       strftime('%Y-%m-%dT%H:%M:%SZ', i.created_at, 'unixepoch') AS created_at, strftime('%Y-%m-%dT%H:%M:%SZ', i.updated_at, 'unixepoch') AS updated_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', i.resolved_at, 'unixepoch') AS resolved_at, i.url
FROM issues i
LEFT JOIN bi_accounts aa ON aa.account_id = i.assignee_account_id;

-- Delivery ----------------------------------------------------------------

CREATE VIEW bi_pipeline_runs AS
SELECT id AS pipeline_id, connection_id, ci_scope, name, repo_id, ref, commit_sha, status, result,
       trigger, strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at, strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') AS started_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', finished_at, 'unixepoch') AS finished_at,
       CASE WHEN finished_at >= started_at THEN finished_at - started_at END AS duration_seconds,
       url
FROM ci_pipelines;

CREATE VIEW bi_deployments AS
SELECT id AS deployment_id, connection_id, repo_id, service, environment, environment_type,
       commit_sha, ref, result, strftime('%Y-%m-%dT%H:%M:%SZ', started_at, 'unixepoch') AS started_at, strftime('%Y-%m-%dT%H:%M:%SZ', finished_at, 'unixepoch') AS finished_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', COALESCE(finished_at, started_at), 'unixepoch') AS deployed_at, pipeline_id, url
FROM deployments;

CREATE VIEW bi_incidents AS
SELECT id AS incident_id, connection_id, service, environment, title, severity, status,
       strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at, strftime('%Y-%m-%dT%H:%M:%SZ', acknowledged_at, 'unixepoch') AS acknowledged_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', resolved_at, 'unixepoch') AS resolved_at, deployment_id,
       CASE WHEN resolved_at IS NULL THEN NULL WHEN resolved_at < created_at THEN 0
            ELSE resolved_at - created_at END AS restore_seconds,
       url
FROM incidents;

CREATE VIEW bi_releases AS
SELECT id AS release_id, connection_id, repo_id, tag_name, name, target, draft AS is_draft,
       prerelease AS is_prerelease,
       author_account_id, strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch') AS created_at, strftime('%Y-%m-%dT%H:%M:%SZ', published_at, 'unixepoch') AS published_at, url
FROM releases;

-- Metrics -----------------------------------------------------------------

-- One row per pull request: its timeline and PR-flow stages
-- (docs/metrics.md, "PR flow"; src/metrics/core/pr_facts.cc). The first
-- review is the earliest review (submitted, not pending) or comment on the
-- diff by someone other than the author who is not a bot. Set-based (one
-- aggregate per input table, no per-row subqueries), so a whole-table read
-- costs a few hash joins.
CREATE VIEW bi_pr_flow AS
SELECT f.pr_id, f.repo_id, f.author_person_id, f.author_is_bot, f.state,
       strftime('%Y-%m-%dT%H:%M:%SZ', f.created, 'unixepoch') AS created_at, strftime('%Y-%m-%dT%H:%M:%SZ', f.first_commit, 'unixepoch') AS first_commit_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', f.ready, 'unixepoch') AS ready_at, strftime('%Y-%m-%dT%H:%M:%SZ', f.first_review, 'unixepoch') AS first_review_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', f.merged, 'unixepoch') AS merged_at, strftime('%Y-%m-%dT%H:%M:%SZ', f.deployed, 'unixepoch') AS deployed_at,
       CASE WHEN f.first_commit IS NULL THEN NULL WHEN f.ready < f.first_commit THEN 0
            ELSE f.ready - f.first_commit END AS coding_seconds,
       CASE WHEN f.first_review IS NULL THEN NULL
            WHEN f.merged IS NOT NULL AND f.first_review > f.merged THEN NULL
            WHEN f.first_review < f.ready THEN 0
            ELSE f.first_review - f.ready END AS pickup_seconds,
       CASE WHEN f.first_review <= f.merged THEN f.merged - f.first_review END AS review_seconds,
       CASE WHEN f.deployed >= f.merged THEN f.deployed - f.merged END AS deploy_seconds,
       CASE WHEN f.deployed >= f.merged
            THEN f.deployed - CASE WHEN f.first_commit < f.created THEN f.first_commit
                                   ELSE f.created END END AS cycle_seconds,
       COALESCE(f.first_review <= f.merged, FALSE) AS reviewed_before_merge
FROM (
  SELECT pr.id AS pr_id, pr.repo_id, au.person_id AS author_person_id,
         COALESCE(au.is_bot, FALSE) AS author_is_bot, pr.state, pr.created_at AS created,
         COALESCE(pr.ready_at, pr.created_at) AS ready, pr.merged_at AS merged,
         fc.first_commit, fr.first_review, dep.deployed
  FROM pull_requests pr
  LEFT JOIN bi_accounts au ON au.account_id = pr.author_account_id
  LEFT JOIN (SELECT pr_id, min(authored_at) AS first_commit FROM pr_commits GROUP BY pr_id) fc
    ON fc.pr_id = pr.id
  LEFT JOIN (
    SELECT x.pr_id, min(x.at) AS first_review
    FROM (SELECT r.pr_id, r.reviewer_account_id AS who, r.submitted_at AS at FROM pr_reviews r
          WHERE r.submitted_at IS NOT NULL AND r.state <> 'pending'
          UNION ALL
          SELECT c.pr_id, c.author_account_id, c.created_at FROM pr_comments c
          WHERE c.kind = 'review') x
    JOIN pull_requests p ON p.id = x.pr_id
    LEFT JOIN bi_accounts pa ON pa.account_id = p.author_account_id
    LEFT JOIN bi_accounts xa ON xa.account_id = x.who
    WHERE xa.person_id IS DISTINCT FROM pa.person_id AND NOT COALESCE(xa.is_bot, FALSE)
    GROUP BY x.pr_id
  ) fr ON fr.pr_id = pr.id
  LEFT JOIN (
    SELECT dc.pr_id, min(COALESCE(d.finished_at, d.started_at)) AS deployed
    FROM deployment_changes dc JOIN deployments d ON d.id = dc.deployment_id
    WHERE dc.pr_id IS NOT NULL AND d.environment_type = 'production' AND d.result = 'success'
    GROUP BY dc.pr_id
  ) dep ON dep.pr_id = pr.id
) f;

-- One row per deployment that has a time (finished, else started): its
-- DORA facts (docs/metrics.md, "DORA"). Change failure rate is
-- count(is_change_failure) / count(is_finished) over production rows;
-- failed deployment recovery time is the median recovery_seconds. A
-- deployment's target is its repository when that is collected, else its
-- service; the next success of the same target and environment (by time,
-- then id) is a window over them.
CREATE VIEW bi_dora_deployments AS
SELECT f.deployment_id, f.repo_id, f.service, f.environment, f.environment_type,
       f.environment_type = 'production' AS is_production, f.result, strftime('%Y-%m-%dT%H:%M:%SZ', f.at, 'unixepoch') AS deployed_at,
       date(f.at, 'unixepoch') AS deployed_day, f.result = 'success' AS is_success, f.finished AS is_finished,
       f.incidents, f.failed AS is_change_failure,
       CASE WHEN NOT f.failed THEN NULL
            WHEN f.result IN ('failure', 'rolled_back') THEN 'result: ' || f.result
            ELSE 'incident: ' || f.first_incident END AS failure_reason,
       strftime('%Y-%m-%dT%H:%M:%SZ', f.recovered, 'unixepoch') AS recovered_at,
       CASE WHEN f.recovered IS NULL THEN NULL WHEN f.recovered < f.at THEN 0
            ELSE f.recovered - f.at END AS recovery_seconds
FROM (
  SELECT g.deployment_id, g.repo_id, g.service, g.environment, g.environment_type, g.result,
         g.at, g.finished, g.incidents, g.first_incident, g.failed,
         CASE WHEN NOT g.failed THEN NULL
              WHEN g.incidents > 0 THEN
                CASE WHEN g.incidents_resolved = g.incidents THEN g.last_resolved END
              ELSE g.next_success END AS recovered
  FROM (
    SELECT h.*,
           h.finished AND (h.result IN ('failure', 'rolled_back') OR h.incidents > 0) AS failed,
           min(CASE WHEN h.result = 'success' THEN h.at END)
             OVER (PARTITION BY h.target, h.environment ORDER BY h.at, h.deployment_id
                   ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_success
    FROM (
      SELECT d.id AS deployment_id, d.repo_id, d.service, d.environment, d.environment_type,
             d.result, COALESCE(d.finished_at, d.started_at) AS at,
             d.result IN ('success', 'failure', 'rolled_back') AS finished,
             CASE WHEN r.id IS NOT NULL THEN 'r' || r.id
                  ELSE 's' || COALESCE(d.service, '') END AS target,
             COALESCE(inc.incidents, 0) AS incidents,
             COALESCE(inc.incidents_resolved, 0) AS incidents_resolved,
             inc.last_resolved, inc.first_incident
      FROM deployments d
      LEFT JOIN repos r ON r.id = d.repo_id
      LEFT JOIN (
        SELECT l.deployment_id, count(*) AS incidents, count(i.resolved_at) AS incidents_resolved,
               max(i.resolved_at) AS last_resolved, min(l.incident_id) AS first_incident
        FROM incident_deployments l JOIN incidents i ON i.id = l.incident_id
        GROUP BY l.deployment_id
      ) inc ON inc.deployment_id = d.id
      WHERE COALESCE(d.finished_at, d.started_at) IS NOT NULL
    ) h
  ) g
) f;

-- One row per change (a pull request, or a commit pushed without one) that
-- a successful production deployment shipped first to its environment
-- (deployment_changes, made by `sei link`): the rows behind lead time for
-- changes, whose value is the median lead_time_seconds of the counted rows
-- placed in the range by deployed_at.
CREATE VIEW bi_dora_changes AS
SELECT dc.deployment_id, dc.change_id, dc.repo_id, dc.pr_id, dc.author_account_id,
       ca.person_id AS author_person_id, COALESCE(ca.is_bot, FALSE) AS author_is_bot,
       strftime('%Y-%m-%dT%H:%M:%SZ', dc.first_commit_at, 'unixepoch') AS first_commit_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', COALESCE(d.finished_at, d.started_at), 'unixepoch') AS deployed_at,
       date(COALESCE(d.finished_at, d.started_at), 'unixepoch') AS deployed_day,
       CASE WHEN COALESCE(d.finished_at, d.started_at) >= dc.first_commit_at
            THEN COALESCE(d.finished_at, d.started_at) - dc.first_commit_at END
         AS lead_time_seconds,
       NOT COALESCE(ca.is_bot, FALSE)
         AND COALESCE(d.finished_at, d.started_at) >= dc.first_commit_at AS counted,
       dc.commits, dc.link_method
FROM deployment_changes dc
JOIN deployments d ON d.id = dc.deployment_id
LEFT JOIN bi_accounts ca ON ca.account_id = dc.author_account_id
WHERE d.environment_type = 'production' AND d.result = 'success'
  AND COALESCE(d.finished_at, d.started_at) IS NOT NULL;

-- Deployments per UTC day, repository (or service) and environment: what
-- deployment frequency counts (successful production deployments), with the
-- finished deployments and change failures of the day.
CREATE VIEW bi_dora_daily AS
SELECT deployed_day AS day, repo_id, service, environment, environment_type, is_production,
       SUM(CASE WHEN is_success THEN 1 ELSE 0 END) AS deployments,
       SUM(CASE WHEN is_finished THEN 1 ELSE 0 END) AS finished,
       SUM(CASE WHEN is_change_failure THEN 1 ELSE 0 END) AS change_failures
FROM bi_dora_deployments
GROUP BY deployed_day, repo_id, service, environment, environment_type, is_production;
