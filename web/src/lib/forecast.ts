// Monte Carlo delivery forecast: how many weeks until `remaining` issues are done,
// drawing each future week's throughput from the recent weekly throughputs.
// Pure and seeded, so tests (and two people looking at the same link) get one answer.

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Forecast {
  /** weeks needed at each likelihood (the run that finishes at or before it) */
  weeks: Record<50 | 85 | 95, number>;
  /** dates at each likelihood, from `start` */
  dates: Record<50 | 85 | 95, Date>;
  trials: number;
}

export const MAX_WEEKS = 520;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Returns null when there is nothing to forecast from: no history, or a history
 * of only empty weeks (work would never finish).
 */
export function forecastCompletion(
  weeklyThroughput: number[],
  remaining: number,
  start: Date,
  opts: { trials?: number; seed?: number } = {},
): Forecast | null {
  const history = weeklyThroughput.filter((x) => Number.isFinite(x) && x >= 0);
  if (history.length === 0 || !history.some((x) => x > 0)) return null;
  const trials = opts.trials ?? 10000;
  const rand = seededRandom(opts.seed ?? 1);
  const results: number[] = [];
  for (let t = 0; t < trials; t++) {
    let left = remaining;
    let weeks = 0;
    while (left > 0 && weeks < MAX_WEEKS) {
      left -= history[Math.floor(rand() * history.length)];
      weeks++;
    }
    results.push(weeks);
  }
  results.sort((a, b) => a - b);
  const weeks = { 50: percentile(results, 50), 85: percentile(results, 85), 95: percentile(results, 95) };
  const at = (w: number) => new Date(start.getTime() + w * 7 * 86400000);
  return { weeks, dates: { 50: at(weeks[50]), 85: at(weeks[85]), 95: at(weeks[95]) }, trials };
}
