/**
 * A ws WebSocket subclass that drops signalling messages addressed to anyone but the sender's session
 * partner, before the PeerServer relays them. Without it any registered peer could send offers to any
 * peer id it learned (invariant 6: only the owning technician connects to the customer).
 * With several instances (peer/relay.ts) it also hands every allowed message to the relay instead of the
 * local PeerServer, whose realm only knows this instance's sockets.
 */
import { WebSocket } from 'ws';
import { z } from 'zod';

const signal = z.object({ type: z.string(), dst: z.string().optional(), payload: z.unknown().optional() });
export type Signal = z.infer<typeof signal>;

export interface SocketRouting {
  partnerOf(socket: WebSocket): string | null;
  /** Takes an allowed message to the partner (not HEARTBEAT, which stays local); absent: the PeerServer relays. */
  relay?: (socket: WebSocket, message: Signal & { dst: string }) => void;
}

export function createFilteredSocketClass(routing: SocketRouting): typeof WebSocket {
  return class FilteredSocket extends WebSocket {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'message') return super.emit(event, ...args);
      const message = allowed(routing.partnerOf(this), args[0]);
      if (message === null) return false;
      if (routing.relay && message.type !== 'HEARTBEAT' && message.dst !== undefined) {
        routing.relay(this, { ...message, dst: message.dst });
        return false;
      }
      return super.emit(event, ...args);
    }
  };
}

function allowed(partner: string | null, data: unknown): Signal | null {
  if (partner === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  } catch {
    return null;
  }
  const message = signal.safeParse(json);
  if (!message.success) return null;
  if (message.data.type === 'HEARTBEAT') return message.data;
  return message.data.dst === partner ? message.data : null;
}
