/** What the owning technician's viewer sees of a session (art. 1.3: only ever sent to that technician). */
import type { SessionView, ViewerSessionResponse } from '../../lib/protocol/api';
import { PEER_PATH, type AppContext } from '../context';
import type { SessionRow } from '../db/sessions';
import { iceServersFor } from '../ice';
import { deriveCode, deriveSecret } from './secrets';

export function inviteRedeemable(row: SessionRow, now: number): boolean {
  return row.status === 'waiting' && row.invite_spent_at === null && row.invite_expires_at > now;
}

export function joinUrl(ctx: AppContext, linkSecret: string): string {
  return `${ctx.publicUrl}/join/${linkSecret}`;
}

export function toSessionView(ctx: AppContext, row: SessionRow): SessionView {
  const open = inviteRedeemable(row, ctx.now());
  const secret = ctx.keys.secret;
  return {
    id: row.id,
    ticket: row.ticket,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
    endReason: row.end_reason,
    link: row.status === 'active' ? row.link_state : null,
    invite: {
      code: open ? deriveCode(secret, row.id, row.invite_nonce) : null,
      joinUrl: open ? joinUrl(ctx, deriveSecret(secret, 'link', row.id, row.invite_nonce)) : null,
      expiresAt: new Date(row.invite_expires_at).toISOString(),
      spent: row.invite_spent_at !== null,
    },
  };
}

export function toViewerResponse(ctx: AppContext, row: SessionRow): ViewerSessionResponse {
  return {
    session: toSessionView(ctx, row),
    viewer: { peerId: row.viewer_peer_id, token: deriveSecret(ctx.keys.secret, 'viewer-token', row.id, row.invite_nonce) },
    customerPeerId: row.customer_peer_id,
    peer: { path: PEER_PATH, key: ctx.keys.peerKey },
    iceServers: iceServersFor(ctx.config, row, ctx.now()),
    reconnectGraceSeconds: ctx.config.reconnectGraceSeconds,
    iceTransportPolicy: ctx.config.iceTransportPolicy,
  };
}
