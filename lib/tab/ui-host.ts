/**
 * The one shell every piece of our UI in the shared tab lives in (indicator, control prompt, overlay,
 * privacy outline and panel): a `<meekijk-ui>` host with a closed shadow root, so page scripts can neither
 * read, restyle nor click what is inside (invariant 4), and the recorder blocks the host, so none of it is
 * ever sent (art. 1.1: the customer sees we watch; the technician does not see our UI).
 *
 * Pages that rebuild `<body>`, or empty it, would drop the host: an observer puts it back while it is
 * shown. It watches the whole tree, since both a new `<body>` (a child of `<html>`) and an emptied body
 * (a child of `<body>`) take the host out.
 *
 * Its words are in the extension's language, whatever the page's: the host carries that `lang`, so a
 * screen reader on a Dutch page reads our English text as English (WCAG 3.1.2).
 */
import browser from 'webextension-polyfill';
import { UI_TAG } from '@/lib/shared/mask';

export interface UiHost {
  readonly host: HTMLElement;
  /** Closed: only this module's caller holds it. */
  readonly root: ShadowRoot;
  /** Takes the host out of the page for good and stops putting it back. */
  remove(): void;
}

/** Mounts a host with `style` and `children` in its closed root; it stays in the page until `remove()`. */
export function mountUiHost(doc: Document, style: string, ...children: Node[]): UiHost {
  const host = doc.createElement(UI_TAG);
  const lang = browser.i18n.getMessage('uiLocale');
  if (lang === 'nl' || lang === 'en') host.lang = lang;
  const root = host.attachShadow({ mode: 'closed' });
  const sheet = doc.createElement('style');
  // The page's styles stop at the host: nothing inherited leaks in.
  sheet.textContent = `:host { all: initial; }\n${style}`;
  root.append(sheet, ...children);
  const attach = () => (doc.body ?? doc.documentElement).append(host);
  attach();
  const keeper = new MutationObserver(() => {
    if (!host.isConnected) attach();
  });
  keeper.observe(doc.documentElement, { childList: true, subtree: true });
  return {
    host,
    root,
    remove() {
      keeper.disconnect();
      host.remove();
    },
  };
}
