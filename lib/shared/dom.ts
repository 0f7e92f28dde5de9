/**
 * Small DOM helpers for the masking rules that must work across shadow roots and same-origin frames,
 * where `Element.closest` stops (a `data-meekijk-mask` host must cover its shadow tree too) and where
 * `instanceof` fails (each frame has its own HTMLInputElement).
 */

const ELEMENT_NODE = 1;
const DOCUMENT_FRAGMENT_NODE = 11;

export function isElement(node: Node | null | undefined): node is Element {
  return !!node && node.nodeType === ELEMENT_NODE;
}

function isShadowRoot(node: Node | null | undefined): node is ShadowRoot {
  return !!node && node.nodeType === DOCUMENT_FRAGMENT_NODE && 'host' in node;
}

/** The element a node belongs to: itself, its parent element, or the host of the shadow root it sits in. */
export function ownerElement(node: Node): Element | null {
  if (isElement(node)) return node;
  if (isShadowRoot(node)) return node.host;
  const parent = node.parentNode;
  if (isElement(parent)) return parent;
  return isShadowRoot(parent) ? parent.host : null;
}

export function safeMatches(element: Element, selector: string): boolean {
  try {
    return element.matches(selector);
  } catch {
    return false;
  }
}

/** Like `closest`, but it climbs out of shadow roots and same-origin frames. */
export function composedClosest(node: Node, selector: string): Element | null {
  let element = ownerElement(node);
  while (element) {
    let found: Element | null = null;
    try {
      found = element.closest(selector);
    } catch {
      return null;
    }
    if (found) return found;
    const root = element.getRootNode();
    element = isShadowRoot(root) ? root.host : frameOf(root);
  }
  return null;
}

/** The iframe element a same-origin document is shown in, or null (top document, cross-origin parent). */
export function frameOf(root: Node): Element | null {
  try {
    return (root as Document).defaultView?.frameElement ?? null;
  } catch {
    return null;
  }
}

/** True when the browser accepts `selector` (site rules come from configuration; a typo must not break recording). */
export function isValidSelector(selector: string, doc: Document = document): boolean {
  try {
    doc.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}
