/**
 * The isolated content script in the shared tab: the bridge between the page-world recorder and the
 * background, and the owner of every trust decision inside the page. Everything it hears from the page
 * world is validated; it forwards only well-formed event batches.
 */
import type { Runtime } from 'webextension-polyfill';
import { ASSETS_EVENT, dispatchBridge, EVENTS_EVENT, pageAssetSchema, FROM_PAGE_EVENT, fromPageSchema, listenBridge, PAGE_CHANNEL, readBridge, TO_PAGE_EVENT, type ToPageBody } from '@/lib/protocol/page-bridge';
import { eventsJsonSchema } from '@/lib/protocol/events-json';
import { backgroundToTabSchema, EVENTS_PORT, TAB_PORT, type TabAsset, type TabEvents, type TabToBackground } from '@/lib/protocol/tab-port';
import { createAssetFetcher } from './assets/asset-fetcher';
import { rulesForHost, type PageRules } from '@/lib/protocol/site-rules';
import { buildMaskRules } from '@/lib/shared/mask';
import { isValidSelector } from '@/lib/shared/dom';
import { endOfTask } from '@/lib/shared/schedule';
import { isControlCommand, type TabControl, type TabControlWiring } from '@/lib/tab/control/tab-control';
import type { Indicator, IndicatorOptions } from './indicator';

export interface TabAgentDeps {
  connect: (name: string) => Runtime.Port;
  window?: Window;
  /** Shown while sharing; returns its teardown. Injected so the agent is testable without UI. */
  showIndicator?: (options: IndicatorOptions) => Indicator;
  /** The customer's own privacy tools ("verberg dit", what the technician cannot see); returns their teardown. */
  showPrivacyTools?: (options: { siteRules: PageRules; onHiddenChange: (selectors: string[]) => void }) => () => void;
  /** Remote control (issue 6): prompt, executor, pointer; its decisions stay in this isolated world. */
  startControl?: (wiring: TabControlWiring) => TabControl;
}

/** Returns a stop function; after stop nothing of ours listens or runs in the page. */
export function startTabAgent({ connect, window: win = window, showIndicator, showPrivacyTools, startControl }: TabAgentDeps): () => void {
  const port = connect(TAB_PORT);
  /** Opened on `start`: the recorded events go straight to the peer host (lib/peer/tab-events.ts). */
  let eventsPort: Runtime.Port | undefined;
  const token = crypto.randomUUID();
  const abort = new AbortController();
  let started = false;
  let indicator: Indicator | undefined;
  let control: TabControl | undefined;
  // Privacy (issue 5): the server's rules for this site, and what the customer hid, go to the recorder.
  let siteRules: PageRules | undefined;
  let hidden: string[] = [];
  let stopPrivacyTools: (() => void) | undefined;

  const toPage = (body: ToPageBody) => dispatchBridge(win, TO_PAGE_EVENT, JSON.stringify({ channel: PAGE_CHANNEL, ...body }));
  const startPage = () => toPage({ type: 'start', token, ...(siteRules ? { siteRules } : {}), hidden });
  const send = (message: TabToBackground) => {
    try {
      port.postMessage(message);
    } catch {
      stop();
    }
  };
  const sendEvents = (message: TabEvents | TabAsset) => {
    try {
      eventsPort?.postMessage(message);
    } catch {
      stop();
    }
  };

  listenBridge(
    win,
    FROM_PAGE_EVENT,
    (detail) => {
      const message = readBridge(fromPageSchema, detail);
      if (message?.type === 'ready' && started) startPage();
      else if (message?.type === 'error') send({ type: 'page-error', message: message.message });
    },
    abort.signal,
  );
  // Event batches are passed on unread (bounded here, parsed and checked in the peer host).
  listenBridge(
    win,
    EVENTS_EVENT,
    (json) => {
      if (started && eventsJsonSchema.safeParse(json).success) sendEvents({ type: 'events', json });
    },
    abort.signal,
  );

  // Issue 20: the bytes of what the events' tokens name, read here (lib/tab/assets/asset-fetcher.ts says why).
  const assets = createAssetFetcher({ win, send: sendEvents });
  listenBridge(
    win,
    ASSETS_EVENT,
    (json) => {
      const message = started ? readBridge(pageAssetSchema, json) : undefined;
      if (message) assets.handle(message);
    },
    abort.signal,
  );

  port.onMessage.addListener((raw: unknown) => {
    const parsed = backgroundToTabSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'start') {
      if (!eventsPort) {
        eventsPort = connect(EVENTS_PORT);
        // The peer host refused the port or went away: nothing can be shared from here any more.
        eventsPort.onDisconnect.addListener(() => stop());
      }
      started = true;
      const rules = rulesForHost(message.siteRules, win.location.hostname);
      siteRules = rules;
      startPage();
      // The outlines look at every element and measure the masked ones (a layout of the whole page): in a
      // task of their own, so that they and the recorder's start are not one long task together.
      endOfTask(() => {
        if (!started || stopPrivacyTools) return;
        stopPrivacyTools = showPrivacyTools?.({
          siteRules: rules,
          onHiddenChange: (selectors) => {
            hidden = selectors;
            toPage({ type: 'hide', token, selectors });
          },
        });
      });
      indicator ??= showIndicator?.({
        technicianName: message.technicianName,
        organisation: message.organisation,
        locale: message.locale,
        onStop: () => send({ type: 'stop' }),
        onTakeBack: () => control?.takeBack('button'),
      });
      control ??= startControl?.({
        win,
        technicianName: message.technicianName,
        send,
        blockSelector: () => buildMaskRules(siteRules, (selector) => isValidSelector(selector, win.document)).blockSelector,
        setIndicatorControl: (active) => indicator?.setControl(active),
      });
    } else if (message.type === 'link') {
      indicator?.setReconnecting(message.state === 'reconnecting');
    } else if (message.type === 'snapshot') {
      toPage({ type: 'snapshot', token });
    } else if (message.type === 'stop') {
      stop();
    } else if (isControlCommand(message)) {
      control?.handle(message);
    }
  });
  port.onDisconnect.addListener(() => stop());
  // The page is going away. Firefox may keep it in its back-forward cache with our ports still open, so
  // the background would never hear that the tab has a new document; stopping here says so in every
  // browser, and nothing is recorded from a page that is no longer shown.
  win.addEventListener('pagehide', () => stop(), { signal: abort.signal });

  function stop() {
    if (abort.signal.aborted) return;
    toPage({ type: 'stop', token });
    started = false;
    abort.abort();
    assets.stop();
    control?.stop();
    control = undefined;
    indicator?.remove();
    indicator = undefined;
    stopPrivacyTools?.();
    stopPrivacyTools = undefined;
    for (const open of [eventsPort, port]) {
      try {
        open?.disconnect();
      } catch {
        // already gone
      }
    }
    eventsPort = undefined;
  }
  return stop;
}
