/**
 * On the customer's own screen: an outline around everything the technician cannot see (masked fields
 * and text dashed, blocked and hidden parts hatched), so they can check at a glance. Drawn in a closed
 * shadow root on a <meekijk-ui> host, which the recorder blocks: none of it is ever sent.
 * Parts the customer hid carry a "show again" button; only a real click on it counts.
 */
import { BLOCK_ATTRIBUTE, HIDDEN_ATTRIBUTE, MASK_ATTRIBUTE, UNMASK_ATTRIBUTE } from '@/lib/shared/mask';
import { mountUiHost } from './ui-host';
import { OUTLINE_STYLE } from './outline-styles';
import { viewportRect, type OutlineTarget } from './outline-targets';

const SCAN_INTERVAL_MS = 1000;
/** Attributes that change what is masked, and `style`, which moves things around. */
const WATCHED_ATTRIBUTES = ['type', 'contenteditable', 'autocomplete', 'class', 'style', MASK_ATTRIBUTE, BLOCK_ATTRIBUTE, HIDDEN_ATTRIBUTE, UNMASK_ATTRIBUTE];

export interface OutlineOptions {
  doc?: Document;
  t: (key: string) => string;
  targets: () => OutlineTarget[];
  onUnhide: (element: Element) => void;
}

export interface Outline {
  /** The page changed: look for targets again (throttled). */
  rescan(): void;
  setVisible(visible: boolean): void;
  stop(): void;
}

export function showOutline({ doc = document, t, targets, onUnhide }: OutlineOptions): Outline {
  const win = doc.defaultView ?? window;
  const layer = doc.createElement('div');
  layer.className = 'layer';
  const ui = mountUiHost(doc, OUTLINE_STYLE, layer);
  const host = ui.host;

  let current: OutlineTarget[] = [];
  let visible = true;
  let frame = 0;
  let lastScan = 0;
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  const boxes: HTMLDivElement[] = [];

  const box = (index: number): HTMLDivElement => {
    let div = boxes[index];
    if (!div) {
      div = doc.createElement('div');
      boxes[index] = div;
      layer.append(div);
    }
    return div;
  };

  const draw = () => {
    frame = 0;
    let used = 0;
    if (visible) {
      for (const target of current) {
        if (!target.element.isConnected) continue;
        const rect = viewportRect(target);
        if (rect.width < 2 || rect.height < 2 || rect.bottom < 0 || rect.right < 0 || rect.top > win.innerHeight || rect.left > win.innerWidth) continue;
        const div = box(used++);
        const inside = rect.top < 22;
        div.className = `box ${target.kind}${inside ? ' inside' : ''}`;
        div.style.cssText = `left:${rect.left}px;top:${rect.top}px;width:${rect.width}px;height:${rect.height}px`;
        label(div, target);
      }
    }
    for (let i = used; i < boxes.length; i++) boxes[i]!.style.cssText = 'display:none';
  };

  const label = (div: HTMLDivElement, target: OutlineTarget) => {
    if (div.dataset.kind === target.kind && div.firstChild) {
      (div.firstChild as HTMLElement & { target?: Element }).target = target.element;
      return;
    }
    div.dataset.kind = target.kind;
    div.replaceChildren();
    if (target.kind === 'masked') return;
    const tag = doc.createElement('div') as HTMLDivElement & { target?: Element };
    tag.className = 'tag';
    tag.target = target.element;
    const byCustomer = target.kind === 'hidden';
    tag.append(t(byCustomer ? 'privacyHiddenByYou' : 'privacyHiddenBySite'));
    if (byCustomer) {
      const again = doc.createElement('button');
      again.type = 'button';
      again.textContent = t('privacyShowAgain');
      again.addEventListener('click', (event) => {
        // Unhiding is the customer's alone: a page script's synthetic click does nothing.
        if (event.isTrusted && tag.target) onUnhide(tag.target);
      });
      tag.append(again);
    }
    div.append(tag);
  };

  const schedule = () => {
    if (!frame) frame = win.requestAnimationFrame(draw);
  };
  const scan = () => {
    scanTimer = undefined;
    lastScan = Date.now();
    current = visible ? targets() : [];
    schedule();
  };
  const rescan = () => {
    if (scanTimer) return;
    // A full scan walks the page (shadow roots and frames too): at most once a second.
    scanTimer = setTimeout(scan, Math.max(0, SCAN_INTERVAL_MS - (Date.now() - lastScan)));
  };

  const abort = new AbortController();
  win.addEventListener('scroll', schedule, { capture: true, passive: true, signal: abort.signal });
  win.addEventListener('resize', rescan, { signal: abort.signal });
  const observer = new MutationObserver((records) => {
    if (records.every((r) => r.target === host || host.contains(r.target))) return;
    schedule(); // layout may have moved: redraw the boxes we have
    if (records.some((r) => r.type === 'childList' || r.attributeName !== 'style')) rescan();
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  scan();

  return {
    rescan,
    setVisible(next) {
      visible = next;
      scan();
    },
    stop() {
      abort.abort();
      observer.disconnect();
      if (scanTimer) clearTimeout(scanTimer);
      if (frame) win.cancelAnimationFrame(frame);
      ui.remove();
    },
  };
}
