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

/** A BCP 47 tag for dates and numbers in the language shown: the browser's own when it is that language. */
export function uiLocaleTag(): string {
  const shown = uiLocale();
  const browserTag = typeof navigator === 'undefined' ? '' : navigator.language;
  if (browserTag.toLowerCase().split('-')[0] === shown) return browserTag;
  return shown === 'en' ? 'en-GB' : 'nl-NL';
}
