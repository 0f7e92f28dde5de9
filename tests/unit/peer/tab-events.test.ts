/**
 * The shared tab's events port at the peer host (lib/peer/tab-events.ts): a trust boundary, opened from
 * inside a page we do not trust. Only the consented tab's top frame of this extension gets through.
 */
import { describe, expect, it, vi } from 'vitest';
import { receiveTabEvents, type EventsPort, type EventsPortSource } from '@/lib/peer/tab-events';
import { EVENTS_PORT, TAB_PORT } from '@/lib/protocol/tab-port';
import { MAX_MESSAGE_BYTES } from '@/lib/protocol/version';

const EXTENSION = 'meekijk-extension-id';
const BATCH = '[{"type":4,"data":{},"timestamp":1}]';

interface FakePort extends EventsPort {
  send(raw: unknown): void;
  drop(): void;
  disconnected: boolean;
}

/** `tab: null`: a port from no tab (an extension page). */
function fakePort({ name = EVENTS_PORT, id = EXTENSION, tab = 7 as number | null, frameId = 0 } = {}): FakePort {
  const onMessage: Array<(raw: unknown) => void> = [];
  const onDisconnect: Array<() => void> = [];
  const port: FakePort = {
    name,
    sender: { id, frameId, ...(tab === null ? {} : { tab: { id: tab } }) },
    onMessage: { addListener: (l) => void onMessage.push(l) },
    onDisconnect: { addListener: (l) => void onDisconnect.push(l) },
    disconnected: false,
    disconnect() {
      port.disconnected = true;
    },
    send: (raw) => onMessage.forEach((l) => l(raw)),
    drop: () => onDisconnect.forEach((l) => l()),
  };
  return port;
}

function setup(activityEveryMs = 1_000) {
  let connect: ((port: EventsPort) => void) | undefined;
  const unsubscribe = vi.fn();
  const source: EventsPortSource = {
    extensionId: EXTENSION,
    onConnect: (listener) => {
      connect = listener;
      return unsubscribe;
    },
  };
  const events: string[] = [];
  let activity = 0;
  let clock = 0;
  const tabEvents = receiveTabEvents(source, {
    onEvents: (json) => void events.push(json),
    onActivity: () => void activity++,
    activityEveryMs,
    now: () => clock,
  });
  return {
    tabEvents,
    unsubscribe,
    events,
    activity: () => activity,
    tick: (ms: number) => void (clock += ms),
    open: (port: FakePort) => {
      connect!(port);
      return port;
    },
  };
}

describe('the events port at the peer host', () => {
  it('passes on batches from the consented tab', () => {
    const t = setup();
    t.tabEvents.expect(7);
    const port = t.open(fakePort());
    port.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([BATCH]);
    expect(port.disconnected).toBe(false);
  });

  it.each([
    ['another tab', { tab: 8 }],
    ['a frame inside the tab', { frameId: 3 }],
    ['another extension', { id: 'someone-else' }],
    ['no tab at all (an extension page)', { tab: null }],
  ])('refuses %s', (_what, sender) => {
    const t = setup();
    t.tabEvents.expect(7);
    const port = t.open(fakePort(sender));
    expect(port.disconnected).toBe(true);
    port.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([]);
  });

  it('leaves other ports alone (the background handles the tab port)', () => {
    const t = setup();
    t.tabEvents.expect(7);
    const port = t.open(fakePort({ name: TAB_PORT }));
    expect(port.disconnected).toBe(false);
    port.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([]);
  });

  // The batch's JSON itself is checked by the peer host (decodeEvents) before anything is sent.
  it('drops malformed messages and keeps the port', () => {
    const t = setup();
    t.tabEvents.expect(7);
    const port = t.open(fakePort());
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    port.send({ type: 'events', json: 42 });
    port.send({ type: 'events', json: 'x'.repeat(MAX_MESSAGE_BYTES + 1) });
    port.send({ type: 'stop' });
    port.send('[]');
    warn.mockRestore();
    port.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([BATCH]);
    expect(port.disconnected).toBe(false);
  });

  it('holds a port that came before its tab was known, then checks it', () => {
    const t = setup();
    const early = t.open(fakePort());
    early.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([]);
    t.tabEvents.expect(7);
    expect(t.events).toEqual([BATCH]);
    expect(early.disconnected).toBe(false);

    const other = setup();
    const stranger = other.open(fakePort({ tab: 9 }));
    stranger.send({ type: 'events', json: BATCH });
    other.tabEvents.expect(7);
    expect(stranger.disconnected).toBe(true);
    expect(other.events).toEqual([]);
  });

  it('does not hold an early port for ever', () => {
    const t = setup();
    const early = t.open(fakePort());
    for (let i = 0; i < 65; i++) early.send({ type: 'events', json: BATCH });
    expect(early.disconnected).toBe(true);
    t.tabEvents.expect(7);
    expect(t.events).toEqual([]);
  });

  it('takes the newest port of the tab (after a navigation) and closes the old one', () => {
    const t = setup();
    t.tabEvents.expect(7);
    const first = t.open(fakePort());
    const second = t.open(fakePort());
    expect(first.disconnected).toBe(true);
    first.send({ type: 'events', json: '[{"type":4,"data":{},"timestamp":2}]' });
    second.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([BATCH]);
  });

  it('reports activity at most once per interval', () => {
    const t = setup(1_000);
    t.tabEvents.expect(7);
    const port = t.open(fakePort());
    for (let i = 0; i < 10; i++) {
      port.send({ type: 'events', json: BATCH });
      t.tick(150);
    }
    // 0, 1050 (the 8th batch): two reports over 1.5 s of batches.
    expect(t.activity()).toBe(2);
  });

  it('lets nothing through after close, and stops listening', () => {
    const t = setup();
    t.tabEvents.expect(7);
    const port = t.open(fakePort());
    t.tabEvents.close();
    expect(port.disconnected).toBe(true);
    expect(t.unsubscribe).toHaveBeenCalled();
    port.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([]);
  });

  it('forgets a port that disconnected', () => {
    const t = setup();
    t.tabEvents.expect(7);
    const port = t.open(fakePort());
    port.drop();
    port.send({ type: 'events', json: BATCH });
    expect(t.events).toEqual([]);
  });
});
