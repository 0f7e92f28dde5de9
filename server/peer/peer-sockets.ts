/**
 * Every signalling socket per peer id, not only the one the PeerServer last registered: when a session ends
 * all of them are closed (art. 1.2), and a second socket for an id whose first still answers is refused,
 * so whoever holds a copy of the token cannot silently take the session's signalling over.
 */
import { WebSocket } from 'ws';

export class PeerSockets {
  private readonly byId = new Map<string, Set<WebSocket>>();

  add(id: string, socket: WebSocket): void {
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(socket);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && this.byId.get(id) === set) this.byId.delete(id);
    });
  }

  count(id: string): number {
    return this.byId.get(id)?.size ?? 0;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** True when any open socket of `id` answers a WebSocket ping within `timeoutMs` (browsers answer by themselves). */
  async anyAlive(id: string, timeoutMs: number): Promise<boolean> {
    const open = [...(this.byId.get(id) ?? [])].filter((socket) => socket.readyState === WebSocket.OPEN);
    if (open.length === 0) return false;
    const answers = open.map(
      (socket) =>
        new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => done(false), timeoutMs);
          const onPong = () => done(true);
          const onClose = () => done(false);
          function done(alive: boolean): void {
            clearTimeout(timer);
            socket.off('pong', onPong);
            socket.off('close', onClose);
            resolve(alive);
          }
          socket.once('pong', onPong);
          socket.once('close', onClose);
          try {
            socket.ping();
          } catch {
            done(false);
          }
        }),
    );
    return (await Promise.all(answers)).some(Boolean);
  }

  /** Forgets every socket of `id` and returns them, to be closed with `closeSocket`. */
  take(id: string): WebSocket[] {
    const set = this.byId.get(id);
    this.byId.delete(id);
    return set ? [...set] : [];
  }

  terminateAll(): void {
    for (const set of this.byId.values()) for (const socket of set) socket.terminate();
    this.byId.clear();
  }
}

/** Drops a socket that no longer answers at once; resolves once the PeerServer has seen it close. */
export function dropSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.terminate();
  return closed;
}

/** Closes a socket, and terminates it after 2 s if the other end does not finish the close. */
export function closeSocket(socket: WebSocket, code: number, reason: string): void {
  socket.close(code, reason);
  setTimeout(() => socket.terminate(), 2000).unref();
}
