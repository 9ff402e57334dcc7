import { describe, expect, it } from 'vitest';
import { metric, family } from '../test/fake-api';
import { stageDrill, STAGES } from './Manager';

const weeks = ['2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z'];
const f = family('pr', STAGES.map((s) => metric(`pr.${s}_time`, { series: weeks.map((w, i) => ({ start: w, value: i, n: 1 })) })));

describe('PR flow drill-down', () => {
  it('opens the clicked stage, and from the weekly chart only that week', () => {
    expect(stageDrill(f, { seriesName: 'review', dataIndex: 1 }, true)).toEqual(['pr.review_time', '2026-11-09T00:00:00Z']);
    expect(stageDrill(f, { seriesName: 'pickup', dataIndex: 0 }, false)).toEqual(['pr.pickup_time', null]);
  });

  it('ignores clicks on anything but a stage', () => {
    expect(stageDrill(f, { seriesName: 'cycle', dataIndex: 0 }, true)).toBeNull();
    expect(stageDrill(f, { dataIndex: 0 }, false)).toBeNull();
  });
});
