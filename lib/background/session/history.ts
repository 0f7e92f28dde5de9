/**
 * The customer's own record of past sessions on this device (issue 3): who watched, when, how long,
 * whether control was granted, how it ended, and which terms were agreed to. Kept in the extension's
 * local storage, never sent anywhere; the customer can clear it.
 */
import { z } from 'zod';
import { historyEntrySchema, type HistoryEntry } from '@/lib/protocol/runtime';
import type { ControlEvent } from '@/lib/protocol/control';

export const HISTORY_LIMIT = 20;
/** Session ids that ended here, so the same session can never be resumed (art. 1.2). */
export const ENDED_LIMIT = 200;
/** Control events kept per session; a hostile technician cannot fill the customer's storage. */
export const CONTROL_EVENT_LIMIT = 500;

export type { HistoryEntry };

export interface KeyValueStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const HISTORY_KEY = 'history';
const ENDED_KEY = 'endedSessions';

export function createHistory(store: KeyValueStore) {
  // Serialise writes: two quick updates must not lose one another.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const read = async (): Promise<HistoryEntry[]> => {
    const raw = (await store.get(HISTORY_KEY))[HISTORY_KEY];
    const parsed = z.array(historyEntrySchema).safeParse(raw);
    return parsed.success ? parsed.data : [];
  };

  return {
    list: read,

    /** Adds (or replaces) the entry for a session; newest first, at most HISTORY_LIMIT kept. */
    put: (entry: HistoryEntry) =>
      serial(async () => {
        const rest = (await read()).filter((e) => e.sessionId !== entry.sessionId);
        await store.set({ [HISTORY_KEY]: [entry, ...rest].slice(0, HISTORY_LIMIT) });
      }),

    update: (sessionId: string, patch: Partial<HistoryEntry>) =>
      serial(async () => {
        const all = await read();
        const index = all.findIndex((e) => e.sessionId === sessionId);
        const current = all[index];
        if (!current) return;
        all[index] = { ...current, ...patch };
        await store.set({ [HISTORY_KEY]: all });
      }),

    /** Adds one control event (issue 6) to a session; `controlGranted` turns true with the first grant. */
    addControlEvent: (sessionId: string, event: ControlEvent) =>
      serial(async () => {
        const all = await read();
        const current = all.find((e) => e.sessionId === sessionId);
        if (!current) return;
        const events = current.control ?? [];
        if (events.length >= CONTROL_EVENT_LIMIT) return;
        current.control = [...events, event];
        if (event.kind === 'granted') current.controlGranted = true;
        await store.set({ [HISTORY_KEY]: all });
      }),

    clear: () => serial(() => store.remove(HISTORY_KEY)),

    /** Marks a session as over for good on this device (clearing the history does not forget this). */
    markEnded: (sessionId: string) =>
      serial(async () => {
        const ended = await endedIds();
        if (!ended.includes(sessionId)) await store.set({ [ENDED_KEY]: [sessionId, ...ended].slice(0, ENDED_LIMIT) });
      }),

    hasEnded: async (sessionId: string) => (await endedIds()).includes(sessionId),
  };

  async function endedIds(): Promise<string[]> {
    const raw = (await store.get(ENDED_KEY))[ENDED_KEY];
    const parsed = z.array(z.string()).safeParse(raw);
    return parsed.success ? parsed.data : [];
  }
}
export type History = ReturnType<typeof createHistory>;
