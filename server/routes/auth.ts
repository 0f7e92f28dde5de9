/** POST /api/auth/login, GET /api/auth/me, POST /api/auth/logout. */
import { Router } from 'express';
import { loginRequestSchema, type MeResponse } from '../../lib/protocol/api';
import type { AppContext } from '../context';
import { findTechnicianByEmail } from '../db/technicians';
import { clientIp } from '../http/cors';
import { HttpError } from '../http/errors';
import { parseBody } from '../http/validate';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { currentSignIn, endSignIn, requireSignIn, requireSignInWithCsrf, startSignIn, type SignedIn } from '../auth/signin';

function me(signedIn: SignedIn): MeResponse {
  const { id, name, email, organisation } = signedIn.technician;
  return { technician: { id, name, email, organisation }, csrfToken: signedIn.csrfToken };
}

export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  // Unknown e-mail addresses still cost one hash verification, so timing does not reveal accounts.
  let dummyHash: Promise<string> | null = null;
  const dummy = () => (dummyHash ??= hashPassword('not a real password', ctx.config.passwordHash));

  router.post('/login', async (req, res) => {
    const { email, password } = parseBody(loginRequestSchema, req.body);
    const { loginByEmail, loginByIp } = ctx.limiters;
    const emailKey = email.toLowerCase();
    const ip = clientIp(req);
    const wait = Math.max(await loginByEmail.retryAfterSeconds(emailKey), await loginByIp.retryAfterSeconds(ip));
    if (wait > 0) {
      throw new HttpError(429, 'rate-limited', 'too many failed sign-ins; try again later', { 'Retry-After': String(wait) });
    }
    const technician = await findTechnicianByEmail(ctx.db, emailKey);
    let ok = false;
    if (technician) ok = await verifyPassword(technician.password_hash, password);
    else await verifyPassword(await dummy(), password);
    if (!technician || !ok) {
      await loginByEmail.record(emailKey);
      await loginByIp.record(ip);
      throw new HttpError(401, 'bad-credentials', 'e-mail address or password is wrong');
    }
    await loginByEmail.reset(emailKey);
    res.json(me(await startSignIn(ctx, res, technician.id)));
  });

  router.get('/me', async (req, res) => {
    res.json(me(await requireSignIn(ctx, req)));
  });

  router.post('/logout', async (req, res) => {
    if (await currentSignIn(ctx, req)) await requireSignInWithCsrf(ctx, req);
    await endSignIn(ctx, req, res);
    res.status(204).end();
  });
  return router;
}
