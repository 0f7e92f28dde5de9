import browser from 'webextension-polyfill';
import { joinOffer, readJoinSecret, showJoinResult } from '@/lib/tab/join-page';

// Runs only on the Meekijk server's own join pages (see wxt.config.ts): hands the invite in the page to
// the background, which verifies it and prepares the consent screen. Nothing is shared here.
export default defineContentScript({
  matches: ['http://127.0.0.1/join/*'],
  registration: 'runtime',
  async main() {
    const secret = readJoinSecret(document);
    if (!secret) return;
    const response: unknown = await browser.runtime.sendMessage(joinOffer(secret)).catch(() => undefined);
    showJoinResult(document, response);
  },
});
