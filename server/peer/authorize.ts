/**
 * Who may register a peer id on the signalling server: only the viewer and the customer of a live session,
 * each with its own token (stored as a keyed hash, compared in constant time). Invariant 6 / art. 1.3.
 */
import type { Db } from '../db/open';
import { findByPeerId } from '../db/sessions';
import { hexEqual, keyedHash } from '../sessions/secrets';

export interface PeerGrant {
  /** The peer id this grant registers. */
  peerId: string;
  sessionId: string;
  technicianId: string;
  role: 'viewer' | 'customer';
  /** The only peer id this peer may send signalling messages to. */
  partnerId: string;
}

export async function authorizePeer(db: Db, secret: Buffer, now: number, id: string, token: string): Promise<PeerGrant | null> {
  const row = await findByPeerId(db, id);
  if (!row || row.status === 'ended') return null;
  // Art. 1.2: a waiting session whose invite lapsed is dead even before the sweeper marks it ended.
  if (row.status === 'waiting' && row.invite_expires_at <= now) return null;
  if (id === row.viewer_peer_id) {
    if (!hexEqual(keyedHash(secret, 'viewer-token', token), row.viewer_peer_token_hash)) return null;
    return { peerId: id, sessionId: row.id, technicianId: row.technician_id, role: 'viewer', partnerId: row.customer_peer_id };
  }
  // The customer's token exists only after consent (join), so before it nobody registers as the customer.
  if (row.status !== 'active' || row.customer_peer_token_hash === null) return null;
  if (!hexEqual(keyedHash(secret, 'customer-token', token), row.customer_peer_token_hash)) return null;
  return { peerId: id, sessionId: row.id, technicianId: row.technician_id, role: 'customer', partnerId: row.viewer_peer_id };
}
