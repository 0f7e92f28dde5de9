import browser from 'webextension-polyfill';

/** Text through the browser's i18n (`_locales`, Dutch default). Unknown keys show as the key, visibly. */
export function t(key: string, substitutions?: string | string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

/**
 * The language the browser picked from our `_locales` ('nl' or 'en'), for `lang` attributes: the
 * browser's own UI language may be one we have no messages for (then Dutch, the default, is shown).
 */
export function uiLocale(): 'nl' | 'en' {
  return t('uiLocale') === 'en' ? 'en' : 'nl';
}
