/**
 * An audit row's or history line's detail in words, in the reader's language (issue 23): the
 * technician's audit page (viewer/components/AuditPage.tsx) and the customer's history in the popup
 * (components/HistoryList.tsx) both put the same data (detail.ts) in Dutch or English, never a mix.
 * The customer reads their own history, so what they did is said to them ("u weigerde").
 */
import type { ClickRefusal, ClickTarget, KeyRefusal } from '../../protocol/control';
import { isDetailKind, readDetail, type Detail, type DetailKind, type LimitName, type REFUSED_BY, type REVOKED_BY, type SESSION_END_REASONS } from './detail';

export type DetailLocale = 'nl' | 'en';
/** Who reads: staff (the audit) or the customer (their own history). */
export type Reader = 'staff' | 'customer';

type SessionEnd = (typeof SESSION_END_REASONS)[number];

interface DetailWords {
  minutes: (n: number) => string;
  grantedFor: (span: string) => string;
  expiredAfter: (span: string) => string;
  refused: Record<(typeof REFUSED_BY)[number], string>;
  revoked: Record<(typeof REVOKED_BY)[number], string>;
  /** The customer's own acts, said to them. */
  you: { refused: string; revoked: string; revokedEsc: string };
  element: Record<string, string>;
  otherElement: (tag: string) => string;
  withRole: (what: string, role: string) => string;
  clickRefusal: Record<ClickRefusal, string>;
  keyRefusal: Record<KeyRefusal, string>;
  forTicket: (ticket: string) => string;
  redeemed: Record<'code' | 'link', string>;
  termsIn: Record<DetailLocale, string>;
  consent: (terms: string, hash: string, at: string) => string;
  sessionEnd: Record<SessionEnd, string>;
  limit: Record<LimitName, string>;
  limitMore: (n: number, since: string) => string;
  secondSocket: Record<'customer' | 'viewer', string>;
  disabled: (signIns: number, sessions: number) => string;
  capped: (cap: number) => string;
}

const nl: DetailWords = {
  minutes: (n) => (n === 1 ? '1 minuut' : `${n} minuten`),
  grantedFor: (span) => `voor ${span}`,
  expiredAfter: (span) => `na ${span}`,
  refused: {
    customer: 'de klant weigerde',
    technician: 'de medewerker trok de vraag in',
    unanswered: 'geen antwoord op tijd',
    'page-changed': 'de pagina veranderde voordat er een antwoord was',
    'other-site': 'het tabblad ging naar een andere site',
    'connection-lost': 'de verbinding met de medewerker viel weg',
  },
  revoked: {
    customer: 'de klant nam de bediening terug',
    'customer-esc': 'de klant nam de bediening terug met Esc',
    technician: 'de medewerker gaf de bediening terug',
    'other-site': 'het tabblad ging naar een andere site',
    'session-ended': 'de sessie eindigde',
    'connection-lost': 'de verbinding met de medewerker viel weg',
  },
  you: { refused: 'u weigerde', revoked: 'u nam de bediening terug', revokedEsc: 'u nam de bediening terug met Esc' },
  element: { a: 'link', button: 'knop', input: 'invoerveld', select: 'keuzelijst', textarea: 'tekstvak', option: 'keuze', label: 'label', summary: 'uitklapkop', img: 'afbeelding' },
  otherElement: (tag) => `element <${tag}>`,
  withRole: (what, role) => `${what} (rol: ${role})`,
  clickRefusal: {
    'no-control': 'geen bediening',
    'tab-unavailable': 'tabblad niet beschikbaar',
    'rate-limited': 'te snel',
    'unknown-node': 'element bestaat niet meer',
    'stale-node': 'element bestaat niet meer',
    'no-control-zone': 'de site staat bediening hier niet toe',
    blocked: 'verborgen deel',
    'own-ui': 'knop van Meekijk',
    'not-visible': 'niet zichtbaar',
    timeout: 'geen antwoord van de pagina',
  },
  keyRefusal: {
    'no-control': 'geen bediening',
    'tab-unavailable': 'tabblad niet beschikbaar',
    'rate-limited': 'te snel',
    'no-field': 'geen tekstveld geselecteerd bij de klant',
    'protected-field': 'wachtwoord- of betaalveld',
    'no-control-zone': 'de site staat bediening hier niet toe',
    blocked: 'verborgen deel',
    timeout: 'geen antwoord van de pagina',
  },
  forTicket: (ticket) => `voor ticket ${ticket}`,
  redeemed: { code: 'met de code', link: 'via de link' },
  termsIn: { nl: 'in het Nederlands', en: 'in het Engels' },
  consent: (terms, hash, at) => `voorwaarden gelezen ${terms} (sha-256 ${hash}), gegeven om ${at}`,
  sessionEnd: {
    'customer-stopped': 'de klant stopte met delen',
    'technician-ended': 'de medewerker beëindigde de sessie',
    'tab-closed': 'de klant sloot het gedeelde tabblad',
    'browser-closed': 'de klant sloot de browser',
    'idle-timeout': 'verlopen: te lang geen activiteit',
    'max-duration': 'verlopen: de maximale duur is bereikt',
    'connection-lost': 'de verbinding met de klant is verbroken',
    refused: 'de extensie van de klant weigerde de verbinding',
    expired: 'de uitnodiging verliep ongebruikt',
    'technician-disabled': 'het account van de medewerker is uitgeschakeld',
    'extension-stopped': 'de Meekijk-extensie van de klant stopte onverwacht',
  },
  limit: {
    'login-per-address': 'te veel mislukte aanmeldingen vanaf één adres (IPv6: één /64); geweigerd',
    'login-account-slowed': 'te veel mislukte aanmeldingen voor dit account; elke poging wacht nu eerst',
    'code-per-address': 'te veel foute codes vanaf één adres (IPv6: één /64); geweigerd',
    'code-global': 'te veel foute codes van alle adressen samen; adressen met een foute code geweigerd',
  },
  limitMore: (n, since) => `nog ${n} keer in de minuut vanaf ${since}`,
  secondSocket: {
    customer: 'een tweede verbinding van de klant geweigerd terwijl de eerste nog werkte',
    viewer: 'een tweede verbinding van de medewerker geweigerd terwijl de eerste nog werkte',
  },
  disabled: (signIns, sessions) => `${signIns} aanmeldingen ingetrokken, ${sessions} lopende sessies beëindigd`,
  capped: (cap) => `verdere gebeurtenissen niet vastgelegd (maximum ${cap})`,
};

const en: DetailWords = {
  minutes: (n) => (n === 1 ? '1 minute' : `${n} minutes`),
  grantedFor: (span) => `for ${span}`,
  expiredAfter: (span) => `after ${span}`,
  refused: {
    customer: 'the customer refused',
    technician: 'the technician withdrew the request',
    unanswered: 'no answer in time',
    'page-changed': 'the page changed before an answer',
    'other-site': 'the tab went to another site',
    'connection-lost': 'the connection to the technician dropped',
  },
  revoked: {
    customer: 'the customer took control back',
    'customer-esc': 'the customer took control back with Esc',
    technician: 'the technician gave control back',
    'other-site': 'the tab went to another site',
    'session-ended': 'the session ended',
    'connection-lost': 'the connection to the technician dropped',
  },
  you: { refused: 'you refused', revoked: 'you took control back', revokedEsc: 'you took control back with Esc' },
  element: { a: 'link', button: 'button', input: 'input field', select: 'drop-down list', textarea: 'text box', option: 'choice', label: 'label', summary: 'disclosure heading', img: 'image' },
  otherElement: (tag) => `element <${tag}>`,
  withRole: (what, role) => `${what} (role: ${role})`,
  clickRefusal: {
    'no-control': 'no control',
    'tab-unavailable': 'tab unavailable',
    'rate-limited': 'too fast',
    'unknown-node': 'element no longer exists',
    'stale-node': 'element no longer exists',
    'no-control-zone': 'the site forbids control here',
    blocked: 'hidden part',
    'own-ui': 'Meekijk control',
    'not-visible': 'not visible',
    timeout: 'the page did not answer',
  },
  keyRefusal: {
    'no-control': 'no control',
    'tab-unavailable': 'tab unavailable',
    'rate-limited': 'too fast',
    'no-field': 'no text field selected at the customer',
    'protected-field': 'password or payment field',
    'no-control-zone': 'the site forbids control here',
    blocked: 'hidden part',
    timeout: 'the page did not answer',
  },
  forTicket: (ticket) => `for ticket ${ticket}`,
  redeemed: { code: 'with the code', link: 'through the link' },
  termsIn: { nl: 'in Dutch', en: 'in English' },
  consent: (terms, hash, at) => `terms read ${terms} (sha-256 ${hash}), given at ${at}`,
  sessionEnd: {
    'customer-stopped': 'the customer stopped sharing',
    'technician-ended': 'the technician ended the session',
    'tab-closed': 'the customer closed the shared tab',
    'browser-closed': 'the customer closed the browser',
    'idle-timeout': 'expired: no activity for too long',
    'max-duration': 'expired: the maximum duration was reached',
    'connection-lost': 'the connection to the customer was lost',
    refused: "the customer's extension refused the connection",
    expired: 'the invitation expired unused',
    'technician-disabled': "the technician's account was disabled",
    'extension-stopped': "the customer's Meekijk extension stopped unexpectedly",
  },
  limit: {
    'login-per-address': 'too many failed sign-ins from one address (IPv6: one /64); refused',
    'login-account-slowed': 'too many failed sign-ins for this account; every attempt now waits first',
    'code-per-address': 'too many wrong codes from one address (IPv6: one /64); refused',
    'code-global': 'too many wrong codes from all addresses together; addresses with a wrong code refused',
  },
  limitMore: (n, since) => `${n} more in the minute from ${since}`,
  secondSocket: {
    customer: 'a second connection from the customer refused while the first was alive',
    viewer: 'a second connection from the technician refused while the first was alive',
  },
  disabled: (signIns, sessions) => `${signIns} sign-ins revoked, ${sessions} live sessions ended`,
  capped: (cap) => `further events not recorded (cap ${cap})`,
};

export const DETAIL_WORDS: Record<DetailLocale, DetailWords> = { nl, en };

function time(locale: DetailLocale, iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }).format(at);
}

function element(w: DetailWords, { tag, role }: ClickTarget): string {
  const what = Object.hasOwn(w.element, tag) ? w.element[tag]! : w.otherElement(tag);
  return role ? w.withRole(what, role) : what;
}

function words<K extends DetailKind>(locale: DetailLocale, reader: Reader, kind: K, d: Detail<K>): string {
  const w = DETAIL_WORDS[locale];
  const v = d as Detail<DetailKind> & Record<string, unknown>;
  switch (kind) {
    case 'control-granted':
      return w.grantedFor(w.minutes(v['minutes'] as number));
    case 'control-expired':
      return w.expiredAfter(w.minutes(v['minutes'] as number));
    case 'control-refused': {
      const by = v['by'] as (typeof REFUSED_BY)[number];
      return reader === 'customer' && by === 'customer' ? w.you.refused : w.refused[by];
    }
    case 'control-revoked': {
      const by = v['by'] as (typeof REVOKED_BY)[number];
      if (reader === 'customer' && by === 'customer') return w.you.revoked;
      if (reader === 'customer' && by === 'customer-esc') return w.you.revokedEsc;
      return w.revoked[by];
    }
    case 'click-executed':
      return element(w, v as unknown as ClickTarget);
    case 'click-refused':
      return w.clickRefusal[v['reason'] as ClickRefusal];
    case 'key-refused':
      return w.keyRefusal[v['reason'] as KeyRefusal];
    case 'session-created':
      return w.forTicket(v['ticket'] as string);
    case 'invite-redeemed':
      return w.redeemed[v['via'] as 'code' | 'link'];
    case 'consent':
      return w.consent(w.termsIn[v['locale'] as DetailLocale], v['terms'] as string, time(locale, v['at'] as string));
    case 'ended':
      return w.sessionEnd[v['reason'] as SessionEnd];
    case 'rate-limited': {
      const text = w.limit[v['limit'] as LimitName];
      return v['more'] === undefined ? text : `${text}; ${w.limitMore(v['more'] as number, time(locale, (v['since'] as string | undefined) ?? ''))}`;
    }
    case 'peer-second-socket-refused':
      return w.secondSocket[v['role'] as 'customer' | 'viewer'];
    case 'technician-disabled':
      return w.disabled(v['signIns'] as number, v['sessions'] as number);
    case 'audit-capped':
      return w.capped(v['cap'] as number);
    default:
      return '';
  }
}

/**
 * The detail of a row of `kind` in words. A detail that does not read as its kind (a row written by an
 * older version, an unknown kind) is shown as it was stored: it is data, and nothing is hidden.
 */
export function detailText(locale: DetailLocale, kind: string, detail: string, reader: Reader = 'staff'): string {
  if (!isDetailKind(kind)) return detail;
  const data = readDetail(kind, detail);
  return data === undefined ? detail : words(locale, reader, kind, data);
}
