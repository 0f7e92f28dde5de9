/**
 * Wires the session controller to the browser: popup requests, content-script ports, tab events, the
 * peer host, the customer's history and the toolbar icon. Everything is registered synchronously, as
 * MV3 requires.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { popupRequestSchema, TAB_PORT, type SessionState } from '@/lib/protocol/runtime';
import { createController, endInterruptedSession, type ActiveRecord } from './controller';
import { createHistory } from './history';
import { parseLimits } from './limits';
import { createInlinePeerHost, createOffscreenPeerHost } from './peer-host-client';
import { joinSession, redeemCode, endSession } from './server-client';
import { serverUrl } from './settings';
import { verifyInviteFromServer } from './verify-invite';

declare const chrome: Parameters<typeof createOffscreenPeerHost>[0] | undefined;

const ACTIVE_KEY = 'activeSession';

export function createBackground() {
  const hasOffscreen = typeof chrome !== 'undefined' && chrome !== undefined && 'offscreen' in chrome;
  const store = browser.storage.local;
  const history = createHistory({
    get: (key) => store.get(key),
    set: (items) => store.set(items),
    remove: (key) => store.remove(key),
  });
  const persistActive = async (record: ActiveRecord | null) => {
    if (record) await store.set({ [ACTIVE_KEY]: record });
    else await store.remove(ACTIVE_KEY);
  };
  const api = { redeemCode, joinSession, endSession };

  // A session that was running when the browser (or this background) went away ends here, for good.
  const recovered = (async () => {
    const raw = (await store.get(ACTIVE_KEY))[ACTIVE_KEY] as ActiveRecord | undefined;
    if (await endInterruptedSession(raw ?? null, { history, api, persistActive })) {
      if (hasOffscreen && chrome) await chrome.offscreen.closeDocument().catch(() => undefined);
    }
  })().catch((error: unknown) => console.warn('meekijk: could not close an interrupted session', error));

  const controller = createController({
    peerHost: hasOffscreen && chrome ? createOffscreenPeerHost(chrome) : createInlinePeerHost(),
    serverUrl,
    inject: injectIntoTab,
    api,
    verifyInvite: verifyInviteFromServer,
    history,
    limits: async () => parseLimits((await store.get('limits'))['limits']),
    translate: (key, substitutions) => browser.i18n.getMessage(key, substitutions),
    persistActive,
    persist: (state) => {
      void browser.storage.session?.set({ sessionState: state }).catch(() => undefined);
      void showState(state);
    },
  });

  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
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

async function injectIntoTab(tabId: number) {
  // Isolated bridge first, so it is listening when the page-world recorder announces itself.
  await browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/tab.js'] });
  await browser.scripting.executeScript({ target: { tabId }, files: ['/content-scripts/recorder.js'], world: 'MAIN' });
}

/** The toolbar icon tells the state at a glance: a red ON while someone watches, || while paused. */
async function showState(state: SessionState) {
  const on = state.phase === 'live' || state.phase === 'connecting' || state.phase === 'paused';
  const name = state.technician?.name ?? '';
  await browser.action.setBadgeText({ text: on ? (state.phase === 'paused' ? '||' : 'ON') : '' });
  if (on) await browser.action.setBadgeBackgroundColor({ color: state.phase === 'paused' ? '#b54708' : '#b42318' });
  const title =
    state.phase === 'live' ? browser.i18n.getMessage('statusLive', [name]) :
    state.phase === 'paused' ? browser.i18n.getMessage('statusPaused', [name]) :
    state.phase === 'connecting' ? browser.i18n.getMessage('statusConnecting') :
    browser.i18n.getMessage('extName');
  await browser.action.setTitle({ title });
}
