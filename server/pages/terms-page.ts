/** GET /terms/nl and /terms/en: the published terms (art. 6.1) as plain, accessible HTML. */
import type { TermsText } from '../terms';
import { escapeHtml, page } from './html';
import { markdownToHtml } from './markdown';

export function renderTermsPage(lang: 'nl' | 'en', terms: TermsText, otherAvailable: boolean): string {
  const other = lang === 'nl' ? 'en' : 'nl';
  const switchLabel = lang === 'nl' ? 'Read in English' : 'Lees in het Nederlands';
  const hashLabel = lang === 'nl' ? 'Vingerafdruk (sha-256) van deze tekst' : 'Fingerprint (sha-256) of this text';
  const note = lang === 'en' ? '<p class="note">This is a translation of the Dutch "Voorwaarden Meekijksessie".</p>\n' : '';
  const body = `${note}${otherAvailable ? `<p><a href="/terms/${other}" hreflang="${other}" lang="${other}">${switchLabel}</a></p>\n` : ''}${markdownToHtml(terms.text)}
<p class="note">${hashLabel}: <code>${escapeHtml(terms.hash)}</code></p>`;
  return page({ lang, title: lang === 'nl' ? 'Voorwaarden Meekijksessie' : 'Terms for a co-browsing session', body });
}
