/**
 * What a URL in the recorded events may become in the replay (issue 20, docs/replay-assets.md). The events
 * come from the customer's extension, which is untrusted (invariant 7): only three kinds of URL pass, none
 * of which makes the technician's browser contact anyone:
 *  - a token `meekijk-asset:<key>`, which becomes the `blob:` URL of the asset's bytes (the viewer's origin);
 *  - `data:image/...` and `data:font/...`, which are the bytes themselves;
 *  - a fragment `#id` where the place allows one (SVG references, CSS `url(#filter)`), a part of the page itself.
 * Everything else (http, https, relative, protocol-relative, `//host`, `javascript:`, other data: types) is
 * neutralised.
 */
import { ASSET_KEY_PATTERN, ASSET_SCHEME, ASSET_TOKEN_PATTERN } from '@/lib/protocol/assets';

/** A transparent 1x1 GIF: what a token shows while its bytes are on their way (nothing, at the element's size). */
const TRANSPARENT_GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
/** Marks a pending token in the replay, so a late asset finds the places that wait for it (patch.ts). */
export const PENDING_MARK = `#${ASSET_SCHEME}`;
/** Finds the pending marks in attribute values and CSS text of the live replay. */
export const PENDING_PATTERN = new RegExp(`${TRANSPARENT_GIF.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}#${ASSET_TOKEN_PATTERN.source}`, 'g');

export const pendingUrl = (key: string): string => `${TRANSPARENT_GIF}${PENDING_MARK}${key}`;

/** Where a neutralised URL pointed: nothing. A data: URL loads nothing from anywhere. */
export const NOTHING = 'data:,';

/**
 * The box drawn for an image the customer's side could not send (art. 2.1: never fetched by the technician's
 * browser instead): grey, outlined and crossed, stretched to the element's size, so it is plainly a
 * placeholder and not part of the customer's page.
 */
export const MISSING_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" preserveAspectRatio="none">' +
    '<rect width="100" height="100" fill="#e6e6e6" stroke="#8a8a8a" stroke-width="2" vector-effect="non-scaling-stroke"/>' +
    '<path d="M0 0L100 100M100 0L0 100" stroke="#8a8a8a" stroke-width="1" vector-effect="non-scaling-stroke"/></svg>',
)}`;

/** What the store knows of a key: its blob: URL, that it will not come, or nothing yet. */
export type AssetState = { url: string } | 'missing' | undefined;
export type AssetLookup = (key: string) => AssetState;

export type UrlKind =
  /** `fragment`: what followed the key (`#icon` of an SVG sprite), or ''. */
  | { kind: 'token'; key: string; fragment: string }
  | { kind: 'data' }
  | { kind: 'fragment' }
  | { kind: 'other' };

/**
 * The URL as the browser would read it: leading and trailing C0 controls and spaces stripped, tabs and
 * newlines removed anywhere (the URL standard does so, so `java\tscript:` and ` data:` are what they seem).
 */
function asBrowserReads(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
}

export function classifyUrl(raw: string): UrlKind {
  const url = asBrowserReads(raw);
  if (url.startsWith(ASSET_SCHEME)) {
    const rest = url.slice(ASSET_SCHEME.length);
    const hash = rest.indexOf('#');
    const key = hash < 0 ? rest : rest.slice(0, hash);
    // A fragment stays after the token (an SVG sprite's `#icon`): plain characters only.
    const fragment = hash < 0 ? '' : rest.slice(hash);
    return ASSET_KEY_PATTERN.test(key) && /^(#[\w.:-]*)?$/.test(fragment) ? { kind: 'token', key, fragment } : { kind: 'other' };
  }
  const lower = url.toLowerCase();
  if (lower.startsWith('data:image/') || lower.startsWith('data:font/')) return { kind: 'data' };
  if (url.startsWith('#')) return { kind: 'fragment' };
  return { kind: 'other' };
}

export type UrlPlace =
  /** An image the page shows (`src`, `srcset`, `poster`, SVG `<image href>`): a placeholder when missing. */
  | 'image'
  /** CSS `url()`: background, font, mask... Nothing when missing (fonts fall back silently). */
  | 'css';

/**
 * The safe URL for `raw` in a place that loads it; `fragments` says whether the place may reference a part
 * of the page itself. Returns the URL and, for a token still on its way, its key.
 */
export function safeUrl(raw: string, place: UrlPlace, lookup: AssetLookup, fragments: boolean): { url: string; pending?: string } {
  const kind = classifyUrl(raw);
  switch (kind.kind) {
    case 'data':
      return { url: asBrowserReads(raw) };
    case 'fragment':
      return { url: fragments ? asBrowserReads(raw) : NOTHING };
    case 'token': {
      const state = lookup(kind.key);
      if (state === undefined) return { url: `${pendingUrl(kind.key)}${kind.fragment}`, pending: kind.key };
      if (state === 'missing') return { url: place === 'image' ? MISSING_IMAGE : NOTHING };
      return { url: `${state.url}${kind.fragment}` };
    }
    default:
      // An image the replay may not fetch is shown as what it is: something not shared.
      return { url: place === 'image' ? MISSING_IMAGE : NOTHING };
  }
}
