import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { DrillTable, rowsInBucket } from './DrillTable';
import { metric } from '../test/fake-api';

const rows = [
  { id: 'a', entity: 'deployment', at: '2026-09-13T23:59:59Z', title: 'before' },
  { id: 'b', entity: 'deployment', at: '2026-09-14T00:00:00Z', title: 'first instant', url: 'https://ci.example/b' },
  { id: 'c', entity: 'deployment', at: '2026-09-20T23:59:59Z', title: 'last instant' },
  { id: 'd', entity: 'deployment', at: '2026-09-21T00:00:00Z', title: 'next week' },
];

describe('rowsInBucket', () => {
  it('keeps the rows of the week [start, start + 7d)', () => {
    expect(rowsInBucket(rows, '2026-09-14T00:00:00Z', 'week').map((r) => r.id)).toEqual(['b', 'c']);
  });
  it('handles days and calendar months', () => {
    expect(rowsInBucket(rows, '2026-09-14T00:00:00Z', 'day').map((r) => r.id)).toEqual(['b']);
    expect(rowsInBucket(rows, '2026-09-01T00:00:00Z', 'month')).toHaveLength(4);
  });
});

describe('DrillTable', () => {
  it('shows one bucket of rows with links to the source, and says how many of all', () => {
    render(<DrillTable metric={metric('dora.change_failure_rate', { name: 'Change failure rate', rows })} bucket="2026-09-14T00:00:00Z" onClose={() => {}} />);
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('Rows behind Change failure rate, week of 2026-09-14 (2 of 4)');
    expect(screen.getAllByRole('row')).toHaveLength(3); // header + 2
    expect(screen.getByRole('link', { name: 'open' })).toHaveAttribute('href', 'https://ci.example/b');
    expect(screen.getByText('last instant').closest('tr')!.textContent).toContain('no link');
  });
});
