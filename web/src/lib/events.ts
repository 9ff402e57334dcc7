// Live updates: GET /api/v1/events read with fetch streaming (EventSource cannot
// send an Authorization header). Subscribers name the scope they show and are
// told when the server says it (or everything) changed.
import { getToken } from './api';

export interface SseEvent { id?: string; event: string; data: string }

/** Splits a text/event-stream buffer into complete events and the unfinished rest. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const ev: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') ev.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') ev.id = value;
    }
    ev.data = data.join('\n');
    if (data.length || ev.id) events.push(ev);
  }
  return { events, rest };
}

export interface Change { all: boolean; scopes: string[]; generation: number }

/** Whether a change touches what a view shows: its scope written as kind:id or kind:name. */
export function touches(change: Change, scopeIds: string[]): boolean {
  if (change.all) return true;
  return change.scopes.some((s) => scopeIds.includes(s));
}

type Listener = (c: Change) => void;
const listeners = new Set<Listener>();
export function onChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
export function emitChange(c: Change): void {
  listeners.forEach((l) => l(c));
}

/** Keeps one stream open while the app is signed in; reconnects with Last-Event-ID. */
export function startLiveUpdates(onStatus: (live: boolean) => void): () => void {
  let stopped = false;
  let lastId: string | undefined;
  let ctrl: AbortController | null = null;
  const run = async () => {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${getToken() ?? ''}` };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const res = await fetch('/api/v1/events', { headers, signal: ctrl.signal });
        if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
        onStatus(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buf + value);
          buf = parsed.rest;
          for (const ev of parsed.events) {
            if (ev.id) lastId = ev.id;
            if (ev.event === 'metrics') {
              const d = JSON.parse(ev.data);
              emitChange({ all: !!d.all, scopes: d.scopes ?? [], generation: d.generation });
            } else if (ev.event === 'denied') {
              stopped = true;
            }
          }
        }
      } catch {
        /* reconnect below */
      }
      onStatus(false);
      if (!stopped) await new Promise((r) => setTimeout(r, 3000));
    }
  };
  void run();
  return () => {
    stopped = true;
    ctrl?.abort();
  };
}
