/**
 * A ws WebSocket subclass that drops signalling messages addressed to anyone but the sender's session
 * partner, before the PeerServer relays them. Without it any registered peer could send offers to any
 * peer id it learned (invariant 6: only the owning technician connects to the customer).
 */
import { WebSocket } from 'ws';
import { z } from 'zod';

const signal = z.object({ type: z.string(), dst: z.string().optional() });

export function createFilteredSocketClass(partnerOf: (socket: WebSocket) => string | null): typeof WebSocket {
  return class FilteredSocket extends WebSocket {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'message' && !allowed(partnerOf(this), args[0])) return false;
      return super.emit(event, ...args);
    }
  };
}

function allowed(partner: string | null, data: unknown): boolean {
  if (partner === null) return false;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  } catch {
    return false;
  }
  const message = signal.safeParse(json);
  if (!message.success) return false;
  if (message.data.type === 'HEARTBEAT') return true;
  return message.data.dst === partner;
}
