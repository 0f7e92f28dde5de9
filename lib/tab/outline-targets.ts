/**
 * What the technician cannot see, found with the same rules the recorder applies (lib/shared/mask.ts):
 * masked fields and text, parts the site blocks, parts the customer hid. Looks into open shadow roots and
 * same-origin frames, as the recorder does.
 */
import { composedClosest } from '@/lib/shared/dom';
import {
  HIDDEN_ATTRIBUTE,
  UI_TAG,
  isFormField,
  isLabelInput,
  mayReveal,
  type MaskRules,
  type PasswordMemory,
} from '@/lib/shared/mask';

export type OutlineKind = 'masked' | 'blocked' | 'hidden';

export interface OutlineTarget {
  element: Element;
  kind: OutlineKind;
  /** The iframes it sits in, outermost first (their offsets add up). */
  frames: HTMLIFrameElement[];
}

export interface TargetOptions {
  rules: MaskRules;
  passwords: PasswordMemory;
  /** The customer's own hidden parts (by mark or remembered selector). */
  isHidden: (element: Element) => boolean;
  limit?: number;
}

export function findTargets(doc: Document, { rules, passwords, isHidden, limit = 400 }: TargetOptions): OutlineTarget[] {
  const found: OutlineTarget[] = [];
  const fields = `input, textarea, select, ${rules.maskTextSelector}`;

  const visit = (root: Document | ShadowRoot, frames: HTMLIFrameElement[]) => {
    for (const element of safeQuery(root, `${rules.blockSelector}, [${HIDDEN_ATTRIBUTE}]`)) {
      if (found.length >= limit) return;
      if (element.localName === UI_TAG || hasBlockedAncestor(element, rules)) continue;
      found.push({ element, kind: isHidden(element) || element.hasAttribute(HIDDEN_ATTRIBUTE) ? 'hidden' : 'blocked', frames });
    }
    for (const element of safeQuery(root, fields)) {
      if (found.length >= limit) return;
      if (isFormField(element) && (isLabelInput(element) || mayReveal(element, rules, passwords))) continue;
      if (composedClosest(element, rules.blockSelector) || isHidden(element)) continue;
      // One outline for a masked region, not one for every paragraph inside it.
      const parent = element.parentElement;
      if (parent && composedClosest(parent, rules.maskTextSelector)) continue;
      found.push({ element, kind: 'masked', frames });
    }
    for (const element of safeQuery(root, '*')) {
      if (found.length >= limit) return;
      if (element.localName === UI_TAG) continue;
      if (element.shadowRoot) visit(element.shadowRoot, frames);
      if (element.localName === 'iframe') {
        const inner = frameDocument(element as HTMLIFrameElement);
        if (inner && !composedClosest(element, rules.blockSelector)) visit(inner, [...frames, element as HTMLIFrameElement]);
      }
    }
  };
  visit(doc, []);
  return found;
}

function hasBlockedAncestor(element: Element, rules: MaskRules): boolean {
  const parent = element.parentElement ?? (element.parentNode as ShadowRoot | null)?.host ?? null;
  return parent ? composedClosest(parent, rules.blockSelector) !== null : false;
}

function safeQuery(root: Document | ShadowRoot, selector: string): Element[] {
  try {
    return [...root.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

function frameDocument(frame: HTMLIFrameElement): Document | null {
  try {
    return frame.contentDocument;
  } catch {
    return null;
  }
}

/** The element's box in the top window's viewport. */
export function viewportRect(target: OutlineTarget): DOMRect {
  const rect = target.element.getBoundingClientRect();
  let x = rect.left;
  let y = rect.top;
  for (const frame of target.frames) {
    const outer = frame.getBoundingClientRect();
    x += outer.left + frame.clientLeft;
    y += outer.top + frame.clientTop;
  }
  return new DOMRect(x, y, rect.width, rect.height);
}
