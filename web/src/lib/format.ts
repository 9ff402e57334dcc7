// Formats metric values for people: durations in the largest sensible unit,
// ratios as percentages, missing as an em dash (never a zero).
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.round(seconds)}s`;
  if (s < 3600) return `${(seconds / 60).toFixed(0)}m`;
  if (s < 86400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}

export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'seconds':
      return formatDuration(value);
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`;
    case 'per_week':
      return `${value.toFixed(1)}/week`;
    case 'per_day':
      return `${value.toFixed(1)}/day`;
    default:
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
  }
}

/** The unit a chart axis can plot: durations in hours, ratios in percent. */
export function chartScale(unit: string): { factor: number; label: string } {
  if (unit === 'seconds') return { factor: 1 / 3600, label: 'hours' };
  if (unit === 'ratio') return { factor: 100, label: '%' };
  return { factor: 1, label: unit.replace('_', ' ') };
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function completenessText(c: { fraction: number | null; measured: number; total: number; notes: string[] }): string {
  if (c.total === 0) return 'No data in this range.';
  const pct = c.fraction === null ? '—' : `${Math.round(c.fraction * 100)}%`;
  const base = `Data: ${pct} complete (${c.measured.toLocaleString('en-US')} of ${c.total.toLocaleString('en-US')} measured)`;
  return c.notes.length ? `${base}. ${c.notes.join('; ')}.` : `${base}.`;
}
