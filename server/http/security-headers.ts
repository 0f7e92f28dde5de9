/**
 * Security headers for every response, the PeerServer's included (mounted after this); the viewer's CSP is
 * the only one that allows scripts (its own). Behind https (the public URL says so), HSTS: a year, so a
 * technician's browser never again asks the viewer over plain http, where the sign-in cookie could be seen.
 */
import type { RequestHandler } from 'express';

export const HSTS = 'max-age=31536000';

export function securityHeaders(options: { https: boolean }): RequestHandler {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    // Overridden by the viewer and the server's pages; JSON and the PeerServer's answers need nothing.
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  };
  if (options.https) headers['Strict-Transport-Security'] = HSTS;
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}

/**
 * CSP for the viewer app. Scripts: only our own bundle. The replay runs in a sandboxed iframe without
 * script execution (invariant 8); that iframe inherits this policy. Issue 20: the replay loads nothing from
 * any origin but the viewer's own: images, fonts, media and styles only from 'self', data: and blob: (the
 * assets the customer's side sent, viewer/lib/assets/), never https: or http:. What 'self' still allows is
 * GETs to this server, and no GET here changes state (tests/server/replay-requests.test.ts); the events are
 * rewritten before the replay sees them, so no URL of the recorded page reaches it anyway (docs/replay-assets.md).
 */
export function viewerCsp(publicUrl: string): string {
  const origin = new URL(publicUrl);
  const ws = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline' blob:",
    "img-src 'self' data: blob:",
    "font-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    `connect-src 'self' ${ws}`,
    "frame-src 'self' blob: about:",
    "child-src 'self' blob: about:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
