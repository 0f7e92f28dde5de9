/**
 * The outbox (lib/background/session/outbox.ts): end reports and audit events are kept in storage until
 * the server has them, retried with backoff, in order, and a new background sends what an old one left.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutbox, type Delivery, type OutboxItem } from '@/lib/background/session/outbox';
import { deliver } from '@/lib/background/session/server-client';

const end = (sessionId: string): OutboxItem => ({ kind: 'end', base: 'http://s', sessionId, token: 't', reason: 'customer-stopped' });
const link = (state: 'up' | 'down', seq: number): OutboxItem => ({ kind: 'link', base: 'http://s', sessionId: 's1', token: 't', state, seq });
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

  it('keeps link reports in storage and sends them in order, a late "up" never ahead of a newer "down"', async () => {
    const h = harness(['retry', 'retry', 'retry']);
    await h.outbox.add(link('up', 1));
    await settle();
    await h.outbox.add(link('down', 2));
    await settle();
    await h.outbox.add(link('up', 3));
    await settle();
    expect(h.saved()).toEqual([link('up', 1), link('down', 2), link('up', 3)]);
    h.timers.shift()?.fn();
    await settle();
    const order = h.tried.map((i) => (i.kind === 'link' ? `${i.state}${i.seq}` : i.kind));
    // However often the head was tried, nothing behind it went first.
    expect(order.slice(-3)).toEqual(['up1', 'down2', 'up3']);
    expect(new Set(order.slice(0, -2))).toEqual(new Set(['up1']));
    expect(h.saved()).toEqual([]);
  });
});

describe('one try at a report (deliver)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('posts a link report to /link with its state and sequence number; 409 (ended) is final, 503 is retried', async () => {
    const calls: Array<[string, RequestInit]> = [];
    const statuses = [204, 409, 503];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(null, { status: statuses.shift()! });
    });
    expect(await deliver(link('down', 4))).toBe('sent');
    expect(calls[0]![0]).toBe('http://s/api/sessions/s1/link');
    expect(JSON.parse(String(calls[0]![1].body))).toEqual({ state: 'down', seq: 4 });
    expect((calls[0]![1].headers as Record<string, string>).authorization).toBe('Bearer t');
    expect(await deliver(link('up', 5))).toBe('sent');
    expect(await deliver(link('up', 5))).toBe('retry');
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('network');
    });
    expect(await deliver(link('up', 5))).toBe('retry');
  });
});
