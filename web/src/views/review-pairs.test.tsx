import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { WhoReviewsWhom, type ReviewPairs } from './Manager';

const pair = (r: string, a: string, reviews: number, prs: number) => ({
  reviewer: { id: `p:${r}`, name: r }, author: { id: `p:${a}`, name: a }, reviews, prs,
});

describe('WhoReviewsWhom', () => {
  it('lists the busiest pairs in the API order, and says how many more there are', () => {
    const data: ReviewPairs = { reviews: 10, pairs: [pair('Ann', 'Bob', 5, 3), pair('Bob', 'Ann', 3, 3), pair('Cy', 'Ann', 2, 1)] };
    render(<WhoReviewsWhom data={data} limit={2} />);
    expect(screen.getByRole('heading', { name: 'Who reviews whom (10 reviews)' })).toBeTruthy();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-pair'))).toEqual(['p:Ann|p:Bob', 'p:Bob|p:Ann']);
    expect(within(rows[0]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Ann', 'Bob', '5', '3']);
    expect(screen.getByText('1 more pairs.')).toBeTruthy();
  });

  it('says what to connect when there are no reviews', () => {
    render(<WhoReviewsWhom data={{ reviews: 0, pairs: [] }} />);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText(/connect a source with pull requests and reviews/)).toBeTruthy();
  });
});
