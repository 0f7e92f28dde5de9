/**
 * Signalling between instances (MEEKIJK_REDIS_URL): the customer's socket may be on one instance and the
 * technician's on another. Every OFFER/ANSWER/CANDIDATE/LEAVE goes into its recipient's inbox in Redis and a
 * nudge is published on the recipient's channel; the instance holding the recipient's socket (subscribed to
 * that channel) takes the inbox and delivers. An inbox waits for a recipient not yet connected, for as long
 * as the PeerServer would queue it locally. Still signalling only: page content never passes (art. 2.1).
 */
import type { RedisLink } from '../redis/connect';

/** A PeerJS signalling message as the PeerServer relays it (`src` set by the server, never by the sender). */
export interface RelayedSignal {
  type: string;
  src: string;
  dst: string;
  payload?: unknown;
}

export interface SignalRelay {
  send(message: RelayedSignal): Promise<void>;
  /** This instance holds `peerId`'s socket now: deliver what waits for it and whatever comes. */
  attach(peerId: string, deliver: (json: string) => void): Promise<void>;
  /** The socket `deliver` wrote to is gone (a newer one for the same id keeps its subscription). */
  detach(peerId: string, deliver: (json: string) => void): Promise<void>;
  /** Closes these peers' sockets on every instance (a session ended, art. 1.2). */
  disconnectEverywhere(peerIds: string[]): Promise<void>;
  close(): Promise<void>;
}

/** How long a message waits for a recipient that is not connected anywhere yet. */
export const INBOX_TTL_MS = 60_000;

export async function redisRelay(redis: RedisLink, onDisconnect: (peerIds: string[]) => void, log: (m: string) => void): Promise<SignalRelay> {
  const { commands, subscriber, prefix } = redis;
  const inbox = (id: string) => `${prefix}inbox:${id}`;
  const channel = (id: string) => `${prefix}peer:${id}`;
  const disconnectChannel = `${prefix}disconnect`;
  const local = new Map<string, (json: string) => void>();

  const drain = async (peerId: string) => {
    const deliver = local.get(peerId);
    if (!deliver) return;
    const result = await commands.multi().lrange(inbox(peerId), 0, -1).del(inbox(peerId)).exec();
    const waiting = result?.[0]?.[1];
    if (!Array.isArray(waiting)) return;
    for (const json of waiting) if (typeof json === 'string') deliver(json);
  };
  const drainLogged = (peerId: string) => {
    drain(peerId).catch((error: unknown) => log(`signalling relay: ${error instanceof Error ? error.message : String(error)}`));
  };

  subscriber.on('message', (from: string, text: string) => {
    if (from === disconnectChannel) {
      const ids: unknown = JSON.parse(text);
      if (Array.isArray(ids)) onDisconnect(ids.filter((id): id is string => typeof id === 'string'));
      return;
    }
    if (from.startsWith(`${prefix}peer:`)) drainLogged(from.slice(`${prefix}peer:`.length));
  });
  await subscriber.subscribe(disconnectChannel);

  return {
    async send(message) {
      const dst = message.dst;
      await commands
        .multi()
        .rpush(inbox(dst), JSON.stringify(message))
        .pexpire(inbox(dst), INBOX_TTL_MS)
        .publish(channel(dst), '1')
        .exec();
    },
    async attach(peerId, deliver) {
      local.set(peerId, deliver);
      await subscriber.subscribe(channel(peerId));
      await drain(peerId);
    },
    async detach(peerId, deliver) {
      if (local.get(peerId) !== deliver) return;
      local.delete(peerId);
      await subscriber.unsubscribe(channel(peerId));
    },
    async disconnectEverywhere(peerIds) {
      await commands.publish(disconnectChannel, JSON.stringify(peerIds));
    },
    async close() {
      local.clear();
      await subscriber.unsubscribe();
    },
  };
}
