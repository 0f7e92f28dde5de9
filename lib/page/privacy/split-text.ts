/**
 * Text a page split over several nodes of one element: a live Markdown preview renders "Jan *de* Vries"
 * as "Jan ", <em>de</em>, " Vries"; a card preview puts each group of four in its own <span>. No node
 * alone holds the value, so each text node is also looked at in its context: the nearest element that is
 * not inline formatting, its text taken whole. A text node that overlaps something the gate would not let
 * leave there is masked entirely (terms art. 2.1).
 *
 * Cost: a context's text is built once per event and shared by all its text nodes; contexts with a single
 * text node are never built (the node's own check covered it), nor very long ones (MAX_CONTEXT).
 */
import type { Range } from '@/lib/shared/privacy/match';

/** Elements that format a run of text inside a block rather than start one. */
const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q',
  's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var',
]);
const MAX_CLIMB = 4;
const MAX_CONTEXT = 4000;
const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

interface Context {
  /** Ranges of the context's text that may not leave, or null when there is nothing to look at. */
  ranges: Range[] | null;
  offsets: Map<Node, number>;
}

export interface SplitText {
  /** True when `node` is part of a value split across its context's text nodes. */
  overlaps(node: Node): boolean;
  /** Forget the contexts built for the last event (the page changes between events). */
  reset(): void;
}

export function createSplitText(find: (text: string) => Range[]): SplitText {
  let contexts = new Map<Element, Context>();

  const contextOf = (node: Node): Element | null => {
    let element = node.parentNode?.nodeType === ELEMENT_NODE ? (node.parentNode as Element) : null;
    for (let i = 0; element && i < MAX_CLIMB && INLINE.has(element.localName); i++) {
      const parent = element.parentNode;
      if (parent?.nodeType !== ELEMENT_NODE) break;
      element = parent as Element;
    }
    return element;
  };

  const build = (element: Element): Context => {
    const offsets = new Map<Node, number>();
    let text = '';
    const doc = element.ownerDocument;
    const walker = doc.createTreeWalker(element, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      offsets.set(node, text.length);
      text += (node as Text).data;
      if (text.length > MAX_CONTEXT) return { ranges: null, offsets };
    }
    return { ranges: offsets.size > 1 ? find(text) : null, offsets };
  };

  return {
    overlaps(node) {
      if (node.nodeType !== TEXT_NODE) return false;
      // A lone text node in a block element: its own check was the whole story.
      const parent = node.parentNode;
      if (!parent || (!node.previousSibling && !node.nextSibling && !INLINE.has((parent as Element).localName ?? ''))) return false;
      const element = contextOf(node);
      if (!element) return false;
      let context = contexts.get(element);
      if (!context) contexts.set(element, (context = build(element)));
      const start = context.offsets.get(node);
      if (!context.ranges?.length || start === undefined) return false;
      const end = start + (node as Text).data.length;
      // Ranges inside this node alone are the node's own check's to mask (only the value, not its words around).
      return context.ranges.some((range) => range.start < end && range.end > start && (range.start < start || range.end > end));
    },
    reset() {
      if (contexts.size) contexts = new Map();
    },
  };
}
