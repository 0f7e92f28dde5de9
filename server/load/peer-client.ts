/** A bare PeerJS-protocol signalling client (ws), enough to register and exchange OFFER/ANSWER/CANDIDATE. */
import WebSocket from 'ws';
import { z } from 'zod';

const serverMessage = z.object({ type: z.string(), src: z.string().optional(), payload: z.unknown().optional() });
export type ServerMessage = z.infer<typeof serverMessage>;

export interface PeerClient {
  send(type: 'OFFER' | 'ANSWER' | 'CANDIDATE', dst: string, payload: unknown): void;
  /** Resolves with the next message of this type. */
  next(type: string, timeoutMs: number): Promise<ServerMessage>;
  closed: Promise<void>;
  close(): void;
}

export function connectPeer(baseUrl: string, key: string, id: string, token: string, timeoutMs: number): Promise<PeerClient> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/peerjs/peerjs?key=${encodeURIComponent(key)}&id=${encodeURIComponent(id)}&token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(url);
  const waiting = new Map<string, Array<(m: ServerMessage) => void>>();
  const backlog: ServerMessage[] = [];
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.on('message', (data) => {
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return;
    }
    const parsed = serverMessage.safeParse(json);
    if (!parsed.success) return;
    const waiter = waiting.get(parsed.data.type)?.shift();
    if (waiter) waiter(parsed.data);
    else backlog.push(parsed.data);
  });
  const client: PeerClient = {
    send: (type, dst, payload) => ws.send(JSON.stringify({ type, dst, payload })),
    next: (type, ms) =>
      new Promise((resolve, reject) => {
        const index = backlog.findIndex((m) => m.type === type);
        if (index >= 0) return resolve(backlog.splice(index, 1)[0] ?? { type });
        const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
        const list = waiting.get(type) ?? [];
        list.push((m) => (clearTimeout(timer), resolve(m)));
        waiting.set(type, list);
      }),
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no OPEN')), timeoutMs);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode ?? 0}`)));
    ws.once('error', (error) => reject(error));
    client.next('OPEN', timeoutMs).then(
      () => (clearTimeout(timer), resolve(client)),
      (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
    );
  });
}
