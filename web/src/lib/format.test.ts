import { describe, expect, it } from 'vitest';
import { completenessText, formatValue } from './format';

describe('formatValue', () => {
  it('formats by unit and never shows missing as zero', () => {
    expect(formatValue(348971, 'seconds')).toBe('4.0d');
    expect(formatValue(18356.5, 'seconds')).toBe('5.1h');
    expect(formatValue(0.12875, 'ratio')).toBe('12.9%');
    expect(formatValue(16.64, 'per_week')).toBe('16.6/week');
    expect(formatValue(2849, 'count')).toBe('2,849');
    expect(formatValue(null, 'seconds')).toBe('—');
  });
  it('says how complete the data is, with the notes', () => {
    expect(completenessText({ fraction: 0.9117, measured: 31, total: 34, notes: ['9% of incidents are not resolved yet'] }))
      .toBe('Data: 91% complete (31 of 34 measured). 9% of incidents are not resolved yet.');
    expect(completenessText({ fraction: null, measured: 0, total: 0, notes: [] })).toBe('No data in this range.');
  });
});
