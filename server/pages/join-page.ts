/**
 * GET /join/<secret>: the page a helpdesk link opens. Bilingual, Dutch first. When the invite is usable it
 * carries the link secret in <meta name="meekijk-join"> for the extension's content script, which then opens
 * its consent screen (nothing is shared before consent, art. 1.1). Without the extension, it says how to
 * install it. The page runs no script.
 */
import { escapeHtml, page } from './html';

export type JoinState = 'open' | 'spent' | 'expired' | 'ended' | 'unknown';

export interface JoinPageInput {
  state: JoinState;
  secret: string;
  organisation: string;
  technicianName: string | null;
  storeLinks: { chrome: string | null; firefox: string | null };
}

const problem: Record<Exclude<JoinState, 'open'>, { nl: string; en: string }> = {
  spent: { nl: 'Deze uitnodiging is al gebruikt. Een meekijksessie is eenmalig; vraag de medewerker om een nieuwe link.', en: 'This invitation has already been used. A session is one-off; ask the support technician for a new link.' },
  expired: { nl: 'Deze uitnodiging is verlopen. Vraag de medewerker om een nieuwe link.', en: 'This invitation has expired. Ask the support technician for a new link.' },
  ended: { nl: 'Deze meekijksessie is beëindigd.', en: 'This session has ended.' },
  unknown: { nl: 'Deze link is niet (meer) geldig. Controleer de link of vraag de medewerker om een nieuwe.', en: 'This link is not valid. Check it, or ask the support technician for a new one.' },
};

function storeList(input: JoinPageInput, lang: 'nl' | 'en'): string {
  const items: string[] = [];
  if (input.storeLinks.chrome) items.push(`<li><a href="${escapeHtml(input.storeLinks.chrome)}">${lang === 'nl' ? 'Meekijk voor Chrome en Edge' : 'Meekijk for Chrome and Edge'}</a></li>`);
  if (input.storeLinks.firefox) items.push(`<li><a href="${escapeHtml(input.storeLinks.firefox)}">${lang === 'nl' ? 'Meekijk voor Firefox' : 'Meekijk for Firefox'}</a></li>`);
  if (items.length === 0) {
    return `<p data-meekijk-install-how>${lang === 'nl' ? 'Vraag de medewerker waar u de Meekijk-extensie kunt installeren. Open daarna deze link opnieuw.' : 'Ask the support technician where to install the Meekijk extension. Then open this link again.'}</p>`;
  }
  const how =
    lang === 'nl'
      ? 'Klik hieronder op de link voor uw browser en daarna in de winkel op ‘Toevoegen aan Chrome’ of ‘Toevoegen aan Firefox’. Open daarna deze link opnieuw.'
      : 'Click the link for your browser below, then ‘Add to Chrome’ or ‘Add to Firefox’ in the store. Then open this link again.';
  return `<p data-meekijk-install-how>${how}</p>\n<ul>${items.join('')}</ul>`;
}

function section(input: JoinPageInput, lang: 'nl' | 'en'): string {
  const org = escapeHtml(input.organisation);
  const who = input.technicianName ? escapeHtml(input.technicianName) : null;
  const nl = lang === 'nl';
  if (input.state !== 'open') {
    return `<h${nl ? 1 : 2}>${nl ? 'Meekijksessie' : 'Co-browsing session'}</h${nl ? 1 : 2}>\n<p class="note">${problem[input.state][lang]}</p>`;
  }
  const heading = nl ? 'Open de Meekijk-extensie om deel te nemen' : 'Open the Meekijk extension to join';
  const intro = nl
    ? `${who ? `${who} van ${org}` : `Een medewerker van ${org}`} wil met uw toestemming meekijken in één tabblad van uw browser.`
    : `${who ? `${who} of ${org}` : `A support technician of ${org}`} would like to look along in one tab of your browser, with your permission.`;
  // What to click once the extension is there comes from the extension itself (lib/tab/join-page.ts: the
  // pinned icon, or the puzzle piece then Meekijk); without it, this page can only say how to install it.
  const steps = nl
    ? '<ol><li>Lees de voorwaarden en geef toestemming. Pas daarna wordt er iets gedeeld.</li><li>U ziet steeds dat er wordt meegekeken en kunt op elk moment stoppen.</li></ol>'
    : '<ol><li>Read the terms and give your consent. Nothing is shared before that.</li><li>You always see that someone is watching, and you can stop at any time.</li></ol>';
  const install = nl ? 'U heeft de Meekijk-extensie nog niet in deze browser.' : 'The Meekijk extension is not in this browser yet.';
  const terms = nl ? '<p><a href="/terms/nl">Voorwaarden Meekijksessie</a></p>' : '<p><a href="/terms/en">Terms for a co-browsing session</a></p>';
  // data-meekijk-install: hidden by the extension's content script when it is installed (lib/tab/join-page.ts).
  return `<h${nl ? 1 : 2}>${heading}</h${nl ? 1 : 2}>\n<p>${intro}</p>\n<div data-meekijk-install>\n<h${nl ? 2 : 3}>${nl ? 'Eerst: de extensie installeren' : 'First: install the extension'}</h${nl ? 2 : 3}>\n<p>${install}</p>\n${storeList(input, lang)}\n</div>\n${steps}\n${terms}`;
}

export function renderJoinPage(input: JoinPageInput): string {
  const head = input.state === 'open' ? `<meta name="meekijk-join" content="${escapeHtml(input.secret)}">\n` : '';
  const body = `<section lang="nl">\n${section(input, 'nl')}\n</section>\n<section lang="en" class="lang">\n${section(input, 'en')}\n</section>`;
  return page({ lang: 'nl', title: 'Meekijksessie / Co-browsing session', body, head });
}
