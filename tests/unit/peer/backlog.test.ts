/** What waits for the data channel while it opens: bounded, in order, and never a half stream. */
import { describe, expect, it } from 'vitest';
import { createBacklog } from '@/lib/peer/customer-link';

type M = { type: 'events' | 'tab-state'; n: number };

describe('createBacklog', () => {
  it('keeps messages in order and empties on drain', () => {
    const backlog = createBacklog<M>(10);
    backlog.push({ type: 'tab-state', n: 1 });
    backlog.push({ type: 'events', n: 2 });
    expect(backlog.drain()).toEqual({ messages: [{ type: 'tab-state', n: 1 }, { type: 'events', n: 2 }], lost: false });
    expect(backlog.drain()).toEqual({ messages: [], lost: false });
  });

  it('past the bound drops the recorded events (not the rest) and every later event, and says so', () => {
    const backlog = createBacklog<M>(3);
    backlog.push({ type: 'tab-state', n: 0 });
    for (let n = 1; n <= 3; n++) backlog.push({ type: 'events', n });
    backlog.push({ type: 'events', n: 4 });
    backlog.push({ type: 'tab-state', n: 5 });
    expect(backlog.drain()).toEqual({ messages: [{ type: 'tab-state', n: 0 }, { type: 'tab-state', n: 5 }], lost: true });
    // After the drain (the channel opened, a snapshot was asked for) events are kept again.
    backlog.push({ type: 'events', n: 6 });
    expect(backlog.drain()).toEqual({ messages: [{ type: 'events', n: 6 }], lost: false });
  });
});
