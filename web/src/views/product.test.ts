import { describe, expect, it } from 'vitest';
import { epicProgress, weeklyHistory } from './Product';
import { metric } from '../test/fake-api';

const issue = (id: string, over: Record<string, unknown> = {}) => ({ id, key: id, title: id, status: 's', type: 'story', status_category: 'todo', ...over });

describe('epicProgress', () => {
  it('counts done and open issues per open epic, most open first, and leaves out done or empty epics', () => {
    const epics = [issue('E1', { type: 'epic' }), issue('E2', { type: 'epic' }), issue('E3', { type: 'epic', status_category: 'done' }), issue('E4', { type: 'epic' })];
    const done = [issue('a', { epic_id: 'E1' }), issue('b', { epic_id: 'E1' }), issue('c', { epic_id: 'E3' }), issue('d')];
    const open = [issue('x', { epic_id: 'E2' }), issue('y', { epic_id: 'E2' }), issue('z', { epic_id: 'E1' })];
    expect(epicProgress(epics, done, open).map((r) => [r.epic.id, r.done, r.open])).toEqual([['E2', 0, 2], ['E1', 2, 1]]);
  });
});

describe('weeklyHistory', () => {
  it('keeps full weeks before until, skips missing weeks, and keeps the most recent ones', () => {
    const m = metric('flow.throughput.issues', {
      series: [
        { start: '2026-11-02T00:00:00Z', value: 5, n: 5 },
        { start: '2026-11-09T00:00:00Z', value: null, n: 0 },
        { start: '2026-11-16T00:00:00Z', value: 7, n: 7 },
        { start: '2026-11-23T00:00:00Z', value: 9, n: 9 },
        { start: '2026-11-30T00:00:00Z', value: 1, n: 1 }, // partial: until is 2026-12-01
      ],
    });
    expect(weeklyHistory(m, '2026-12-01T00:00:00Z')).toEqual([5, 7, 9]);
    expect(weeklyHistory(m, '2026-12-01T00:00:00Z', 2)).toEqual([7, 9]);
  });
});
