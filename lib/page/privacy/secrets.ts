/**
 * Defence in depth behind the element rules: the values we masked are remembered (in the page, for this
 * page only) and scrubbed wherever else they show up in what we send. That catches the leaks no element
 * rule can see: a value echoed in text ("jan@example.nl is not a valid address"), mirrored into another
 * attribute, a style, a stylesheet rule or a button label, a chosen file name shown beside the field, a
 * search term in the page's URL and in every link rrweb resolves against it, or the page title.
 *
 * However the page reshapes it: values are compared folded (lib/shared/privacy/fold.ts: case, spaces,
 * punctuation, grouping, accents, percent-encoding), as whole words (lib/shared/privacy/match.ts). What is
 * remembered is a field's value, not every prefix it passed through while being typed: a field typed
 * forward ("A", "Am", ... "Amsterdam") holds one value; only when it changes to something that is not a
 * continuation (a correction, a script, a new entry) is the old one kept as well. The value being typed
 * right now is covered by `live` (docs/site-owners.md, "Which echoes are masked": the rule, and why "Amstelveen" stays readable).
 */
import { fold, formsOf, type Folded } from '@/lib/shared/privacy/fold';
import { createMatcher, maskRanges, type Matcher, type Range } from '@/lib/shared/privacy/match';
import { MASK } from '@/lib/shared/mask';

export interface SecretScrubber {
  /** A value the customer's page holds privately (masked text, a URL parameter). */
  remember(value: string): void;
  /**
   * The value `key` (a field, a text node) holds now. Typing forward replaces the value before; any
   * other change keeps the value before as well.
   */
  hold(key: object, value: string): void;
  /** The values in a URL's query string and fragment (a GET form puts typed values there). */
  rememberUrl(href: string): void;
  /**
   * What the customer is typing right now (the focused field). A page that echoes it ("We will call
   * 06 12...") changes its text on every key press, before the field's value is final; these values are
   * scrubbed too, down to 3 letters or digits, as whole words like everything else. Replaced on every
   * call, so the prefixes of a typed value are not remembered.
   */
  live(values: string[]): void;
  /** Where `text` holds a remembered or live value. */
  find(text: string, folded?: Folded): Range[];
  scrub(text: string): string;
  /** True while nothing is remembered or live: then `find` finds nothing. */
  readonly empty: boolean;
  readonly size: number;
}

export interface SecretOptions {
  /** Letters and digits a value needs before it is looked for elsewhere. */
  minLength?: number;
  maxEntries?: number;
  maxLength?: number;
}

/** Shorter live values would mask every "ja" and "06" on the page; one or two typed characters may show. */
const LIVE_MIN = 3;

interface Held {
  /** The longest value of the current run of typing (what the field was typed up to). */
  peak: string;
  current: string;
}

export function createSecretScrubber({ minLength = 5, maxEntries = 500, maxLength = 2000 }: SecretOptions = {}): SecretScrubber {
  /** Remembered values, folded, oldest first. */
  const kept = new Map<string, string[]>();
  const held = new Map<object, Held>();
  let matcher: Matcher | null = null;
  let dirty = false;
  let liveKey = '';
  let liveMatcher: Matcher | null = null;

  const usable = (raw: string) => typeof raw === 'string' && raw.length <= maxLength && !raw.includes(MASK);

  /** The value, and the parts a page shows on their own: a file name, each line of a text. */
  const variants = (value: string): string[] => {
    const out = [value];
    const base = value.split(/[\\/]/).pop();
    if (base && base !== value) out.push(base);
    if (value.includes('\n')) out.push(...value.split(/\r?\n/));
    return out;
  };

  const keep = (raw: string) => {
    if (!usable(raw)) return;
    for (const variant of variants(raw)) {
      const forms = formsOf(variant, minLength);
      if (!forms.length || kept.has(forms[0]!)) continue;
      kept.set(forms[0]!, forms);
      if (kept.size > maxEntries) kept.delete(kept.keys().next().value as string);
      dirty = true;
    }
  };

  const build = (): Matcher | null => {
    if (!dirty) return matcher;
    dirty = false;
    const forms: string[] = [];
    for (const list of kept.values()) forms.push(...list);
    for (const { peak, current } of held.values()) {
      for (const value of [peak, current]) for (const variant of variants(value)) forms.push(...formsOf(variant, minLength));
    }
    matcher = createMatcher(forms);
    return matcher;
  };

  return {
    remember: keep,
    hold(key, value) {
      if (!usable(value)) return;
      const before = held.get(key);
      const now = fold(value).text;
      if (!before) {
        held.set(key, { peak: value, current: value });
        if (held.size > maxEntries) held.delete(held.keys().next().value as object);
      } else {
        const peak = fold(before.peak).text;
        if (now.startsWith(peak)) before.peak = value; // typed forward
        else if (!peak.startsWith(now)) {
          keep(before.peak); // replaced: both count
          before.peak = value;
        }
        if (before.current === value) return;
        before.current = value;
      }
      dirty = true;
    },
    rememberUrl(href) {
      let url: URL;
      try {
        url = new URL(href);
      } catch {
        return;
      }
      url.searchParams.forEach((value) => keep(value));
      const fragment = url.hash.replace(/^#/, '');
      const query = fragment.includes('?') ? fragment.slice(fragment.indexOf('?') + 1) : fragment;
      if (query.includes('=')) new URLSearchParams(query).forEach((value) => keep(value));
    },
    live(values) {
      const forms = values.filter(usable).flatMap((v) => formsOf(v, LIVE_MIN));
      const key = forms.join('\u0000');
      if (key === liveKey) return;
      liveKey = key;
      liveMatcher = createMatcher(forms);
    },
    find(text, folded) {
      if (typeof text !== 'string') return [];
      const remembered = build();
      if (!remembered && !liveMatcher) return [];
      const f = folded ?? fold(text);
      return [...(remembered?.find(text, f) ?? []), ...(liveMatcher?.find(text, f) ?? [])];
    },
    scrub(text) {
      return typeof text === 'string' ? maskRanges(text, this.find(text), MASK) : text;
    },
    get empty() {
      return kept.size === 0 && held.size === 0 && !liveMatcher;
    },
    get size() {
      return kept.size + held.size;
    },
  };
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
