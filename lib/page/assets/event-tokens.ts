/**
 * Replaces every URL the replay would load in a finished rrweb event by a token (issue 20,
 * docs/replay-assets.md), in place: full snapshot nodes, mutations (added nodes, attributes, the text of
 * `<style>` elements), stylesheet rule and declaration events and adopted stylesheets. Runs after the
 * privacy filter, so blocked and hidden elements are placeholders by now and their images never come
 * here (terms art. 2: what is blocked is not shared).
 *
 * A `<link rel=stylesheet>` that rrweb could not inline (another origin) loses its `href`; it is reported
 * so the caller can read it with CORS and send its text as `_cssText` (lib/page/assets/foreign-sheets.ts).
 */
import { EventType, IncrementalSource, NodeType, type eventWithTime, type serializedNodeWithId } from '@rrweb/types';
import type { AssetNames } from './asset-names';
import { tokeniseCss, tokeniseSrcset } from './css-tokens';

export interface TokenContext {
  names: AssetNames;
  /** The document's base URL, for relative URLs. */
  base: string;
  /** rrweb's mirror: serialized node id -> live node (for mutations, which carry ids only). */
  nodeOf: (id: number) => Node | null;
}

/** A token put into the event: `nodeId` is the element that shows it (none for CSS text). */
export interface AssetUse {
  key: string;
  url: string;
  nodeId?: number;
}

export interface TokenResult {
  uses: AssetUse[];
  /** Stylesheet links whose `href` was removed: the sheet's URL, to be read and sent as `_cssText`. */
  sheets: Array<{ nodeId: number; url: string }>;
}

type Attributes = Record<string, unknown>;

/** Elements whose `href` loads something in the replay. */
const SVG_HREF = new Set(['image', 'use', 'feimage', 'fe-image']);

export function tokeniseEvent(event: eventWithTime, ctx: TokenContext): TokenResult {
  const result: TokenResult = { uses: [], sheets: [] };
  const replaceFor = (nodeId: number | undefined) => (raw: string) => {
    const fate = ctx.names.fate(raw, ctx.base);
    if (fate.kind === 'keep') return raw;
    if (fate.kind === 'drop') return null;
    result.uses.push(nodeId === undefined ? { key: fate.key, url: fate.url } : { key: fate.key, url: fate.url, nodeId });
    return fate.value;
  };
  const css = (text: string) => tokeniseCss(text, replaceFor(undefined));

  const attributes = (id: number, tag: string, attrs: Attributes, rel: () => string) => {
    for (const name of Object.keys(attrs)) {
      const value = attrs[name];
      const lower = name.toLowerCase();
      if (typeof value !== 'string') {
        // A changed style attribute comes as its changed properties: { "background": ["url(...)", ""] }.
        if (lower === 'style' && value && typeof value === 'object') deepCss(value, (text) => tokeniseCss(text, replaceFor(id)));
        continue;
      }
      const url = () => {
        const next = replaceFor(id)(value);
        if (next === null) delete attrs[name];
        else attrs[name] = next;
      };
      // A style attribute's images are the element's own (its size and place count); a sheet's are not.
      if (lower === 'style') attrs[name] = tokeniseCss(value, replaceFor(id));
      else if (lower === '_csstext') attrs[name] = css(value);
      else if (lower === 'srcset') attrs[name] = tokeniseSrcset(value, replaceFor(id));
      else if (lower === 'src' && tag === 'script') delete attrs[name];
      else if (lower === 'src' && tag === 'iframe') continue; // frames are recorded as documents of their own
      else if (lower === 'src' || lower === 'poster' || lower === 'background' || (lower === 'data' && tag === 'object')) url();
      else if ((lower === 'href' || lower === 'xlink:href') && SVG_HREF.has(tag)) url();
      else if (lower === 'href' && tag === 'link') {
        const rels = rel().toLowerCase().split(/\s+/);
        if (rels.some((r) => r.endsWith('icon'))) url();
        else {
          // A stylesheet rrweb could not read, a preload, a manifest: nothing the replay may fetch.
          const fate = ctx.names.fate(value, ctx.base);
          if (rels.includes('stylesheet') && typeof attrs._cssText !== 'string' && fate.kind === 'token') result.sheets.push({ nodeId: id, url: fate.url });
          delete attrs[name];
        }
      }
    }
  };

  const walk = (node: serializedNodeWithId, parentTag: string) => {
    if (node.type === NodeType.Element) {
      const attrs = node.attributes as Attributes;
      attributes(node.id, node.tagName.toLowerCase(), attrs, () => String(attrs.rel ?? ''));
      for (const child of node.childNodes) walk(child, node.tagName.toLowerCase());
    } else if (node.type === NodeType.Text) {
      if (parentTag === 'style' || node.isStyle) node.textContent = css(node.textContent);
    } else if (node.type === NodeType.Document) {
      for (const child of node.childNodes) walk(child, '');
    }
  };
  const tagOfNode = (node: Node | null | undefined) => (node && node.nodeType === 1 ? (node as Element).localName : '');

  if (event.type === EventType.FullSnapshot) {
    walk(event.data.node, '');
  } else if (event.type === EventType.IncrementalSnapshot) {
    const data = event.data;
    if (data.source === IncrementalSource.Mutation) {
      for (const add of data.adds) walk(add.node, tagOfNode(ctx.nodeOf(add.parentId)));
      for (const text of data.texts) {
        if (text.value !== null && tagOfNode(ctx.nodeOf(text.id)?.parentNode) === 'style') text.value = css(text.value);
      }
      for (const change of data.attributes) {
        const live = ctx.nodeOf(change.id);
        const element = live && live.nodeType === 1 ? (live as Element) : null;
        attributes(change.id, element?.localName ?? '', change.attributes as Attributes, () => {
          const changed = (change.attributes as Attributes).rel;
          return typeof changed === 'string' ? changed : (element?.getAttribute('rel') ?? '');
        });
      }
    } else if (
      data.source === IncrementalSource.StyleSheetRule ||
      data.source === IncrementalSource.StyleDeclaration ||
      data.source === IncrementalSource.AdoptedStyleSheet
    ) {
      // Rule text, declaration values, replace()/replaceSync() text and adopted sheets' rules: all CSS.
      deepCss(data, css);
    }
  }
  return result;
}

/** Every string in `value` (objects and arrays, at any depth) through `css`. */
function deepCss(value: object, css: (text: string) => string, depth = 0): void {
  if (depth > 20) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'string') record[key] = css(item);
    else if (item && typeof item === 'object') deepCss(item, css, depth + 1);
  }
}
