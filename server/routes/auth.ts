/** POST /api/auth/login, GET /api/auth/me, POST /api/auth/logout. */
import { Router } from 'express';
import { loginRequestSchema, type MeResponse } from '../../lib/protocol/api';
import type { AppContext } from '../context';
import { findTechnicianByEmail } from '../db/technicians';
import { clientIp } from '../http/cors';
import { addressKey } from '../auth/address-key';
import { LOGIN_FAILURES_PER_EMAIL, LOGIN_FAILURES_PER_IP, LOGIN_SLOW_DOWN_MS } from '../auth/limiters';
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
    const { loginByEmail, loginByIp, report, sleep } = ctx.limiters;
    const emailKey = email.toLowerCase();
    const address = addressKey(clientIp(req));
    const technician = await findTechnicianByEmail(ctx.db, emailKey);
    const technicianId = technician?.id ?? null;
    // Counted before the password is checked, so that parallel attempts see each other (a check that is
    // still running counts); a success takes its count back.
    if ((await loginByIp.take(address)) > LOGIN_FAILURES_PER_IP) {
      const wait = await loginByIp.retryAfterSeconds(address);
      await loginByIp.release(address);
      await report.hit({ limit: 'login-per-address', address, technicianId });
      throw new HttpError(429, 'rate-limited', 'too many failed sign-ins from your address; try again later', { 'Retry-After': String(wait) });
    }
    // An account under attack is slowed down, never locked: the right password still signs in, after the
    // delay, so wrong passwords sent in someone's name cannot keep them out.
    if ((await loginByEmail.take(emailKey)) > LOGIN_FAILURES_PER_EMAIL) {
      await report.hit({ limit: 'login-account-slowed', address, technicianId });
      await sleep(LOGIN_SLOW_DOWN_MS);
    }
    let ok = false;
    if (technician && technician.disabled_at === null) ok = await verifyPassword(technician.password_hash, password);
    else await verifyPassword(await dummy(), password);
    if (!technician || !ok) throw new HttpError(401, 'bad-credentials', 'e-mail address or password is wrong');
    await loginByIp.release(address);
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
