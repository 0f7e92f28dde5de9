/**
 * Late assets (issue 20): an asset may arrive after the events that use it (visible images first, the rest
 * lazily). Until then the replay holds a pending mark where its URL goes (urls.ts); when the asset comes,
 * this puts its `blob:` URL in every such place already in the replay: attributes (src, srcset, style...),
 * the rules of style elements and of adopted stylesheets, in the document, in shadow roots and in nested
 * frames. A key that will not come becomes the placeholder box in images; in CSS it stays nothing (a missing
 * font falls back silently).
 */
import { MISSING_IMAGE, PENDING_MARK, PENDING_PATTERN, type AssetLookup } from './urls';

const CSS_ATTRIBUTES = new Set(['style', 'fill', 'stroke', 'filter', 'mask', 'clip-path', 'marker', 'marker-start', 'marker-mid', 'marker-end', 'cursor']);

/** Replaces the pending marks of resolved keys in `text`; `css` decides what a missing key becomes. */
function patchText(text: string, lookup: AssetLookup, css: boolean): string {
  return text.replace(PENDING_PATTERN, (whole, key: string) => {
    const state = lookup(key);
    if (state === undefined) return whole;
    if (state === 'missing') return css ? whole : MISSING_IMAGE;
    return state.url;
  });
}

/** The documents and shadow roots of the replay, nested frames included. */
function roots(doc: Document): Array<Document | ShadowRoot> {
  const found: Array<Document | ShadowRoot> = [];
  const pending: Array<Document | ShadowRoot> = [doc];
  while (pending.length > 0) {
    const root = pending.pop()!;
    found.push(root);
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.shadowRoot) pending.push(el.shadowRoot);
      if (el.tagName === 'IFRAME') {
        const inner = (el as HTMLIFrameElement).contentDocument;
        if (inner) pending.push(inner);
      }
    }
  }
  return found;
}

/** Rewrites each top-level rule holding a mark, in place (same index, so rrweb's rule indexes stay right). */
function patchSheet(sheet: CSSStyleSheet, lookup: AssetLookup): number {
  let patched = 0;
  let rules: CSSRuleList;
  try {
    rules = sheet.cssRules;
  } catch {
    return 0; // not readable: not one of the replay's own
  }
  for (let i = 0; i < rules.length; i++) {
    const text = rules[i]!.cssText;
    if (!text.includes(PENDING_MARK)) continue;
    const next = patchText(text, lookup, true);
    if (next === text) continue;
    try {
      sheet.deleteRule(i);
      sheet.insertRule(next, i);
      patched++;
    } catch {
      try {
        sheet.insertRule(text, i);
      } catch {
        /* the rule is lost either way; the page goes on */
      }
    }
  }
  return patched;
}

/** Patches the replay for every key resolved so far; returns how many places changed. */
export function patchReplay(doc: Document, lookup: AssetLookup): number {
  let patched = 0;
  for (const root of roots(doc)) {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (!attr.value.includes(PENDING_MARK)) continue;
        const next = patchText(attr.value, lookup, CSS_ATTRIBUTES.has(attr.name.toLowerCase()));
        if (next !== attr.value) {
          attr.value = next;
          patched++;
        }
      }
    }
    const owned = Array.from(root.querySelectorAll<HTMLStyleElement>('style'), (style) => style.sheet);
    const sheets = [...owned, ...(root.adoptedStyleSheets ?? [])].filter((sheet): sheet is CSSStyleSheet => !!sheet);
    for (const sheet of sheets) patched += patchSheet(sheet, lookup);
  }
  return patched;
}
