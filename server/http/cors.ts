/**
 * CORS for the customer's extension only (chrome-extension:// and moz-extension:// origins), without
 * credentials: the extension authenticates with invites and bearer tokens, never with the technician cookie.
 */
import type { RequestHandler } from 'express';

const extensionOrigin = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]{1,64}$/;

export function extensionCors(): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('Origin');
    if (origin !== undefined && extensionOrigin.test(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

export function clientIp(req: { ip?: string | undefined; socket: { remoteAddress?: string | undefined } }): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
