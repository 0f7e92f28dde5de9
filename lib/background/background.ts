/**
 * Wires the session controller to the browser: popup requests, content-script ports, tab events, the
 * peer host, the customer's history and the toolbar icon. Everything is registered synchronously, as
 * MV3 requires.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { popupRequestSchema, TAB_PORT, type SessionState } from '@/lib/protocol/runtime';
import { createController } from './session/controller';
import { endInterruptedSession, type ActiveRecord } from './session/session-end';
import { createHistory } from './session/history';
import { parseLimits } from './session/limits';
import { createInlinePeerHost, createOffscreenPeerHost } from './session/peer-host-client';
import { deliver, joinSession, redeemCode, redeemLink } from './session/server-client';
import { createOutbox } from './session/outbox';
import { offerJoinLinkSchema } from '@/lib/protocol/join';
import { toolbarFacts } from './ui/toolbar';
import { badgeFor } from './ui/badge';
import { managedInviteKey, serverUrl } from '@/lib/shared/settings';
import { parseControlLimits } from '@/lib/background/control/limits';
import { inviteVerifier } from './session/verify-invite';
import { startKeepAlive } from './session/keep-alive';
import { dropSiteAccess } from '@/lib/shared/site-access/site-access';

declare const chrome: Parameters<typeof createOffscreenPeerHost>[0] | undefined;

const ACTIVE_KEY = 'activeSession';
const OUTBOX_KEY = 'outbox';

export function createBackground() {
  // The Firefox build leaves the offscreen code out altogether (import.meta.env.FIREFOX is a build-time
  // constant): Firefox has no offscreen API, and AMO's linter flags any use of it.
  const hasOffscreen = !import.meta.env.FIREFOX && typeof chrome !== 'undefined' && chrome !== undefined && 'offscreen' in chrome;
  const store = browser.storage.local;
  const history = createHistory({
    get: (key) => store.get(key),
    set: (items) => store.set(items),
    remove: (key) => store.remove(key),
  });
  // storage.session outlives the service worker but not the browser: a record found there says that only
  // the worker stopped (issue 17: the true reason), one found only in storage.local that the browser closed.
  const workerStore = browser.storage.session as typeof store | undefined;
  const persistActive = async (record: ActiveRecord | null) => {
    for (const area of [store, workerStore]) {
      if (record) await area?.set({ [ACTIVE_KEY]: record });
      else await area?.remove(ACTIVE_KEY);
    }
  };
  // End reports and audit events are kept until the server has them (./session/outbox.ts).
  const outbox = createOutbox({
    load: async () => (await store.get(OUTBOX_KEY))[OUTBOX_KEY],
    save: (items) => store.set({ [OUTBOX_KEY]: items }),
    deliver,
  });
  const endSession = (base: string, sessionId: string, token: string, reason: string) => outbox.add({ kind: 'end', base, sessionId, token, reason });
  const reportEvent = (base: string, sessionId: string, token: string, event: string, detail: string) =>
    outbox.add({ kind: 'event', base, sessionId, token, event, detail });
  const reportLink = (base: string, sessionId: string, token: string, state: 'up' | 'down', seq: number) =>
    outbox.add({ kind: 'link', base, sessionId, token, state, seq });
  const api = { redeemCode, redeemLink, joinSession, endSession };
  const giveBackSiteAccess = () => dropSiteAccess(browser.runtime.getManifest(), browser.permissions);

  // A session that was running when the browser (or this background) went away ends here, for good.
  const recovered = (async () => {
    // No session runs at start: site access left over from one cut off by a restart goes (art. 1.2).
    await giveBackSiteAccess().catch(() => undefined);
    const raw = (await store.get(ACTIVE_KEY))[ACTIVE_KEY] as ActiveRecord | undefined;
    const workerOnly = raw !== undefined && (await workerStore?.get(ACTIVE_KEY))?.[ACTIVE_KEY] !== undefined;
    if (await endInterruptedSession(raw ?? null, { history, api, persistActive }, workerOnly ? 'extension-stopped' : 'browser-closed')) {
      if (hasOffscreen && chrome) await chrome.offscreen.closeDocument().catch(() => undefined);
    }
  })()
    .catch((error: unknown) => console.warn('meekijk: could not close an interrupted session', error))
    .finally(() => {
      // The icon from the real state, whatever a previous background left on it.
      void showBadge(controller.state);
      void outbox.flush();
    });

  const controller = createController({
    peerHost: hasOffscreen && chrome ? createOffscreenPeerHost(chrome) : createInlinePeerHost(),
    serverUrl,
    inject: injectIntoTab,
    api,
    verifyInvite: inviteVerifier(undefined, managedInviteKey),
    history,
    limits: async () => parseLimits((await store.get('limits'))['limits']),
    controlLimits: async () => parseControlLimits((await store.get('controlLimits'))['controlLimits']),
    reportEvent,
    reportLink,
    translate: (key, substitutions) => browser.i18n.getMessage(key, substitutions),
    persistActive,
    dropSiteAccess: giveBackSiteAccess,
    // Firefox: this background page holds the peer and must not be suspended mid-session.
    keepAlive: hasOffscreen ? undefined : () => startKeepAlive(() => browser.runtime.getPlatformInfo()),
    onState: (state) => void showBadge(state),
    serverBack: () => void outbox.flush(),
  });

  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    // The join page's content script: only from the configured server's own /join/ pages, top frame.
    const offer = offerJoinLinkSchema.safeParse(raw);
    if (offer.success) {
      return recovered.then(async () => {
        if (sender.id !== browser.runtime.id || sender.frameId !== 0 || !(await isJoinPage(sender.url))) {
          // A join page of another server (or its imitation): refused, and the customer is told whose
          // invitations this extension takes (the policy's or the build's server).
          const host = await serverUrl().then((url) => new URL(url).host, () => '?');
          return { ok: false, error: browser.i18n.getMessage('errorJoinOtherServer', [host]) || 'not a join page of your Meekijk server' };
        }
        const result = await controller.offerJoinLink(offer.data.link);
        return result.ok ? { ...result, toolbar: await toolbarFacts() } : result;
      });
    }
    // Only the extension's own pages (popup, consent page) may drive the session; a content script in a
    // web page cannot (invariant 4).
    if (sender.id !== browser.runtime.id || !sender.url?.startsWith(browser.runtime.getURL('/'))) return undefined;
    const parsed = popupRequestSchema.safeParse(raw);
    if (!parsed.success) return Promise.resolve({ ok: false, error: 'bad request', state: controller.state });
    return recovered.then(() => controller.handlePopup(parsed.data));
  });
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === TAB_PORT) controller.acceptTabPort(port);
  });
  browser.tabs.onUpdated.addListener((tabId, change) => controller.tabUpdated(tabId, change.status));
  browser.tabs.onRemoved.addListener((tabId) => controller.tabRemoved(tabId));
}

async function isJoinPage(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  try {
    const page = new URL(url);
    return page.origin === new URL(await serverUrl()).origin && page.pathname.startsWith('/join/');
  } catch {
    return false;
  }
}

async function injectIntoTab(tabId: number) {
  // Both at once: whichever runs first, the page-world recorder announces itself ('ready') and the
  // isolated bridge answers once the background said start (lib/tab/tab-agent.ts), so order does not matter.
  await Promise.all([
    browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/tab.js'] }),
    browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/recorder.js'], world: 'MAIN' }),
  ]);
}

async function showBadge(state: SessionState): Promise<void> {
  const badge = badgeFor(state);
  await browser.action.setBadgeText({ text: badge.text });
  if (badge.color) await browser.action.setBadgeBackgroundColor({ color: badge.color });
  await browser.action.setTitle({ title: browser.i18n.getMessage(badge.title[0], badge.title[1]) });
}
