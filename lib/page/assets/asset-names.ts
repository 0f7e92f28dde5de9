/**
 * Names for the URLs the replay would load (issue 20, docs/replay-assets.md). Each URL gets a key for
 * the life of the page agent, so the same image is the same token in every snapshot and mutation, and
 * the viewer's cache keeps working across resyncs. Keys are a random prefix and a counter: they say
 * nothing about the URL (a hash of it would let the technician confirm a guessed address), and keys
 * of the previous page (the agent is injected anew after a navigation) never collide with this one's.
 */
import { assetToken, ASSET_TOKEN_PATTERN } from '@/lib/protocol/assets';

/** What becomes of one URL in an event. */
export type UrlFate =
  /** Left as it is: data: URLs, references inside the document (`#id`), tokens, `javascript:` and the like. */
  | { kind: 'keep' }
  /** Replaced by this token (the URL's fragment, e.g. an SVG sprite's `#icon`, kept after it). */
  | { kind: 'token'; value: string; key: string; url: string; fresh: boolean }
  /** Removed: a URL the replay may not load and we cannot read (another scheme, unparseable, past the cap). */
  | { kind: 'drop' };

/** The most URLs named in one page: a page that makes more (a hostile one) gets the rest dropped. */
export const MAX_ASSET_KEYS = 20_000;

/** A well-formed token (with an optional fragment), ours from an earlier pass: kept. Anything else in our scheme is dropped. */
const TOKEN = new RegExp(`^${ASSET_TOKEN_PATTERN.source}(?:#[^\\s]*)?$`);

/** Schemes whose bytes the customer's side may read and send. */
const READABLE = new Set(['http:', 'https:', 'blob:']);
/** Schemes that load nothing from anywhere: left for the viewer's sanitiser to judge. */
const INERT = new Set(['data:', 'javascript:', 'about:', 'mailto:', 'tel:']);

export interface AssetNames {
  /** What to do with `raw` found in a document whose base URL is `base`. */
  fate(raw: string, base: string): UrlFate;
  /** The URL a key names, or undefined. */
  urlOf(key: string): string | undefined;
}

export function createAssetNames(prefix: string = randomPrefix(), maxKeys = MAX_ASSET_KEYS): AssetNames {
  const keys = new Map<string, string>();
  const urls = new Map<string, string>();
  return {
    fate(raw, base) {
      const text = raw.trim();
      if (text === '' || text.startsWith('#') || TOKEN.test(text)) return { kind: 'keep' };
      let url: URL;
      try {
        url = new URL(text, base);
      } catch {
        return { kind: 'drop' };
      }
      if (INERT.has(url.protocol)) return { kind: 'keep' };
      if (!READABLE.has(url.protocol)) return { kind: 'drop' };
      const fragment = url.hash;
      url.hash = '';
      const href = url.href;
      let key = keys.get(href);
      const fresh = key === undefined;
      if (key === undefined) {
        if (keys.size >= maxKeys) return { kind: 'drop' };
        key = `${prefix}${keys.size.toString(36)}`;
        keys.set(href, key);
        urls.set(key, href);
      }
      return { kind: 'token', value: `${assetToken(key)}${fragment}`, key, url: href, fresh };
    },
    urlOf: (key) => urls.get(key),
  };
}

function randomPrefix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}_`;
}
