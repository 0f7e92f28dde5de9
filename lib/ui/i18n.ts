import browser from 'webextension-polyfill';

/** Text through the browser's i18n (`_locales`, Dutch default). Unknown keys show as the key, visibly. */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}
