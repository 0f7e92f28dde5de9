import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeEvents } from '@/lib/protocol/events-decode';
import { parseToViewer } from '@/lib/protocol/wire';
import { MessageDecoder, MessageEncoder } from '@/lib/shared/transport/codec';
import { scheduleWarmUp, syntheticSnapshot, warmUpCodec } from '@/lib/shared/transport/warm-up';

describe('codec warm-up', () => {
  afterEach(() => vi.useRealTimers());

  it('builds a snapshot of about the asked size that both ends accept', () => {
    const events = syntheticSnapshot(2_000);
    const json = JSON.stringify(events);
    const elements = json.match(/"type":2,"tagName"/g)?.length ?? 0;
    expect(elements).toBeGreaterThanOrEqual(1_000);
    expect(elements).toBeLessThanOrEqual(2_100);
    // The sender's check (the trust boundary) and the viewer's wire schema both take it as it is.
    expect(decodeEvents(json)).toHaveLength(2);
    expect(parseToViewer({ type: 'events', events })).toMatchObject({ ok: true });
  });

  it('runs the codec and the receiver check, and reports the time', () => {
    const accepted: unknown[] = [];
    const ms = warmUpCodec({ elements: 300, accept: (m) => accepted.push(parseToViewer(m)) });
    expect(ms).toBeGreaterThan(0);
    expect(accepted).toEqual([expect.objectContaining({ ok: true })]);
  });

  it("fails loudly when the receiver's check refuses what was warmed up", () => {
    expect(() => warmUpCodec({ elements: 50, accept: () => { throw new Error('refused'); } })).toThrow('refused');
  });

  it('leaves a session already under way alone: its next message still decodes', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const first = encoder.encode({ type: 'events', events: syntheticSnapshot(100) });
    first.forEach((f) => decoder.push(f));
    warmUpCodec({ elements: 200 });
    const next = encoder.encode({ type: 'tab-state', state: 'sharing' }).flatMap((f) => decoder.push(f));
    expect(next).toEqual([{ ok: true, value: { type: 'tab-state', state: 'sharing' } }]);
  });

  it('spreads the rounds over tasks and stops when cancelled', () => {
    vi.useFakeTimers();
    const accept = vi.fn();
    const cancel = scheduleWarmUp({ rounds: 3, elements: 50, accept });
    expect(accept).not.toHaveBeenCalled();
    vi.advanceTimersToNextTimer();
    expect(accept).toHaveBeenCalledTimes(1);
    vi.advanceTimersToNextTimer();
    expect(accept).toHaveBeenCalledTimes(2);
    cancel();
    vi.runAllTimers();
    expect(accept).toHaveBeenCalledTimes(2);
  });

  it('reports a failing round and stops', () => {
    vi.useFakeTimers();
    const onError = vi.fn();
    scheduleWarmUp({ rounds: 3, elements: 50, accept: () => { throw new Error('bad'); } }, onError);
    vi.runAllTimers();
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
