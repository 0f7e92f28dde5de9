/**
 * What the extension must tell the server, kept until the server has it (issue 17): a session's end
 * report, its audit events (control requests, clicks, ...) and its link reports (the server says "being
 * viewed" only while the last one says up). Each is written to storage before the
 * first try, so neither a server that is restarting nor a service worker that stops loses it; they go
 * out in order (the server refuses events after an end), one at a time, and a failed try is repeated
 * with backoff until the server answers. The background sends what is left whenever it starts.
 */
import { z } from 'zod';

export const outboxItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('end'), base: z.string(), sessionId: z.string(), token: z.string(), reason: z.string() }),
  z.object({ kind: z.literal('event'), base: z.string(), sessionId: z.string(), token: z.string(), event: z.string(), detail: z.string() }),
  /** Page data can reach the verified technician (`up`) or not (`down`, reconnecting); `seq` orders them. */
  z.object({ kind: z.literal('link'), base: z.string(), sessionId: z.string(), token: z.string(), state: z.enum(['up', 'down']), seq: z.number().int().min(1) }),
]);
export type OutboxItem = z.infer<typeof outboxItemSchema>;

/** `sent`: the server has it (or refused it for good: retrying would not change that); `retry`: try again. */
export type Delivery = 'sent' | 'retry';

export interface OutboxDeps {
  load(): Promise<unknown>;
  save(items: OutboxItem[]): Promise<void>;
  deliver(item: OutboxItem): Promise<Delivery>;
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

export const RETRY_FIRST_MS = 500;
export const RETRY_MAX_MS = 15_000;

export interface Outbox {
  add(item: OutboxItem): Promise<void>;
  /** Sends what is waiting (also what a previous background left in storage). Resolves when empty or paused. */
  flush(): Promise<void>;
  /** What is waiting, in order. */
  pending(): Promise<OutboxItem[]>;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const later = deps.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  let items: OutboxItem[] | undefined;
  let sending: Promise<void> | undefined;
  let delay = RETRY_FIRST_MS;
  let retryPending = false;
  /** One change at a time, so an add during a send is not overwritten by the send's save. */
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const loaded = async (): Promise<OutboxItem[]> => {
    if (items) return items;
    const parsed = z.array(outboxItemSchema).safeParse((await deps.load()) ?? []);
    items = parsed.success ? parsed.data : [];
    return items;
  };

  const run = async () => {
    for (;;) {
      const first = (await loaded())[0];
      if (!first) return;
      const delivery = await deps.deliver(first).catch((): Delivery => 'retry');
      if (delivery === 'retry') {
        if (!retryPending) {
          retryPending = true;
          later(() => {
            retryPending = false;
            void flush();
          }, delay);
          delay = Math.min(delay * 2, RETRY_MAX_MS);
        }
        return;
      }
      delay = RETRY_FIRST_MS;
      await serial(async () => {
        const list = await loaded();
        if (list[0] === first) list.shift();
        await deps.save(list);
      });
    }
  };
  /** An add while a send is finishing: go round once more, or the new item would wait for the next start. */
  let again = false;
  const flush = (): Promise<void> => {
    if (sending) {
      again = true;
      return sending;
    }
    again = false;
    sending = run().finally(() => {
      sending = undefined;
      if (again && !retryPending) void flush();
    });
    return sending;
  };

  return {
    async add(item) {
      await serial(async () => {
        const list = await loaded();
        list.push(item);
        await deps.save(list);
      });
      void flush();
    },
    flush,
    async pending() {
      return [...(await loaded())];
    },
  };
}
