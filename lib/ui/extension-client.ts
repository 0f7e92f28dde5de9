/**
 * The popup's view of the background. An interface, so components are tested with a double.
 */
import browser from 'webextension-polyfill';
import { popupResponseSchema, type PopupRequest, type PopupResponse } from '@/lib/protocol/runtime';
import { serverUrl } from '@/lib/shared/settings';

export interface ExtensionClient {
  request(request: PopupRequest): Promise<PopupResponse>;
  /** The tab the popup was opened on (the one that would be shared), with its host name when known. */
  activeTab(): Promise<{ id: number; host: string | undefined } | undefined>;
  serverUrl(): Promise<string>;
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
    if (tab?.id === undefined) return undefined;
    let host: string | undefined;
    try {
      host = tab.url ? new URL(tab.url).host || undefined : undefined;
    } catch {
      host = undefined;
    }
    return { id: tab.id, host };
  },
  serverUrl,
};
