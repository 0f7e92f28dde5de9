/**
 * The popup's view of the background. An interface, so components are tested with a double.
 */
import browser from 'webextension-polyfill';
import { popupResponseSchema, type PopupRequest, type PopupResponse } from '@/lib/protocol/runtime';

export interface ExtensionClient {
  request(request: PopupRequest): Promise<PopupResponse>;
  activeTabId(): Promise<number | undefined>;
}

export const browserClient: ExtensionClient = {
  async request(request) {
    const raw: unknown = await browser.runtime.sendMessage(request);
    const parsed = popupResponseSchema.safeParse(raw);
    if (!parsed.success) throw new Error('The extension background answered unexpectedly.');
    return parsed.data;
  },
  async activeTabId() {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.id;
  },
};
