// Developer view: the caller's own open PRs (waiting for review, or waiting on
// them), review requests in their team, and their cycle time against the team's
// median. Per the API's roles it shows a person to themselves (admins may pick).
import type { ViewProps } from '../App';
import type { Family, ListPage, Ref } from '../lib/api';
import { metricOf, rangeQuery } from '../lib/family';
import { formatValue } from '../lib/format';
import { navigate } from '../lib/route';
import { useApi } from '../lib/useApi';
import { ErrorNote, Loading } from '../components/States';
import { PrList } from './Manager';

interface PrItem { id: string; number: number; title: string; url?: string; created_at: string; author?: { id: string; name: string } | null; repo: { name: string }; reviews: number; first_review_at: string | null }
interface Team extends Ref { members: { id: string; current: boolean }[] }

export function Developer({ me, since, params }: ViewProps) {
  const person = params.get('person') || me.person_id;
  const people = useApi<{ people: Ref[] }>(me.role === 'admin' || me.role === 'manager' ? '/people' : null);
  const teams = useApi<{ teams: Team[] }>('/teams');
  const team = me.team_ids[0] ?? teams.data?.teams.find((t) => t.members?.some((m) => m.current && m.id === person))?.id ?? null;
  const live = person ? [`person:${person}`] : null;
  const mine = useApi<ListPage<PrItem>>(person ? '/pull-requests' : null, { person, state: 'open', limit: 100 }, live);
  const teamOpen = useApi<ListPage<PrItem>>(person && team ? '/pull-requests' : null, { scope: `team:${team}`, state: 'open', limit: 200 }, team ? [`team:${team}`] : null);
  const myCycle = useApi<Family>(person ? '/metrics/pr' : null, { person, ...rangeQuery(since), metric: 'pr.cycle_time' }, live);
  const teamCycle = useApi<Family>(team ? '/metrics/pr' : null, { scope: `team:${team}`, ...rangeQuery(since), metric: 'pr.cycle_time' }, team ? [`team:${team}`] : null);

  const picker = people.data ? (
    <label className="pickers">
      Person
      <select value={person ?? ''} onChange={(e) => navigate(null, { person: e.target.value || null })}>
        <option value="">choose…</option>
        {people.data.people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </select>
    </label>
  ) : null;
  if (!person) {
    return (
      <>
        {picker}
        <ErrorNote status={me.role === 'viewer' ? 403 : null} message={me.role === 'viewer'
          ? 'Viewers see organisation metrics only; personal pages are for the person themselves.'
          : 'This token has no person: sign in as a user (or make a token with --user) to see your own work.'} />
      </>
    );
  }
  if (mine.error) return <>{picker}<ErrorNote message={mine.error} status={mine.status} /></>;
  const items = mine.data?.items;
  const waitingReview = items?.filter((p) => !p.first_review_at);
  const waitingOnMe = items?.filter((p) => p.first_review_at);
  const requests = teamOpen.data?.items.filter((p) => p.author?.id !== person && !p.first_review_at).slice(0, 20);
  const mc = metricOf(myCycle.data, 'pr.cycle_time');
  const tc = metricOf(teamCycle.data, 'pr.cycle_time');
  return (
    <>
      {picker}
      <section className="card" data-testid="cycle-compare">
        <h2>My cycle time against the team median</h2>
        {!myCycle.data && !myCycle.error ? <Loading what="cycle time" /> : null}
        {myCycle.error ? <ErrorNote message={myCycle.error} status={myCycle.status} /> : null}
        {mc ? (
          <p className="value">
            <span data-testid="my-cycle" data-value={mc.value ?? ''}>{formatValue(mc.value, mc.unit)}</span>
            <span className="muted small"> me · team {tc ? <span data-testid="team-cycle" data-value={tc.value ?? ''}>{formatValue(tc.value, tc.unit)}</span> : '—'}</span>
          </p>
        ) : null}
        {mc ? <p className="completeness small">Median over {mc.completeness.measured} of my merged PRs in the range.</p> : null}
      </section>
      <div className="grid">
        <PrList title={`My PRs waiting for review (${waitingReview?.length ?? '…'})`} items={waitingReview} empty="None of your open PRs waits for a first review." />
        <PrList title={`My PRs reviewed, waiting on me (${waitingOnMe?.length ?? '…'})`} items={waitingOnMe} empty="No reviewed PR waits on you." />
        {team ? <PrList title="Review requests: team PRs with no review yet" items={requests} empty="No team PR waits for a first review." /> : null}
      </div>
    </>
  );
}
