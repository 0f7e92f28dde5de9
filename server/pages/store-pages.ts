/**
 * GET /privacy and /support: the privacy statement (docs/privacy.md, read at start) and a support page,
 * the two addresses an extension store listing asks for (store-assets/listing.md). Both served by the
 * organisation's own server, so each organisation's listing points at its own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeHtml, page } from './html';
import { markdownToHtml } from './markdown';

const privacyText = readFileSync(fileURLToPath(new URL('../../docs/privacy.md', import.meta.url)), 'utf8');

export function renderPrivacyPage(): string {
  return page({ lang: 'nl', title: 'Privacyverklaring Meekijk · Meekijk privacy statement', body: markdownToHtml(privacyText) });
}

export function renderSupportPage(organisation: string): string {
  const org = escapeHtml(organisation);
  const body = `<h1>Hulp bij Meekijk</h1>
<p>Meekijk wordt u aangeboden door ${org}. Vragen over een sessie, of wilt u weten wie er meekeek? Neem contact op met
de helpdesk van ${org}: zij startten de sessie, en zien in hun overzicht wie, wanneer en hoe lang.</p>
<ul><li>Stoppen kan altijd: met de knop in het gedeelde tabblad, of in het Meekijk-venster.</li>
<li>Een code werkt één keer en maar een paar minuten; vraag zo nodig een nieuwe.</li>
<li><a href="/terms/nl">Voorwaarden Meekijksessie</a> · <a href="/privacy">Privacyverklaring</a></li></ul>
<h2 lang="en">Help with Meekijk</h2>
<div lang="en"><p>Meekijk is offered to you by ${org}. Questions about a session, or want to know who watched? Contact the
helpdesk of ${org}: they started the session and see in their overview who watched, when and for how long.</p>
<ul><li>You can always stop: with the button in the shared tab, or in the Meekijk window.</li>
<li>A code works once and only for a few minutes; ask for a new one if needed.</li>
<li><a href="/terms/en">Terms for a co-browsing session</a> · <a href="/privacy">Privacy statement</a></li></ul></div>`;
  return page({ lang: 'nl', title: 'Hulp bij Meekijk · Help with Meekijk', body });
}
