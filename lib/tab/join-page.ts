/**
 * The join page's side of a helpdesk link (issue 4): the server's page carries the link secret in
 * <meta name="meekijk-join">; the extension's content script reads it, and after the background has
 * verified the invite, tells the customer on that page what to do next (in their language).
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';

export const JOIN_SECRET = /^[A-Za-z0-9_-]{16,200}$/;

export const offerJoinLinkSchema = z.object({ type: z.literal('offer-join-link'), link: z.string().regex(JOIN_SECRET) });
export type OfferJoinLink = z.infer<typeof offerJoinLinkSchema>;

export const offerJoinLinkResponseSchema = z.union([
  z.object({ ok: z.literal(true), technician: z.object({ name: z.string(), organisation: z.string() }) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export function readJoinSecret(doc: Document): string | null {
  const value = doc.querySelector<HTMLMetaElement>('meta[name="meekijk-join"]')?.content ?? '';
  return JOIN_SECRET.test(value) ? value : null;
}

/** A notice at the top of the join page; plain text only. */
export function showJoinResult(doc: Document, raw: unknown) {
  const parsed = offerJoinLinkResponseSchema.safeParse(raw);
  const box = doc.createElement('p');
  box.setAttribute('role', 'status');
  box.dataset.meekijkJoin = parsed.success && parsed.data.ok ? 'ready' : 'error';
  box.style.cssText =
    'margin:0 0 16px;padding:12px 14px;border-radius:10px;font:600 16px/1.4 system-ui,sans-serif;' +
    (parsed.success && parsed.data.ok ? 'background:#ecfdf3;border:1px solid #abefc6;color:#067647' : 'background:#fef3f2;border:1px solid #fecdca;color:#b42318');
  if (!parsed.success) box.textContent = browser.i18n.getMessage('joinFailed', [browser.i18n.getMessage('errorUnexpected', ['no answer'])]);
  else if (parsed.data.ok) box.textContent = browser.i18n.getMessage('joinReady', [parsed.data.technician.name, parsed.data.technician.organisation]);
  else box.textContent = browser.i18n.getMessage('joinFailed', [parsed.data.error]);
  (doc.querySelector('main') ?? doc.body).prepend(box);
}
