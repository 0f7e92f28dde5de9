/**
 * Defence in depth behind the element rules: the values we masked are remembered (in the page, for this
 * page only) and scrubbed wherever else they show up in what we send. That catches the leaks no element
 * rule can see: a value echoed in text ("jan@example.nl is not a valid address"), mirrored into another
 * attribute (data-value, aria-valuetext, title), a chosen file name shown beside the field, a search term
 * in the page's URL and in every link rrweb resolves against it, or the page title.
 *
 * Short values are left alone (a mask over every "ja" on the page would make it unreadable), so the
 * threshold is a few characters; the element rules still mask those in their fields.
 */
import { MASK } from '@/lib/shared/mask';

export interface SecretScrubber {
  /** A value the customer's page holds privately (a field value, masked text). */
  remember(value: string): void;
  /** The values in a URL's query string and fragment (a GET form puts typed values there). */
  rememberUrl(href: string): void;
  /**
   * What the customer is typing right now (the focused field). A page that echoes it ("We will call
   * 06 12...") changes its text on every key press, before the field's value is final; these values are
   * scrubbed too, down to 3 characters, the short ones only where they stand as a word. Replaced on
   * every call, so the prefixes of a typed value are not remembered.
   */
  live(values: string[]): void;
  scrub(text: string): string;
  readonly size: number;
}

export interface SecretOptions {
  minLength?: number;
  maxEntries?: number;
  maxLength?: number;
}

export function createSecretScrubber({ minLength = 5, maxEntries = 500, maxLength = 2000 }: SecretOptions = {}): SecretScrubber {
  const secrets = new Map<string, true>();
  let pattern: RegExp | null = null;
  let dirty = false;
  let liveKey = '';
  let livePattern: RegExp | null = null;

  const add = (raw: string) => {
    const value = raw.trim();
    if (value.length < minLength || value.length > maxLength || value === MASK || value.includes(MASK)) return;
    const key = value.toLowerCase();
    if (secrets.has(key)) return;
    secrets.set(key, true);
    if (secrets.size > maxEntries) secrets.delete(secrets.keys().next().value as string);
    dirty = true;
  };

  const remember = (value: string) => {
    if (typeof value !== 'string') return;
    add(value);
    // A file input reads "C:\fakepath\name.pdf"; pages show just the name.
    const base = value.split(/[\\/]/).pop();
    if (base && base !== value) add(base);
    // Multi-line values (textareas) are often echoed a line at a time.
    if (value.includes('\n')) value.split(/\r?\n/).forEach(add);
  };

  const build = (): RegExp | null => {
    if (!dirty) return pattern;
    dirty = false;
    const variants = new Set<string>();
    for (const secret of secrets.keys()) {
      variants.add(secret);
      // Where a value lands in a URL it is percent-encoded (and spaces may be "+").
      const encoded = encodeURIComponent(secret);
      variants.add(encoded.toLowerCase());
      variants.add(encoded.replace(/%20/g, '+').toLowerCase());
    }
    const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
    pattern = alternatives.length ? new RegExp(alternatives.join('|'), 'gi') : null;
    return pattern;
  };

  return {
    remember,
    rememberUrl(href) {
      let url: URL;
      try {
        url = new URL(href);
      } catch {
        return;
      }
      url.searchParams.forEach((value) => remember(value));
      const fragment = url.hash.replace(/^#/, '');
      const query = fragment.includes('?') ? fragment.slice(fragment.indexOf('?') + 1) : fragment;
      if (query.includes('=')) new URLSearchParams(query).forEach((value) => remember(value));
    },
    live(values) {
      const kept = values.map((v) => v.trim()).filter((v) => v.length >= LIVE_MIN && v.length <= maxLength && !v.includes(MASK));
      const key = kept.join('\u0000');
      if (key === liveKey) return;
      liveKey = key;
      const alternatives = kept
        .sort((a, b) => b.length - a.length)
        .map((v) => (v.length < minLength ? `(?<![\\p{L}\\p{N}])${escapeRegExp(v)}(?![\\p{L}\\p{N}])` : escapeRegExp(v)));
      livePattern = alternatives.length ? new RegExp(alternatives.join('|'), 'giu') : null;
    },
    scrub(text) {
      if (typeof text !== 'string') return text;
      let out = text;
      if (livePattern) out = out.replace(livePattern, MASK);
      if (secrets.size === 0 || out.length < minLength) return out;
      const re = build();
      return re ? out.replace(re, MASK) : out;
    },
    get size() {
      return secrets.size;
    },
  };
}

/** Shorter live values would mask every "ja" and "06" on the page; one or two typed characters may show. */
const LIVE_MIN = 3;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The page URL as the technician gets it: origin and path, with every query and fragment value masked
 * (keys stay, so "?step=•••" still tells which form). Fragments without values (SPA routes) stay.
 */
export function maskUrl(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return MASK;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.search || url.hash ? `${url.protocol}${url.pathname}` : href;
  const maskParams = (query: string) =>
    query
      .split('&')
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at < 0) return pair;
        return `${pair.slice(0, at)}=${pair.length > at + 1 ? encodeURIComponent(MASK) : ''}`;
      })
      .join('&');
  const search = url.search ? `?${maskParams(url.search.slice(1))}` : '';
  let hash = url.hash;
  if (hash.includes('=')) {
    const body = hash.slice(1);
    const question = body.indexOf('?');
    hash = question >= 0 ? `#${body.slice(0, question)}?${maskParams(body.slice(question + 1))}` : `#${maskParams(body)}`;
  }
  return `${url.origin}${url.pathname}${search}${hash}`;
}
