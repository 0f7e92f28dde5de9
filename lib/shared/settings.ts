/**
 * Where the extension finds its Meekijk server. The store build bakes the organisation's server in
 * (WXT_MEEKIJK_SERVER_URL at build time); self-hosters and the end-to-end tests may point a copy at
 * another server through storage (never reachable from web pages).
 */
import browser from 'webextension-polyfill';

export const DEFAULT_SERVER_URL: string = import.meta.env.WXT_MEEKIJK_SERVER_URL ?? 'http://127.0.0.1:8080';

export async function serverUrl(): Promise<string> {
  const stored = await browser.storage.local.get('serverUrl');
  const value = stored['serverUrl'];
  return typeof value === 'string' && /^https?:\/\//.test(value) ? value.replace(/\/$/, '') : DEFAULT_SERVER_URL;
}
