/**
 * The invariant of issue 17, sampled: the in-page indicator, the toolbar badge, the popup, the viewer and
 * the server say "being viewed" if and only if page data can reach a verified technician; they agree within
 * 2 s of any change. The server says it when the session is active and the customer's last link report
 * says up (sessions.link_state); while the server is down (restart tests) it says nothing and is left out.
 * The probe samples all of them every few hundred ms for as long as a test runs, without attaching to the
 * service worker (that would keep it alive): the badge is read from an extension page, the indicator from
 * the tab's accessibility tree (its shadow root is closed to page scripts, not to the browser; in Firefox
 * from that root read with privileges).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, SerializedAXNode } from 'puppeteer-core';
import type { Customer } from './customer';
import { inPagePrivileged } from './gecko';
import type { ViewerPage } from './viewer-page';
import type { Stack } from './stack';

export const AGREE_WITHIN_MS = 2_000;

export interface Sample {
  at: number;
  indicator: 'viewing' | 'reconnecting' | 'none';
  badge: string;
  popup: string;
  viewer: string;
  /** The session's status in the server's database, '?' while the server is down. */
  server: string;
  /** The customer's last link report as the server keeps it ('up' | 'down' | '' before the first). */
  serverLink: string;
  /** When each source was read (a sample reads them one after the other; `at` is when it was done). */
  readAt: Record<keyof typeof says, number>;
}

/** The words of a message before its first placeholder, in both languages. */
const lead = (key: string): string[] =>
  ['en', 'nl'].map((lang) => {
    const all = JSON.parse(readFileSync(path.resolve(`public/_locales/${lang}/messages.json`), 'utf8')) as Record<string, { message: string }>;
    return all[key]!.message.split('$')[0]!.trim();
  });
const RECONNECTING = lead('indicatorReconnecting');
/** "Reconi is viewing" / "Reconi kijkt mee", and the same while in control. */
const WATCHING = /is viewing|kijkt mee|is controlling|bedient/;

/**
 * Firefox (WebDriver BiDi has no accessibility tree): the indicator's words as the page shows them, read
 * from the closed shadow roots of our `<meekijk-ui>` hosts with privileges (support/gecko.ts); elements
 * that are not rendered are left out, as the accessibility tree leaves them out.
 */
const SHOWN_IN_CLOSED_ROOTS = (content: Window) => {
  const names: string[] = [];
  for (const host of Array.from(content.document.querySelectorAll('meekijk-ui'))) {
    const shadow = (host as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
    for (const el of Array.from(shadow?.querySelectorAll('[role=status]') ?? [])) {
      if ((el as HTMLElement).getClientRects().length > 0) names.push(el.textContent ?? '');
    }
  }
  return names;
};

async function indicatorOf(tab: Page, firefox: boolean): Promise<Sample['indicator']> {
  const names: string[] = [];
  const walk = (node: SerializedAXNode | null | undefined) => {
    if (!node) return;
    if (node.name) names.push(node.name);
    node.children?.forEach(walk);
  };
  if (firefox) names.push(...(await inPagePrivileged<string[]>(tab, SHOWN_IN_CLOSED_ROOTS as never)));
  else walk(await tab.accessibility.snapshot({ interestingOnly: false }));
  if (names.some((n) => RECONNECTING.some((t) => n.includes(t)))) return 'reconnecting';
  return names.some((n) => WATCHING.test(n)) ? 'viewing' : 'none';
}

/** "Being viewed", as each source says it. */
export const says = {
  indicator: (s: Sample) => s.indicator === 'viewing',
  badge: (s: Sample) => s.badge === 'ON' || s.badge === '||',
  popup: (s: Sample) => s.popup === 'live' || s.popup === 'paused',
  viewer: (s: Sample) => s.viewer === 'connected',
  server: (s: Sample) => s.server === 'active' && s.serverLink === 'up',
};

export interface TruthProbe {
  readonly samples: Sample[];
  /** The technician's viewer from now on (a closed viewer says '?': not viewing). */
  setViewer(viewer: ViewerPage): void;
  stop(): Promise<void>;
  /** Disagreements that lasted longer than AGREE_WITHIN_MS, described; empty when the invariant held. */
  violations(): string[];
  /**
   * For a window in which page data cannot reach the technician (a network drop the test made): every
   * sample from AGREE_WITHIN_MS after `from` until `to` in which any side still said "being viewed",
   * described. The viewer's own word is not the truth here: it cannot hear the customer either.
   */
  viewingDuring(from: number, to: number): string[];
}

export function startTruthProbe(stack: Stack, customer: Customer, firstViewer: ViewerPage, sessionId: string, everyMs = 400): TruthProbe {
  let viewer = firstViewer;
  const samples: Sample[] = [];
  let running = true;
  const sample = async (): Promise<Sample | undefined> => {
    try {
      const state = await customer.sessionState().catch(() => undefined);
      const popupAt = Date.now();
      const badge = await customer.badgeText().catch(() => '?');
      const badgeAt = Date.now();
      const indicator = await indicatorOf(customer.tab, customer.extension.engine === 'firefox').catch(() => 'none' as const);
      const indicatorAt = Date.now();
      const link = (await viewer.page.$eval('main.session', (el) => `${el.getAttribute('data-link')}/${el.getAttribute('data-tab')}`).catch(() => '?/?')) ?? '?/?';
      const viewerAt = Date.now();
      const [viewerLink, viewerTab] = link.split('/');
      // The server may be down (restart tests): then it says nothing ('?').
      const row = await stack.server.db.selectFrom('sessions').select(['status', 'link_state']).where('id', '=', sessionId).executeTakeFirst().catch(() => undefined);
      const at = Date.now();
      return {
        at,
        readAt: { popup: popupAt, badge: badgeAt, indicator: indicatorAt, viewer: viewerAt, server: at },
        indicator,
        badge,
        popup: state?.phase ?? '?',
        viewer: viewerTab === 'ended' ? 'ended' : (viewerLink ?? '?'),
        server: row?.status ?? '?',
        serverLink: row?.link_state ?? '',
      };
    } catch (error) {
      console.warn('truth probe: no sample', error);
      return undefined;
    }
  };
  const loop = (async () => {
    while (running) {
      const s = await sample();
      if (s) samples.push(s);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    samples,
    setViewer(next) {
      viewer = next;
    },
    async stop() {
      running = false;
      await loop;
    },
    violations() {
      const out: string[] = [];
      let since: number | undefined;
      for (const s of samples) {
        const truth = says.viewer(s);
        // A server that is down (restart tests) says nothing, so it cannot say anything untrue.
        const sources = (Object.keys(says) as Array<keyof typeof says>).filter((k) => k !== 'server' || s.server !== '?');
        const wrong = sources.filter((k) => says[k](s) !== truth);
        if (wrong.length === 0) since = undefined;
        else {
          since ??= s.at;
          if (s.at - since > AGREE_WITHIN_MS) out.push(`${new Date(s.at).toISOString()} ${wrong.join(',')} disagree: ${JSON.stringify(s)}`);
        }
      }
      return out;
    },
    viewingDuring(from, to) {
      const inWindow = (t: number) => t >= from + AGREE_WITHIN_MS && t <= to;
      return samples
        .map((s) => ({ s, viewing: (Object.keys(says) as Array<keyof typeof says>).filter((k) => inWindow(s.readAt[k]) && says[k](s)) }))
        .filter(({ viewing }) => viewing.length > 0)
        .map(({ s, viewing }) => `${new Date(s.at).toISOString()} ${viewing.join(',')} said being viewed ${s.at - from} ms into the drop: ${JSON.stringify(s)}`);
    },
  };
}
