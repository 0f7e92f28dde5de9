/**
 * The viewer speaks one language at a time: Dutch or English, chosen by the technician (the switch in
 * the top bar, remembered on this computer) or else from the browser's languages, Dutch first.
 */
import { signal } from '@preact/signals';
import { MESSAGES, type Messages } from './messages';

export type Locale = 'nl' | 'en';
export const LOCALES: readonly Locale[] = ['nl', 'en'];
const STORAGE_KEY = 'meekijk-viewer-locale';

/** The first of the browser's languages we speak (nl-BE is Dutch, en-US English); Dutch when none is. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'nl' || primary === 'en') return primary;
  }
  return 'nl';
}

function storedLocale(): Locale | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'nl' || value === 'en' ? value : undefined;
  } catch {
    return undefined;
  }
}

export const locale = signal<Locale>(
  typeof navigator === 'undefined' ? 'nl' : (storedLocale() ?? browserLocale(navigator.languages ?? [navigator.language])),
);

/** Switches the language, remembers it, and tells the page (`lang`, for screen readers: WCAG 3.1.1). */
export function setLocale(next: Locale): void {
  locale.value = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode without storage: the choice lasts until the page is closed.
  }
}

/** The messages in the current language; a component that reads them re-renders when it changes. */
export function m(): Messages {
  return MESSAGES[locale.value];
}

/** Dates and times as the current language writes them. */
export function dateTime(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale.value === 'nl' ? 'nl-NL' : 'en-GB', options);
}
