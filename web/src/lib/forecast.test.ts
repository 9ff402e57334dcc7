import { describe, expect, it } from 'vitest';
import { forecastCompletion, percentile, seededRandom } from './forecast';

const start = new Date('2026-12-01T00:00:00Z');

describe('forecastCompletion', () => {
  it('is exact when every week has the same throughput', () => {
    const f = forecastCompletion([10, 10, 10], 25, start)!;
    expect(f.weeks).toEqual({ 50: 3, 85: 3, 95: 3 });
    expect(f.dates[50].toISOString()).toBe('2026-12-22T00:00:00.000Z');
  });

  it('orders the likelihoods and widens with variable throughput', () => {
    const f = forecastCompletion([0, 2, 5, 12, 20, 1], 60, start, { seed: 3 })!;
    expect(f.weeks[50]).toBeLessThanOrEqual(f.weeks[85]);
    expect(f.weeks[85]).toBeLessThanOrEqual(f.weeks[95]);
    expect(f.weeks[95]).toBeGreaterThan(f.weeks[50]);
    // mean throughput 6.67/week: the median run needs about 9 weeks
    expect(f.weeks[50]).toBeGreaterThanOrEqual(8);
    expect(f.weeks[50]).toBeLessThanOrEqual(11);
  });

  it('gives the same answer for the same seed, and needs no time for nothing', () => {
    const a = forecastCompletion([3, 7, 1, 9], 40, start, { seed: 42 });
    const b = forecastCompletion([3, 7, 1, 9], 40, start, { seed: 42 });
    expect(a).toEqual(b);
    expect(forecastCompletion([3, 7], 0, start)!.weeks[95]).toBe(0);
  });

  it('refuses to forecast from no history or only empty weeks', () => {
    expect(forecastCompletion([], 5, start)).toBeNull();
    expect(forecastCompletion([0, 0, 0], 5, start)).toBeNull();
  });
});

describe('helpers', () => {
  it('percentile is nearest-rank', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([4], 85)).toBe(4);
  });
  it('seededRandom stays in [0, 1) and repeats per seed', () => {
    const r = seededRandom(9);
    const xs = Array.from({ length: 1000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(9)()).toBe(xs[0]);
  });
});
