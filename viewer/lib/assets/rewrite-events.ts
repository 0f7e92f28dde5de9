/**
 * Rewrites the recorded events before rrweb's Replayer sees them (issue 20): every URL the replay could
 * load, in every place rrweb puts one, becomes a `blob:` URL of an asset the customer's side sent, a
 * `data:image`/`data:font` URL, a fragment where that is a part of the page itself, or nothing. The events
 * come from the customer's extension, which is untrusted (invariant 7): a modified extension that sends raw
 * URLs must not make the technician's browser fetch them (docs/replay-assets.md).
 *
 * Events are rewritten in place (they are the viewer's own copy, parsed from the wire). The element a later
 * attribute or text change applies to is known by its rrweb id only, so the rewriter keeps each id's tag.
 */
import { rewriteCss } from './css';
import { classifyUrl, safeUrl, type AssetLookup, type UrlPlace } from './urls';

const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const enum Source {
  Mutation = 0,
  CanvasMutation = 9,
  Font = 10,
  StyleSheetRule = 8,
  StyleDeclaration = 13,
  AdoptedStyleSheet = 15,
}
const enum NodeType {
  Element = 2,
  Text = 3,
}

/** Attributes whose value is CSS: `style`, rrweb's `_cssText`, and SVG presentation attributes that take url(). */
const CSS_ATTRIBUTES = new Set(['style', '_csstext', 'fill', 'stroke', 'filter', 'mask', 'clip-path', 'marker', 'marker-start', 'marker-mid', 'marker-end', 'cursor']);
/** Attributes that load something and have no place in a replay (frames, plug-ins, forms, pings, manifests). */
const DROPPED = new Set(['srcdoc', 'rr_src', 'action', 'formaction', 'ping', 'manifest', 'codebase', 'archive', 'classid', 'imagesrcset', 'http-equiv', 'lowsrc', 'dynsrc']);
/** Elements whose `src` loads a document, a plug-in, a script or media: dropped (media are not replay assets). */
const NO_SRC = new Set(['iframe', 'frame', 'embed', 'object', 'script', 'portal', 'audio', 'video', 'source', 'track']);
/** SVG animation elements: their `attributeName` may not aim at a URL attribute, nor their values carry url(). */
const ANIMATIONS = new Set(['set', 'animate', 'animatemotion', 'animatetransform', 'animatecolor', 'discard']);
const ANIMATION_VALUES = new Set(['to', 'from', 'by', 'values']);
const URL_ATTRIBUTES = new Set(['src', 'srcset', 'href', 'xlink:href', 'poster', 'background', 'data', 'rr_dataurl', ...DROPPED]);

/** A scheme, `//` or a path: not a value an SVG animation needs. */
const LOOKS_LIKE_URL = /(^|[\s;,])([a-z][a-z0-9+.-]*:|\/|\.\.?\/)/i;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface EventRewriter {
  /** Rewrites the event in place; returns the keys of tokens it met whose bytes have not arrived yet. */
  rewrite(event: { type: number; data: unknown }): Set<string>;
}

export function createEventRewriter(lookup: AssetLookup): EventRewriter {
  /** rrweb id -> lower-cased tag name, or `#style-text` / `#text` for text nodes. */
  const kinds = new Map<number, string>();
  let pending = new Set<string>();

  const url = (raw: string, place: UrlPlace, fragments: boolean): string => {
    const safe = safeUrl(raw, place, lookup, fragments);
    if (safe.pending) pending.add(safe.pending);
    return safe.url;
  };
  const css = (text: string): string => rewriteCss(text, (raw) => url(raw, 'css', true));

  /** The candidates of a srcset, each URL made safe; descriptors kept only when they are descriptors. */
  const srcset = (value: string): string => {
    const out: string[] = [];
    let i = 0;
    while (i < value.length) {
      while (i < value.length && /[\s,]/.test(value[i]!)) i++;
      if (i >= value.length) break;
      let end = i;
      while (end < value.length && !/\s/.test(value[end]!)) end++;
      let candidate = value.slice(i, end);
      i = end;
      let descriptor = '';
      if (candidate.endsWith(',')) candidate = candidate.replace(/,+$/, '');
      else {
        let depth = 0;
        while (i < value.length && (value[i] !== ',' || depth > 0)) {
          if (value[i] === '(') depth++;
          else if (value[i] === ')') depth = Math.max(0, depth - 1);
          descriptor += value[i++];
        }
        i++;
      }
      const descriptors = descriptor.trim().split(/\s+/).filter((d) => /^[0-9.eE+-]+[wxh]$/.test(d));
      out.push([url(candidate, 'image', false), ...descriptors].join(' '));
    }
    return out.join(', ');
  };

  /** The safe value of one attribute of an element with tag `tag` (undefined: an id the rewriter never saw). */
  const attribute = (tag: string | undefined, rawName: string, value: unknown): unknown => {
    const name = rawName.toLowerCase();
    if (name === 'style' && isObject(value)) {
      // rrweb's style diff: property -> value, or [value, priority], or false (removed).
      for (const [property, v] of Object.entries(value)) {
        if (typeof v === 'string') value[property] = css(v);
        else if (Array.isArray(v) && typeof v[0] === 'string') v[0] = css(v[0]);
      }
      return value;
    }
    if (tag !== undefined && ANIMATIONS.has(tag)) {
      if (name === 'attributename' && typeof value === 'string') {
        const target = value.toLowerCase().replace(/^xlink:/, '');
        return URL_ATTRIBUTES.has(target) || target === 'style' ? null : value;
      }
      // What an animation sets is never a URL, whatever it aims at (defence in depth).
      if (ANIMATION_VALUES.has(name) && typeof value === 'string') return LOOKS_LIKE_URL.test(value) ? null : css(value);
    }
    // A refresh's target, inert without http-equiv (dropped), and dropped too (defence in depth).
    if (tag === 'meta' && name === 'content' && typeof value === 'string' && /url\s*=/i.test(value)) return null;
    if (typeof value !== 'string') return URL_ATTRIBUTES.has(name) && value !== null ? null : value;
    if (CSS_ATTRIBUTES.has(name)) return css(value);
    if (DROPPED.has(name)) return null;
    switch (name) {
      case 'srcset':
        return srcset(value);
      case 'src':
        return tag !== undefined && NO_SRC.has(tag) ? null : url(value, 'image', false);
      case 'poster':
      case 'rr_dataurl':
        return url(value, 'image', false);
      case 'background':
        return url(value, 'css', false);
      case 'data':
        return tag === 'object' || tag === undefined ? null : value;
      case 'href':
      case 'xlink:href':
        // A link keeps looking like one (`#`), and is never followed: the replay takes no pointer input.
        if (tag === 'a' || tag === 'area') return classifyUrl(value).kind === 'fragment' ? value : '#';
        if (tag === 'base' || tag === 'script') return null;
        // <link>: only a token (an icon); a stylesheet travels as CSS text, never as a URL.
        if (tag === 'link') return url(value, 'css', false);
        return url(value, 'image', true);
      default:
        return value;
    }
  };

  const attributes = (tag: string | undefined, attrs: Json) => {
    for (const name of Object.keys(attrs)) {
      const safe = attribute(tag, name, attrs[name]);
      if (safe !== attrs[name]) attrs[name] = safe;
    }
  };

  const node = (n: unknown, parentTag: string | undefined) => {
    if (!isObject(n)) return;
    const id = typeof n['id'] === 'number' ? n['id'] : undefined;
    if (n['type'] === NodeType.Element) {
      const tag = String(n['tagName'] ?? '').toLowerCase();
      if (id !== undefined) kinds.set(id, tag);
      if (isObject(n['attributes'])) attributes(tag, n['attributes']);
      if (Array.isArray(n['childNodes'])) for (const child of n['childNodes']) node(child, tag);
      return;
    }
    if (n['type'] === NodeType.Text) {
      const style = parentTag === 'style' || n['isStyle'] === true;
      if (id !== undefined) kinds.set(id, style ? '#style-text' : '#text');
      if (style && typeof n['textContent'] === 'string') n['textContent'] = css(n['textContent']);
      return;
    }
    if (id !== undefined) kinds.set(id, `#${String(n['type'])}`);
    if (Array.isArray(n['childNodes'])) for (const child of n['childNodes']) node(child, undefined);
  };

  const mutation = (data: Json) => {
    for (const removed of list(data['removes'])) if (typeof removed['id'] === 'number') kinds.delete(removed['id']);
    for (const add of list(data['adds'])) {
      const parent = typeof add['parentId'] === 'number' ? kinds.get(add['parentId']) : undefined;
      node(add['node'], parent);
    }
    for (const change of list(data['attributes'])) {
      const tag = typeof change['id'] === 'number' ? kinds.get(change['id']) : undefined;
      if (isObject(change['attributes'])) attributes(tag, change['attributes']);
    }
    for (const change of list(data['texts'])) {
      // Only a text known to be outside a <style> keeps its words; any other may be CSS.
      const kind = typeof change['id'] === 'number' ? kinds.get(change['id']) : undefined;
      if (kind !== '#text' && typeof change['value'] === 'string') change['value'] = css(change['value']);
    }
  };

  const rules = (items: unknown) => {
    for (const item of list(items)) if (typeof item['rule'] === 'string') item['rule'] = css(item['rule']);
  };

  /** Canvas commands may carry images by URL (rrweb's serialized HTMLImageElement): made safe wherever they are. */
  const canvasArgs = (value: unknown, depth = 0): void => {
    if (depth > 8) return;
    if (Array.isArray(value)) for (const v of value) canvasArgs(v, depth + 1);
    else if (isObject(value)) {
      if (typeof value['src'] === 'string') value['src'] = url(value['src'], 'image', false);
      for (const v of Object.values(value)) canvasArgs(v, depth + 1);
    }
  };

  return {
    rewrite(event) {
      pending = new Set();
      const data = event.data;
      if (!isObject(data)) return pending;
      if (event.type === FULL_SNAPSHOT) {
        kinds.clear();
        node(data['node'], undefined);
      } else if (event.type === INCREMENTAL) {
        switch (data['source']) {
          case Source.Mutation:
            mutation(data);
            break;
          case Source.StyleSheetRule:
            rules(data['adds']);
            if (typeof data['replace'] === 'string') data['replace'] = css(data['replace']);
            if (typeof data['replaceSync'] === 'string') data['replaceSync'] = css(data['replaceSync']);
            break;
          case Source.StyleDeclaration: {
            const set = data['set'];
            if (isObject(set) && typeof set['value'] === 'string') set['value'] = css(set['value']);
            break;
          }
          case Source.AdoptedStyleSheet:
            for (const style of list(data['styles'])) rules(style['rules']);
            break;
          case Source.Font:
            // A font by URL is a CSS src descriptor; a font by bytes (buffer) loads nothing.
            if (data['buffer'] !== true && typeof data['fontSource'] === 'string') data['fontSource'] = css(data['fontSource']);
            break;
          case Source.CanvasMutation:
            canvasArgs(data['commands'] ?? data['args']);
            break;
        }
      }
      return pending;
    },
  };
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
