/**
 * The parts of the page the customer hid ("verberg dit"). Each is marked with data-meekijk-hidden (so the
 * recorder blocks it at once and the outline shows it) and, where possible, remembered as a selector the
 * recorder blocks as well, so a re-rendered copy stays hidden (and gets the mark again). Only the
 * customer unhides: if a page script takes the mark away, it is put back. When the session ends, every
 * mark is removed again.
 */
import { HIDDEN_ATTRIBUTE } from '@/lib/shared/mask';
import { selectorFor } from './hide-selector';

interface Entry {
  element: Element;
  selector: string | null;
}

export interface HideState {
  hide(element: Element): void;
  /** Unhides the part this element belongs to (found by element or by its remembered selector). */
  unhide(element: Element): void;
  unhideAll(): void;
  /** The hidden part an element is (or sits inside), if any. */
  hiddenPartOf(element: Element): Element | null;
  readonly count: number;
  selectors(): string[];
  stop(): void;
}

export function createHideState({ onChange, doc = document }: { onChange: (selectors: string[]) => void; doc?: Document }): HideState {
  const entries: Entry[] = [];
  const selectors = () => entries.flatMap((e) => (e.selector ? [e.selector] : []));
  const changed = () => onChange(selectors());

  const entryFor = (element: Element): Entry | undefined =>
    entries.find((e) => e.element === element || e.element.contains(element) || (e.selector !== null && matches(element, e.selector)));

  // One observer keeps every mark in place: put back when removed, carried over to a re-rendered copy.
  const guard = new MutationObserver(() => {
    let restored = false;
    for (const entry of entries) {
      if (!entry.element.isConnected && entry.selector) {
        const copy = doc.querySelector(entry.selector);
        if (copy) entry.element = copy;
      }
      if (entry.element.isConnected && !entry.element.hasAttribute(HIDDEN_ATTRIBUTE)) {
        entry.element.setAttribute(HIDDEN_ATTRIBUTE, '');
        restored = true;
      }
    }
    // A fresh snapshot, so nothing shown in the gap stays in the technician's view.
    if (restored) changed();
  });
  const watch = () => {
    guard.disconnect();
    if (entries.length === 0) return;
    guard.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: [HIDDEN_ATTRIBUTE] });
    for (const entry of entries) {
      const root = entry.element.getRootNode();
      if (root !== doc) guard.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: [HIDDEN_ATTRIBUTE] });
    }
  };

  const remove = (entry: Entry) => {
    entries.splice(entries.indexOf(entry), 1);
    entry.element.removeAttribute(HIDDEN_ATTRIBUTE);
  };

  return {
    hide(element) {
      if (entryFor(element)) return;
      element.setAttribute(HIDDEN_ATTRIBUTE, '');
      entries.push({ element, selector: selectorFor(element) });
      watch();
      changed();
    },
    unhide(element) {
      const entry = entryFor(element);
      if (!entry) return;
      remove(entry);
      watch();
      changed();
    },
    unhideAll() {
      if (entries.length === 0) return;
      [...entries].forEach(remove);
      watch();
      changed();
    },
    hiddenPartOf(element) {
      return entryFor(element)?.element ?? null;
    },
    get count() {
      return entries.length;
    },
    selectors,
    stop() {
      guard.disconnect();
      [...entries].forEach(remove);
    },
  };
}

function matches(element: Element, selector: string): boolean {
  try {
    return element.matches(selector);
  } catch {
    return false;
  }
}
