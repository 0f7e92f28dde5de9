/**
 * The join page's side of a helpdesk link (issue 4): the server's page carries the link secret in
 * <meta name="meekijk-join">; the extension's content script reads it, and after the background has
 * verified the invite, tells the customer on that page what to do next (in their language).
 */
import browser from 'webextension-polyfill';
import { JOIN_SECRET, offerJoinLinkResponseSchema, type OfferJoinLink } from '@/lib/protocol/join';

/** The offer the content script sends the background (lib/protocol/join.ts). */
export const joinOffer = (link: string): OfferJoinLink => ({ type: 'offer-join-link', link });

export function readJoinSecret(doc: Document): string | null {
  const value = doc.querySelector<HTMLMetaElement>('meta[name="meekijk-join"]')?.content ?? '';
  return JOIN_SECRET.test(value) ? value : null;
}

/**
 * A notice at the top of the join page, plain text only: the invite arrived, and exactly what to click
 * (the pinned icon, or the puzzle piece and then Meekijk) or which keys to press (issue 23). The page's
 * own "install the extension" part is hidden: the extension is here.
 */
export function showJoinResult(doc: Document, raw: unknown) {
  const t = (key: string, subs?: string[]) => browser.i18n.getMessage(key, subs);
  const parsed = offerJoinLinkResponseSchema.safeParse(raw);
  const ok = parsed.success && parsed.data.ok;
  const box = doc.createElement('div');
  box.setAttribute('role', 'status');
  box.lang = t('uiLocale');
  box.dataset.meekijkJoin = ok ? 'ready' : 'error';
  box.style.cssText =
    'margin:0 0 16px;padding:12px 14px;border-radius:10px;font:600 16px/1.4 system-ui,sans-serif;' +
    (ok ? 'background:#ecfdf3;border:1px solid #067647;color:#054f31' : 'background:#fef3f2;border:1px solid #b42318;color:#b42318');
  const line = (text: string, name?: string) => {
    const p = doc.createElement('p');
    p.style.margin = '0 0 6px';
    p.textContent = text;
    if (name) p.dataset.meekijkJoinStep = name;
    box.append(p);
  };
  if (!parsed.success) line(t('joinFailed', [t('errorUnexpected', ['no answer'])]));
  else if (!parsed.data.ok) line(t('joinFailed', [parsed.data.error]));
  else {
    const { technician, toolbar } = parsed.data;
    line(t('joinReady', [technician.name, technician.organisation]));
    const pinned = toolbar?.pinned ?? null;
    line(t(pinned === true ? 'joinClickPinned' : pinned === false ? 'joinClickMenu' : 'joinClickEither'), pinned === true ? 'pinned' : pinned === false ? 'menu' : 'either');
    if (toolbar?.shortcut) line(t('joinShortcut', [toolbar.shortcut]), 'shortcut');
    line(t('joinAfter'));
    for (const part of doc.querySelectorAll<HTMLElement>('[data-meekijk-install]')) part.hidden = true;
  }
  (doc.querySelector('main') ?? doc.body).prepend(box);
}
