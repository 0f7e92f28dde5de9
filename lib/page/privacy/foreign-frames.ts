/**
 * Frames that show a page of another origin (payment widgets, embedded maps and videos): nothing of them
 * is recorded, not even their address (issue 20). The replay shows a labelled box of their size instead
 * (lib/protocol/placeholders.ts). rrweb itself leaves their document out but keeps the address, as
 * `rr_src`: the event filter turns the serialised frame into the placeholder before anything is sent.
 */
import { NodeType, type attributes as SerializedAttributes, type serializedNodeWithId } from '@rrweb/types';
import { PLACEHOLDER_ATTRIBUTE } from '@/lib/protocol/placeholders';

type SerializedElement = Extract<serializedNodeWithId, { type: NodeType.Element }>;

const FRAME_TAGS = new Set(['iframe', 'frame']);
/** Attributes the placeholder keeps, so that the page's own CSS still puts it where the frame was. */
const KEPT = ['id', 'class', 'style'] as const;

export const isFrameTag = (tag: string): boolean => FRAME_TAGS.has(tag.toLowerCase());

/**
 * Whether `element` is a frame whose document this page cannot read, or will show one: its document is
 * out of reach (another origin, or a sandbox without `allow-same-origin`), or its `src` points at another
 * origin (while it loads, a frame still holds the empty document of its parent's origin).
 */
export function isForeignFrame(element: Element): boolean {
  if (!isFrameTag(element.localName)) return false;
  try {
    if ((element as HTMLIFrameElement).contentDocument === null && element.isConnected) return true;
  } catch {
    return true;
  }
  // srcdoc wins over src, and is a document of this origin (its contents are recorded as the frame's own).
  if (element.hasAttribute('srcdoc')) return false;
  const src = element.getAttribute('src')?.trim();
  if (!src) return false;
  let url: URL;
  try {
    url = new URL(src, element.baseURI);
  } catch {
    return true;
  }
  if (url.protocol === 'about:' || url.protocol === 'javascript:') return false;
  // blob: URLs carry their creator's origin; data: URLs have none of their own (`null`): another origin.
  return url.origin !== element.ownerDocument.location.origin;
}

/** The serialised frame, turned into the placeholder in place: no address, no contents, its size. */
export function toForeignPlaceholder(node: SerializedElement, element: Element | null, keep: (value: string) => string): void {
  const box = element?.getBoundingClientRect();
  const attributes: SerializedAttributes = { [PLACEHOLDER_ATTRIBUTE]: 'other-site' };
  for (const name of KEPT) {
    const value = node.attributes[name];
    if (typeof value === 'string') attributes[name] = keep(value);
  }
  // The page's CSS for `iframe` does not match a div: its place in the layout goes with it, inline.
  const layout = element ? layoutOf(element) : '';
  if (layout) attributes.style = attributes.style ? `${layout} ${attributes.style}` : layout;
  attributes.rr_width = `${box?.width ?? 0}px`;
  attributes.rr_height = `${box?.height ?? 0}px`;
  node.tagName = 'div';
  node.attributes = attributes;
  node.childNodes = [];
  delete node.isSVG;
}

/** How the frame sits in the page (display, margins, float), as inline CSS for the placeholder. */
function layoutOf(element: Element): string {
  const view = element.ownerDocument.defaultView;
  const style = view?.getComputedStyle(element);
  if (!style) return '';
  // A placeholder centres its label: an inline frame becomes inline-flex, a block one flex.
  const display = style.display === 'inline' ? 'inline-flex' : style.display === 'block' ? 'flex' : style.display;
  return `display: ${display}; margin: ${style.marginTop} ${style.marginRight} ${style.marginBottom} ${style.marginLeft}; float: ${style.float}; vertical-align: ${style.verticalAlign};`;
}

/** Of a change to such a frame's attributes, what still applies to its placeholder (where it sits). */
export function foreignFrameAttributes<T extends Record<string, unknown>>(attributes: T): T {
  const kept = {} as Record<string, unknown>;
  for (const name of KEPT) if (name in attributes) kept[name] = attributes[name];
  return kept as T;
}
