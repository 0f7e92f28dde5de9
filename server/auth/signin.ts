/**
 * Technician sign-in sessions: a random cookie id (stored as sha-256) with a CSRF token bound to it.
 * Art. 1.3: every technician request is tied to one account, so a session is watched only by its owner.
 */
import type { Request, Response } from 'express';
import { CSRF_HEADER } from '../../lib/protocol/api';
import type { AppContext } from '../context';
import {
  deleteAuthSession,
  findAuthSession,
  insertAuthSession,
  touchAuthSession,
} from '../db/auth-sessions';
import { findTechnicianById, type TechnicianRow } from '../db/technicians';
import { readCookie, serializeCookie } from '../http/cookies';
import { HttpError } from '../http/errors';
import { randomId, sha256Hex } from '../sessions/secrets';
import { timingSafeEqual } from 'node:crypto';

export interface SignedIn {
  technician: TechnicianRow;
  csrfToken: string;
  idHash: string;
}

/** `__Host-` binds the cookie to this exact origin when it is Secure. */
export function cookieName(ctx: AppContext): string {
  return ctx.secureCookies ? '__Host-meekijk_auth' : 'meekijk_auth';
}

export async function startSignIn(ctx: AppContext, res: Response, technicianId: string): Promise<SignedIn> {
  const id = randomId(32);
  const csrfToken = randomId(32);
  const now = ctx.now();
  const row = { id_hash: sha256Hex(id), technician_id: technicianId, csrf_token: csrfToken, created_at: now, last_seen_at: now };
  await insertAuthSession(ctx.db, row);
  res.append('Set-Cookie', serializeCookie(cookieName(ctx), id, { secure: ctx.secureCookies, maxAge: ctx.config.signIn.maxMinutes * 60 }));
  const technician = await findTechnicianById(ctx.db, technicianId);
  if (!technician) throw new HttpError(500, 'internal', 'technician vanished');
  return { technician, csrfToken, idHash: row.id_hash };
}

export async function endSignIn(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const signedIn = await currentSignIn(ctx, req);
  if (signedIn) await deleteAuthSession(ctx.db, signedIn.idHash);
  res.append('Set-Cookie', serializeCookie(cookieName(ctx), '', { secure: ctx.secureCookies, maxAge: 0 }));
}

/** The signed-in technician, or null; expired sign-ins (idle or too old) are deleted on sight. */
export async function currentSignIn(ctx: AppContext, req: Request): Promise<SignedIn | null> {
  const id = readCookie(req.headers.cookie, cookieName(ctx));
  if (id === null || id.length === 0) return null;
  const idHash = sha256Hex(id);
  const row = await findAuthSession(ctx.db, idHash);
  if (!row) return null;
  const now = ctx.now();
  const { idleMinutes, maxMinutes } = ctx.config.signIn;
  if (now - row.last_seen_at > idleMinutes * 60_000 || now - row.created_at > maxMinutes * 60_000) {
    await deleteAuthSession(ctx.db, idHash);
    return null;
  }
  const technician = await findTechnicianById(ctx.db, row.technician_id);
  // A disabled technician's sign-ins are deleted when disabled; this also covers one made meanwhile.
  if (!technician || technician.disabled_at !== null) return null;
  if (now - row.last_seen_at > 60_000) await touchAuthSession(ctx.db, idHash, now);
  return { technician, csrfToken: row.csrf_token, idHash };
}

export async function requireSignIn(ctx: AppContext, req: Request): Promise<SignedIn> {
  const signedIn = await currentSignIn(ctx, req);
  if (!signedIn) throw new HttpError(401, 'not-signed-in', 'sign in first');
  return signedIn;
}

/** Signed in and, because the request changes state, carrying the CSRF token in a custom header. */
export async function requireSignInWithCsrf(ctx: AppContext, req: Request): Promise<SignedIn> {
  const signedIn = await requireSignIn(ctx, req);
  const sent = req.get(CSRF_HEADER) ?? '';
  const expected = Buffer.from(signedIn.csrfToken);
  const actual = Buffer.from(sent);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new HttpError(403, 'csrf', `missing or wrong ${CSRF_HEADER} header`);
  }
  return signedIn;
}
