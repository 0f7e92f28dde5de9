/**
 * The outbox (lib/background/session/outbox.ts): end reports and audit events are kept in storage until
 * the server has them, retried with backoff, in order, and a new background sends what an old one left.
 */
import { describe, expect, it } from 'vitest';
import { createOutbox, type Delivery, type OutboxItem } from '@/lib/background/session/outbox';

const end = (sessionId: string): OutboxItem => ({ kind: 'end', base: 'http://s', sessionId, token: 't', reason: 'customer-stopped' });
const event = (detail: string): OutboxItem => ({ kind: 'event', base: 'http://s', sessionId: 's1', token: 't', event: 'click-executed', detail });

function harness(answers: Delivery[], stored: unknown = undefined) {
  let saved: unknown = stored;
  const tried: OutboxItem[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const outbox = createOutbox({
    load: async () => saved,
    save: async (items) => {
      saved = JSON.parse(JSON.stringify(items));
    },
    deliver: async (item) => {
      tried.push(item);
      return answers.shift() ?? 'sent';
    },
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
  });
  return { outbox, tried, timers, saved: () => saved };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('the outbox', () => {
  it('keeps an item in storage before the first try, and drops it once the server has it', async () => {
    const h = harness(['retry']);
    await h.outbox.add(end('s1'));
    await settle();
    expect(h.saved()).toEqual([end('s1')]);
    expect(h.tried).toHaveLength(1);
    // The server is back: the retry sends it and storage empties.
    h.timers.shift()?.fn();
    await settle();
    expect(h.tried).toHaveLength(2);
    expect(h.saved()).toEqual([]);
  });

  it('retries with growing delays, one timer at a time, until the server answers', async () => {
    const h = harness(['retry', 'retry', 'retry', 'sent']);
    await h.outbox.add(end('s1'));
    await settle();
    const delays: number[] = [];
    while (h.timers.length > 0) {
      const next = h.timers.shift()!;
      delays.push(next.ms);
      next.fn();
      await settle();
      expect(h.timers.length).toBeLessThanOrEqual(1);
    }
    expect(delays).toEqual([500, 1000, 2000]);
    expect(h.tried).toHaveLength(4);
    expect(h.saved()).toEqual([]);
  });

  it('sends in order and never an item before the one ahead of it is acknowledged', async () => {
    const h = harness(['retry', 'retry', 'retry']);
    await h.outbox.add(event('a'));
    await settle();
    await h.outbox.add(event('b'));
    await settle();
    await h.outbox.add(end('s1'));
    await settle();
    // Each add tries the head of the line again; nothing behind it goes first.
    expect(h.tried.map((i) => (i.kind === 'event' ? i.detail : i.kind))).toEqual(['a', 'a', 'a']);
    expect(h.timers).toHaveLength(1);
    h.timers.shift()?.fn();
    await settle();
    expect(h.tried.map((i) => (i.kind === 'event' ? i.detail : i.kind))).toEqual(['a', 'a', 'a', 'a', 'b', 'end']);
    expect(h.saved()).toEqual([]);
  });

  it('a new background sends what the previous one left in storage; bad stored data is dropped', async () => {
    const h = harness([], [end('left-over')]);
    await h.outbox.flush();
    expect(h.tried).toEqual([end('left-over')]);
    expect(h.saved()).toEqual([]);
    const bad = harness([], [{ kind: 'nonsense' }]);
    await bad.outbox.flush();
    expect(bad.tried).toEqual([]);
  });
});
