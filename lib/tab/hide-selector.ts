/**
 * A selector that finds a part of the page again after the page re-renders it (frameworks replace DOM
 * nodes), so what the customer hid stays hidden. An id if the page gives one that is unique, otherwise
 * the path of `tag:nth-of-type(n)` steps from the nearest ancestor with a unique id. If the page shifts,
 * the path may land on a neighbour: that hides more, never less.
 */

export function selectorFor(element: Element): string | null {
  const doc = element.ownerDocument;
  // Inside a shadow root or a frame a path from the document root cannot reach it; the attribute that
  // marks the element itself covers those.
  if (element.getRootNode() !== doc || doc.defaultView !== doc.defaultView?.top) return null;
  const steps: string[] = [];
  let current: Element | null = element;
  while (current && current !== doc.documentElement) {
    const id = uniqueId(current);
    if (id) {
      steps.unshift(id);
      return steps.join(' > ');
    }
    steps.unshift(step(current));
    current = current.parentElement;
  }
  steps.unshift(':root');
  return steps.join(' > ');
}

function uniqueId(element: Element): string | null {
  if (!element.id) return null;
  const selector = `#${cssEscape(element.id)}`;
  try {
    return element.ownerDocument.querySelectorAll(selector).length === 1 ? selector : null;
  } catch {
    return null;
  }
}

function step(element: Element): string {
  const tag = cssEscape(element.localName);
  let index = 1;
  for (let sibling = element.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
    if (sibling.localName === element.localName) index++;
  }
  return `${tag}:nth-of-type(${index})`;
}

function cssEscape(value: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(value) : value.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c}`);
}
