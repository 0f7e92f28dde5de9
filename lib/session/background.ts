/**
 * Wires the session controller to the browser: popup requests, content-script ports, tab events, the
 * peer host and the toolbar badge. Everything is registered synchronously, as MV3 requires.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { popupRequestSchema, TAB_PORT, type SessionState } from '@/lib/protocol/runtime';
import { createController } from './controller';
import { createInlinePeerHost, createOffscreenPeerHost } from './peer-host-client';
import { joinSession, redeemCode, endSession } from './server-client';
import { serverUrl } from './settings';
import { verifyInviteFromServer } from './verify-invite';

declare const chrome: Parameters<typeof createOffscreenPeerHost>[0] | undefined;

export function createBackground() {
  const hasOffscreen = typeof chrome !== 'undefined' && chrome !== undefined && 'offscreen' in chrome;
  const controller = createController({
    peerHost: hasOffscreen && chrome ? createOffscreenPeerHost(chrome) : createInlinePeerHost(),
    serverUrl,
    inject: injectIntoTab,
    api: { redeemCode, joinSession, endSession },
    verifyInvite: verifyInviteFromServer,
    persist: (state) => {
      void browser.storage.session?.set({ sessionState: state }).catch(() => undefined);
      void showBadge(state);
    },
  });

  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    // Only the extension's own pages (popup, consent page) may drive the session; a content script in a
    // web page cannot (invariant 4).
    if (sender.id !== browser.runtime.id || !sender.url?.startsWith(browser.runtime.getURL('/'))) return undefined;
    const parsed = popupRequestSchema.safeParse(raw);
    if (!parsed.success) return Promise.resolve({ ok: false, error: 'bad request', state: controller.state });
    return controller.handlePopup(parsed.data);
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

async function showBadge(state: SessionState) {
  const on = state.phase === 'live' || state.phase === 'connecting' || state.phase === 'paused';
  await browser.action.setBadgeText({ text: on ? (state.phase === 'paused' ? '||' : 'ON') : '' });
  if (on) await browser.action.setBadgeBackgroundColor({ color: state.phase === 'paused' ? '#b54708' : '#b42318' });
}
