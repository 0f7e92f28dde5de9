/**
 * Choosing what to hide: while picking, a transparent layer in our closed shadow root catches the
 * pointer (the page gets no clicks), the part under it is highlighted, and one real click hides it.
 * Arrow up takes the surrounding part, arrow down goes back; Enter hides, Esc stops. Looks into open
 * shadow roots and same-origin frames, like the recorder.
 */
import { UI_TAG } from '@/lib/shared/mask';

export interface PickerOptions {
  root: ShadowRoot;
  doc?: Document;
  t: (key: string) => string;
  onPick: (element: Element) => void;
  onCancel: () => void;
}

export function startPicker({ root, doc = document, t, onPick, onCancel }: PickerOptions): () => void {
  const win = doc.defaultView ?? window;
  const catcher = doc.createElement('div');
  catcher.className = 'catcher';
  const box = doc.createElement('div');
  box.className = 'pick';
  box.hidden = true;
  const tip = doc.createElement('b');
  tip.textContent = t('privacyPickTarget');
  box.append(tip);
  root.prepend(catcher, box);

  let candidate: Element | null = null;
  let smaller: Element[] = [];

  const show = () => {
    if (!candidate) {
      box.hidden = true;
      return;
    }
    const rect = rectInTop(candidate);
    box.hidden = false;
    box.style.cssText = `left:${rect.left}px;top:${rect.top}px;width:${rect.width}px;height:${rect.height}px`;
  };
  const choose = (element: Element | null) => {
    candidate = element;
    smaller = [];
    show();
  };

  const abort = new AbortController();
  const { signal } = abort;
  catcher.addEventListener('pointermove', (event) => choose(partAt(doc, event.clientX, event.clientY)), { signal });
  catcher.addEventListener(
    'click',
    (event) => {
      event.preventDefault();
      const picked = partAt(doc, event.clientX, event.clientY) ?? candidate;
      if (event.isTrusted && picked) onPick(candidate && candidate.contains(picked) ? candidate : picked);
    },
    { signal },
  );
  win.addEventListener(
    'keydown',
    (event) => {
      if (!event.isTrusted) return;
      if (event.key === 'Escape') onCancel();
      else if (event.key === 'Enter' && candidate) onPick(candidate);
      else if (event.key === 'ArrowUp' && candidate) {
        const parent = outer(candidate);
        if (parent && parent !== doc.documentElement) {
          smaller.push(candidate);
          candidate = parent;
          show();
        }
      } else if (event.key === 'ArrowDown' && smaller.length) {
        candidate = smaller.pop() ?? candidate;
        show();
      } else return;
      event.preventDefault();
      event.stopPropagation();
    },
    { capture: true, signal },
  );

  return () => {
    abort.abort();
    catcher.remove();
    box.remove();
  };
}

/** The part of the page under a point: through open shadow roots and same-origin frames, widened from inline bits to their block. */
function partAt(doc: Document, x: number, y: number): Element | null {
  let hit = doc.elementsFromPoint(x, y).find((el) => el.localName !== UI_TAG) ?? null;
  let offsetX = x;
  let offsetY = y;
  for (let depth = 0; hit && depth < 10; depth++) {
    const shadow: ShadowRoot | null = hit.shadowRoot;
    const inner: Element | null | undefined = shadow
      ? shadow.elementsFromPoint(offsetX, offsetY).find((el) => el !== hit && shadow.contains(el))
      : hit.localName === 'iframe'
        ? frameHit(hit as HTMLIFrameElement, offsetX, offsetY, (dx, dy) => ((offsetX -= dx), (offsetY -= dy)))
        : null;
    if (!inner) break;
    hit = inner;
  }
  while (hit && isInline(hit) && hit.parentElement && hit.parentElement.localName !== 'body') hit = hit.parentElement;
  if (!hit || hit.localName === 'html' || hit.localName === 'body') return null;
  return hit;
}

function frameHit(frame: HTMLIFrameElement, x: number, y: number, shift: (dx: number, dy: number) => void): Element | null {
  try {
    const inner = frame.contentDocument;
    if (!inner) return null;
    const rect = frame.getBoundingClientRect();
    const dx = rect.left + frame.clientLeft;
    const dy = rect.top + frame.clientTop;
    shift(dx, dy);
    return inner.elementFromPoint(x - dx, y - dy);
  } catch {
    return null;
  }
}

const KEEP_INLINE = new Set(['input', 'textarea', 'select', 'img', 'video', 'canvas', 'svg', 'iframe', 'button']);

function isInline(element: Element): boolean {
  if (KEEP_INLINE.has(element.localName)) return false;
  const view = element.ownerDocument.defaultView;
  return (view?.getComputedStyle(element).display ?? 'block').startsWith('inline');
}

function outer(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.getRootNode();
  if ('host' in root) return (root as ShadowRoot).host;
  return element.ownerDocument.defaultView?.frameElement ?? null;
}

function rectInTop(element: Element): DOMRect {
  const rect = element.getBoundingClientRect();
  let x = rect.left;
  let y = rect.top;
  let frame = element.ownerDocument.defaultView?.frameElement ?? null;
  while (frame) {
    const outerRect = frame.getBoundingClientRect();
    x += outerRect.left + frame.clientLeft;
    y += outerRect.top + frame.clientTop;
    frame = frame.ownerDocument.defaultView?.frameElement ?? null;
  }
  return new DOMRect(x, y, rect.width, rect.height);
}
