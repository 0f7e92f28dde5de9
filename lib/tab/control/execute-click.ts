/**
 * Executes an approved remote click in the isolated world (issue 6): checks the target, scrolls it into
 * view if needed, and fires what a mouse click fires (pointer and mouse events, focus, click). Also the
 * technician's scroll. Called only by lib/tab/control/tab-control.ts, only while control is granted.
 *
 * The events are synthetic (isTrusted false): an extension cannot forge a real user gesture without the
 * debugger permission, which Meekijk does not ask for. Links, buttons, checkboxes and forms work (the
 * browser runs a click's activation behaviour for dispatched clicks); native pickers (a <select>'s list,
 * a file dialog) do not open.
 */
import { composedClosest } from '@/lib/shared/dom';
import { UI_TAG } from '@/lib/shared/mask';
import type { ClickRefusal, ClickTarget } from '@/lib/protocol/control';

/** Sites mark what a technician may never click, such as a pay button (docs/site-owners.md). */
export const NO_CONTROL_ATTRIBUTE = 'data-meekijk-no-control';

export type ClickResult = { ok: true; target: ClickTarget; point: { x: number; y: number } } | { ok: false; reason: ClickRefusal };

/** Why `element` may not be clicked remotely, or null when it may. */
export function refusalFor(element: Element, blockSelector: string): ClickRefusal | null {
  if (!element.isConnected) return 'stale-node';
  if (composedClosest(element, UI_TAG)) return 'own-ui';
  if (composedClosest(element, `[${NO_CONTROL_ATTRIBUTE}]`)) return 'no-control-zone';
  // What the technician cannot see (blocked, hidden by the customer) is not clicked blind.
  if (composedClosest(element, blockSelector)) return 'blocked';
  return null;
}

/** The point (x, y) of the element's box in viewport pixels, scrolling it into view when it is outside. */
function pointIn(element: Element, x: number, y: number, win: Window): { x: number; y: number } | null {
  const at = () => {
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return null;
    return { x: rect.left + x * rect.width, y: rect.top + y * rect.height };
  };
  const inside = (p: { x: number; y: number }) => p.x >= 0 && p.y >= 0 && p.x < win.innerWidth && p.y < win.innerHeight;
  let point = at();
  if (!point) return null;
  if (!inside(point)) {
    element.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
    point = at();
  }
  return point && inside(point) ? point : null;
}

export function executeClick(element: Element, x: number, y: number, blockSelector: string, win: Window = window): ClickResult {
  const refused = refusalFor(element, blockSelector);
  if (refused) return { ok: false, reason: refused };
  const point = pointIn(element, x, y, win);
  if (!point) return { ok: false, reason: 'not-visible' };
  // Like a real click, the event goes to the innermost element under the pointer, if that lies inside
  // the node the technician clicked (a <span> in a <button>); anything on top of it is not clicked.
  const hit = win.document.elementFromPoint(point.x, point.y);
  const target = hit && hit !== element && element.contains(hit) ? hit : element;
  const refusedInner = target === element ? null : refusalFor(target, blockSelector);
  if (refusedInner) return { ok: false, reason: refusedInner };
  dispatchClick(target, point, win);
  // The record names what was operated (the button, not the <span> inside it).
  return { ok: true, target: describeElement(target.closest(ACTIONABLE) ?? target), point };
}

function dispatchClick(target: Element, point: { x: number; y: number }, win: Window) {
  const base = { bubbles: true, cancelable: true, composed: true, view: win, clientX: point.x, clientY: point.y, screenX: point.x, screenY: point.y, button: 0 };
  const pointer = { ...base, pointerId: 1, pointerType: 'mouse', isPrimary: true, width: 1, height: 1 };
  const fire = (event: Event) => target.dispatchEvent(event);
  fire(new PointerEvent('pointerover', pointer));
  fire(new PointerEvent('pointerenter', { ...pointer, bubbles: false, cancelable: false }));
  fire(new MouseEvent('mouseover', base));
  fire(new MouseEvent('mouseenter', { ...base, bubbles: false, cancelable: false }));
  fire(new PointerEvent('pointermove', pointer));
  fire(new MouseEvent('mousemove', base));
  const down = fire(new PointerEvent('pointerdown', { ...pointer, buttons: 1 }));
  const mouseDown = down && fire(new MouseEvent('mousedown', { ...base, buttons: 1, detail: 1 }));
  if (mouseDown) focusFor(target)?.focus({ preventScroll: true });
  fire(new PointerEvent('pointerup', pointer));
  fire(new MouseEvent('mouseup', { ...base, detail: 1 }));
  fire(new MouseEvent('click', { ...base, detail: 1 }));
}

const ACTIONABLE = 'a[href], area[href], button, input, select, textarea, summary, label, option, [role], [onclick]';
const FOCUSABLE = 'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]:not([contenteditable="false"])';

function focusFor(target: Element): HTMLElement | null {
  const focusable = target.closest(FOCUSABLE);
  return focusable && 'focus' in focusable ? (focusable as HTMLElement) : null;
}

const ROLES = new Set([
  'button', 'checkbox', 'combobox', 'gridcell', 'heading', 'img', 'link', 'listbox', 'listitem', 'menu', 'menuitem',
  'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row', 'searchbox', 'slider', 'spinbutton', 'switch', 'tab',
  'textbox', 'treeitem', 'dialog', 'navigation', 'region', 'cell', 'columnheader', 'rowheader', 'progressbar', 'form',
]);

const INPUT_ROLES: Record<string, string> = {
  checkbox: 'checkbox', radio: 'radio', button: 'button', submit: 'button', reset: 'button', image: 'button',
  range: 'slider', number: 'spinbutton', search: 'searchbox',
};

/** Tag and role, nothing the customer wrote or sees: no text, value, id, class, name or link. */
export function describeElement(element: Element): ClickTarget {
  const tag = element.localName.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 40);
  return { tag: /^[a-z]/.test(tag) ? tag : 'element', role: roleOf(element) };
}

function roleOf(element: Element): string | null {
  const explicit = element.getAttribute('role')?.trim().split(/\s+/)[0]?.toLowerCase();
  if (explicit && ROLES.has(explicit)) return explicit;
  switch (element.localName) {
    case 'a':
    case 'area':
      return element.hasAttribute('href') ? 'link' : null;
    case 'button':
    case 'summary':
      return 'button';
    case 'input':
      return INPUT_ROLES[(element.getAttribute('type') ?? 'text').toLowerCase()] ?? 'textbox';
    case 'textarea':
      return 'textbox';
    case 'select':
      return 'combobox';
    case 'option':
      return 'option';
    case 'img':
      return 'img';
    case 'li':
      return 'listitem';
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      return 'heading';
    default:
      return null;
  }
}

/** The technician's wheel at (x, y) of the viewport: scrolls what a wheel there would scroll. */
export function executeScroll(x: number, y: number, dx: number, dy: number, blockSelector: string, win: Window = window): boolean {
  const px = x * win.innerWidth;
  const py = y * win.innerHeight;
  let element: Element | null = win.document.elementFromPoint(px, py);
  while (element && element !== win.document.documentElement && element !== win.document.body) {
    if (scrollable(element, dx, dy, win)) {
      if (refusalFor(element, blockSelector)) return false;
      element.scrollBy({ left: dx, top: dy, behavior: 'instant' });
      return true;
    }
    element = element.parentElement;
  }
  win.scrollBy({ left: dx, top: dy, behavior: 'instant' });
  return true;
}

function scrollable(element: Element, dx: number, dy: number, win: Window): boolean {
  const style = win.getComputedStyle(element);
  const can = (overflow: string) => overflow === 'auto' || overflow === 'scroll' || overflow === 'overlay';
  return (
    (dy !== 0 && can(style.overflowY) && element.scrollHeight > element.clientHeight) ||
    (dx !== 0 && can(style.overflowX) && element.scrollWidth > element.clientWidth)
  );
}
