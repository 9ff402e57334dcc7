// What a panel shows while it loads, when the server refuses or fails, and
// when there is no data (saying what to connect).
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return <p className="muted" role="status">Loading {what}…</p>;
}

export function ErrorNote({ message, status }: { message: string; status?: number | null }) {
  return (
    <div className={`error ${status === 403 ? 'forbidden' : ''}`} role="alert">
      {status === 403 ? <strong>Not available to your role. </strong> : null}
      {message}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export const FAMILY_LABEL: Record<string, string> = { dora: 'deployment (DORA)', pr: 'pull request', flow: 'issue and delivery', bottlenecks: 'bottleneck' };

export const CONNECT_HINT: Record<string, string> = {
  dora: 'Connect a CI/CD pipeline or push deployments (POST /api/v1/push/deployments) and incidents from your pager.',
  pr: 'Connect GitHub or GitLab (Settings → Connections) so pull requests and reviews are collected.',
  flow: 'Connect an issue tracker (Jira, Linear) or push issues (POST /api/v1/push/issues).',
  bottlenecks: 'Connect GitHub or GitLab and an issue tracker so PR stages and issue statuses can be timed.',
};
