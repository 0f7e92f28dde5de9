/** The customer's side: redeem a code or link for a signed invite, and join with consent. */
import { Router } from 'express';
import { joinRequestSchema, redeemRequestSchema } from '../../lib/protocol/api';
import type { AppContext } from '../context';
import { clientIp } from '../http/cors';
import { parseBody } from '../http/validate';
import { joinSession } from '../sessions/join';
import { redeemInvite } from '../sessions/redeem';

export function inviteRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/invites/redeem', async (req, res) => {
    const request = parseBody(redeemRequestSchema, req.body);
    res.json({ invite: await redeemInvite(ctx, request, clientIp(req)) });
  });
  router.post('/sessions/:id/join', async (req, res) => {
    const request = parseBody(joinRequestSchema, req.body);
    res.json(await joinSession(ctx, req.params.id, request));
  });
  return router;
}
