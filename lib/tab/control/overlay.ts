/**
 * What the technician's hand looks like on the customer's page (issue 6): a laser dot with their name
 * where they point (no control needed), their cursor while they have control, and a ring where a remote
 * click landed. Drawn in a closed shadow root inside a `meekijk-ui` host, which the recorder blocks: it
 * never reaches the recording. It takes no pointer events, and it is a zero-size box, so it covers
 * nothing (the control prompt's visibility check stays true).
 */
import { mountUiHost } from '@/lib/tab/ui-host';

/** The laser dot fades this long after the technician stops pointing. */
export const POINTER_LINGER_MS = 1_500;
export const MARKER_MS = 900;

const STYLE = `
.layer { position: fixed; z-index: 2147483646; left: 0; top: 0; width: 0; height: 0; overflow: visible; pointer-events: none; }
.hand { position: absolute; left: 0; top: 0; display: none; pointer-events: none; }
.hand.on { display: block; }
.dot { position: absolute; left: -9px; top: -9px; width: 18px; height: 18px; border-radius: 50%; background: #f04438;
  box-shadow: 0 0 0 4px rgba(240,68,56,.35), 0 0 16px 4px rgba(240,68,56,.6); }
.arrow { position: absolute; left: 0; top: 0; width: 22px; height: 22px; display: none; }
.cursor .dot { display: none; }
.cursor .arrow { display: block; }
.name { position: absolute; left: 16px; top: 16px; white-space: nowrap; padding: 2px 8px; border-radius: 6px; background: #7a2e0e; color: #fff;
  font: 600 12px/1.5 system-ui, sans-serif; }
.ring { position: absolute; width: 36px; height: 36px; margin: -18px 0 0 -18px; border-radius: 50%; border: 3px solid #f04438;
  animation: ring ${MARKER_MS}ms ease-out forwards; pointer-events: none; }
@keyframes ring { from { transform: scale(.3); opacity: 1; } to { transform: scale(1.6); opacity: 0; } }
`;

function arrow(doc: Document): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = doc.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 22 22');
  svg.setAttribute('class', 'arrow');
  const path = doc.createElementNS(ns, 'path');
  path.setAttribute('d', 'M2 2 L2 18 L7 13.5 L10.5 20.5 L13.5 19 L10 12 L17 12 Z');
  path.setAttribute('fill', '#7a2e0e');
  path.setAttribute('stroke', '#fff');
  path.setAttribute('stroke-width', '1.5');
  svg.append(path);
  return svg;
}

export interface Overlay {
  /** The technician points at viewport pixel (x, y). */
  point(x: number, y: number): void;
  /** With control the hand is a cursor, without it a laser dot. */
  setMode(mode: 'laser' | 'cursor'): void;
  /** A remote click landed at viewport pixel (x, y). */
  marker(x: number, y: number): void;
  remove(): void;
}

export function showOverlay(technicianName: string, doc: Document = document): Overlay {
  const layer = doc.createElement('div');
  layer.className = 'layer';
  layer.setAttribute('aria-hidden', 'true');
  const hand = doc.createElement('div');
  hand.className = 'hand';
  const dot = doc.createElement('div');
  dot.className = 'dot';
  const name = doc.createElement('div');
  name.className = 'name';
  name.textContent = technicianName;
  hand.append(arrow(doc), dot, name);
  layer.append(hand);
  const ui = mountUiHost(doc, STYLE, layer);

  let fade: ReturnType<typeof setTimeout> | undefined;
  let mode: 'laser' | 'cursor' = 'laser';
  return {
    point(x, y) {
      hand.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
      hand.classList.add('on');
      clearTimeout(fade);
      // The cursor stays while control lasts; the laser dot is short-lived.
      if (mode === 'laser') fade = setTimeout(() => hand.classList.remove('on'), POINTER_LINGER_MS);
    },
    setMode(next) {
      mode = next;
      hand.classList.toggle('cursor', next === 'cursor');
      if (next === 'laser') {
        clearTimeout(fade);
        hand.classList.remove('on');
      }
    },
    marker(x, y) {
      const ring = doc.createElement('div');
      ring.className = 'ring';
      ring.style.left = `${Math.round(x)}px`;
      ring.style.top = `${Math.round(y)}px`;
      layer.append(ring);
      setTimeout(() => ring.remove(), MARKER_MS + 100);
    },
    remove() {
      clearTimeout(fade);
      ui.remove();
    },
  };
}
