/**
 * The popup's view of the background. An interface, so components are tested with a double.
 */
import browser from 'webextension-polyfill';
import { popupResponseSchema, type PopupRequest, type PopupResponse } from '@/lib/protocol/runtime';
import { serverUrl } from '@/lib/shared/settings';

export interface TabInfo {
  id: number;
  /** Host name, when the browser tells us (activeTab, granted by the click on our button). */
  host: string | undefined;
  /** The tab's title, when the browser tells us: how the customer recognises "their page". */
  title: string | undefined;
}

export interface ExtensionClient {
  request(request: PopupRequest): Promise<PopupResponse>;
  /** The tab the popup was opened on (the one that would be shared). */
  activeTab(): Promise<TabInfo | undefined>;
  /** What the browser tells us about one tab (the shared one), or undefined when it is gone. */
  tab(id: number): Promise<TabInfo | undefined>;
  /** Brings the shared tab to the front and closes the popup ("ga terug naar uw pagina"). */
  showTab(id: number): Promise<void>;
  serverUrl(): Promise<string>;
}

function describe(tab: browser.Tabs.Tab): TabInfo | undefined {
  if (tab.id === undefined) return undefined;
  let host: string | undefined;
  try {
    host = tab.url ? new URL(tab.url).host || undefined : undefined;
  } catch {
    host = undefined;
  }
  return { id: tab.id, host, title: tab.title?.trim() || undefined };
}

export const browserClient: ExtensionClient = {
  async request(request) {
    const raw: unknown = await browser.runtime.sendMessage(request);
    const parsed = popupResponseSchema.safeParse(raw);
    if (!parsed.success) throw new Error('The extension background answered unexpectedly.');
    return parsed.data;
  },
  async activeTab() {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab ? describe(tab) : undefined;
  },
  async tab(id) {
    return describe(await browser.tabs.get(id));
  },
  async showTab(id) {
    const tab = await browser.tabs.update(id, { active: true });
    if (tab?.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
    window.close();
  },
  serverUrl,
};
