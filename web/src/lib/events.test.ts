import { describe, expect, it, vi } from 'vitest';
import { emitChange, onChange, parseSse, touches } from './events';

describe('parseSse', () => {
  it('splits complete events and keeps the unfinished rest', () => {
    const buf = 'retry: 3000\nid: 41\nevent: hello\ndata: {"generation":41}\n\n: keep-alive\n\nid: 42\nevent: metrics\ndata: {"all":false,\ndata: "scopes":["org"]}\n\nid: 43\nevent: met';
    const { events, rest } = parseSse(buf);
    expect(events).toEqual([
      { id: '41', event: 'hello', data: '{"generation":41}' },
      { id: '42', event: 'metrics', data: '{"all":false,\n"scopes":["org"]}' },
    ]);
    expect(rest).toBe('id: 43\nevent: met');
  });
  it('handles CRLF line ends', () => {
    expect(parseSse('event: metrics\r\ndata: x\r\n\r\n').events).toEqual([{ event: 'metrics', data: 'x' }]);
  });
});

describe('touches and listeners', () => {
  it('matches named scopes, or everything on all', () => {
    const c = { all: false, generation: 5, scopes: ['org', 'team:demo:team:payments'] };
    expect(touches(c, ['team:demo:team:payments'])).toBe(true);
    expect(touches(c, ['team:demo:team:data'])).toBe(false);
    expect(touches({ ...c, all: true, scopes: [] }, ['team:demo:team:data'])).toBe(true);
  });
  it('tells subscribers until they unsubscribe', () => {
    const l = vi.fn();
    const off = onChange(l);
    emitChange({ all: true, scopes: [], generation: 1 });
    off();
    emitChange({ all: true, scopes: [], generation: 2 });
    expect(l).toHaveBeenCalledTimes(1);
  });
});
