/**
 * The always-visible "Reconi kijkt mee" indicator in the shared tab (art. 1.1: the customer sees at all
 * times that someone watches). It lives in a closed shadow root so page scripts can neither restyle nor
 * click it, and only a trusted (real user) click on its stop button ends the session (invariant 4).
 * The host element is blocked from the recording, so it never feeds back into the stream.
 * While the technician has control (issue 6) it says so and offers "take back control".
 * Its Stop says what it stops ("Stoppen met delen van dit tabblad met Reconi"), and Alt+Shift+S moves
 * focus to it from anywhere in the page: appended last, it would otherwise be the last Tab stop (issue 23).
 */
import browser from 'webextension-polyfill';
import { mountUiHost } from './ui-host';

export interface IndicatorOptions {
  technicianName: string;
  organisation: string;
  locale: 'nl' | 'en';
  onStop: () => void;
  /** The customer takes remote control back (a trusted click on the indicator's button). */
  onTakeBack?: () => void;
}

/** The in-page shortcut to the Stop button (moves focus there; Enter or Space then stops). */
export const STOP_SHORTCUT = { code: 'KeyS', altKey: true, shiftKey: true, label: 'Alt+Shift+S' } as const;

export interface Indicator {
  /** Shows or hides "<name> is controlling this tab" with its take-back button. */
  setControl(active: boolean): void;
  /** Says "reconnecting" while no technician is connected (issue 17: nothing is shared meanwhile). */
  setReconnecting(reconnecting: boolean): void;
  remove(): void;
}

const STYLE = `
.box { position: fixed; z-index: 2147483647; right: 16px; bottom: 16px; display: flex; align-items: center; gap: 12px;
  padding: 10px 12px 10px 14px; border-radius: 12px; background: #b42318; color: #fff; font: 600 14px/1.3 system-ui, sans-serif;
  box-shadow: 0 6px 24px rgba(0,0,0,.25); }
.dot { width: 10px; height: 10px; border-radius: 50%; background: #fff; animation: pulse 1.6s infinite; flex: none; }
@keyframes pulse { 50% { opacity: .35; } }
.who { font-weight: 400; font-size: 12px; opacity: .9; display: block; }
button { all: unset; cursor: pointer; background: #fff; color: #b42318; border-radius: 8px; padding: 6px 12px; font: 700 13px system-ui, sans-serif; }
button:focus-visible { outline: 3px solid #fff; outline-offset: 2px; }
.take-back { display: none; background: #fef0c7; color: #7a2e0e; }
.control .take-back { display: inline-block; }
.control { background: #7a2e0e; }
.reconnecting { background: #b54708; }
.reconnecting .dot { animation: none; opacity: .5; }
.reconnecting button { color: #b54708; }
`;

export function showIndicator({ technicianName, organisation, onStop, onTakeBack }: IndicatorOptions, doc: Document = document): Indicator {
  const box = doc.createElement('div');
  box.className = 'box';
  box.setAttribute('role', 'status');
  const dot = doc.createElement('span');
  dot.className = 'dot';
  const text = doc.createElement('span');
  const line = doc.createElement('span');
  line.textContent = browser.i18n.getMessage('indicatorWatching', [organisation || technicianName]);
  const who = doc.createElement('span');
  who.className = 'who';
  who.textContent = technicianName;
  text.append(line, who);
  const takeBack = doc.createElement('button');
  takeBack.type = 'button';
  takeBack.className = 'take-back';
  takeBack.dataset['action'] = 'take-back';
  takeBack.textContent = browser.i18n.getMessage('indicatorTakeBack');
  takeBack.addEventListener('click', (event) => {
    if (event.isTrusted) onTakeBack?.();
  });
  const stop = doc.createElement('button');
  stop.type = 'button';
  stop.dataset['action'] = 'stop';
  stop.textContent = browser.i18n.getMessage('indicatorStop');
  // The accessible name starts with the visible words (WCAG 2.5.3) and says what is stopped.
  stop.setAttribute('aria-label', browser.i18n.getMessage('indicatorStopLabel', [organisation || technicianName]));
  stop.setAttribute('aria-keyshortcuts', STOP_SHORTCUT.label);
  stop.title = STOP_SHORTCUT.label;
  stop.addEventListener('click', (event) => {
    // Invariant 4: a page script's synthetic click is not the customer's decision.
    if (event.isTrusted) onStop();
  });
  box.append(dot, text, takeBack, stop);
  const ui = mountUiHost(doc, STYLE, box);
  const listening = new AbortController();
  (doc.defaultView ?? window).addEventListener(
    'keydown',
    (event) => {
      if (!event.isTrusted || event.code !== STOP_SHORTCUT.code || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      stop.focus({ preventScroll: true });
    },
    { capture: true, signal: listening.signal },
  );
  let reconnecting = false;
  let control = false;
  const render = () => {
    box.classList.toggle('control', control && !reconnecting);
    box.classList.toggle('reconnecting', reconnecting);
    box.dataset['link'] = reconnecting ? 'reconnecting' : 'viewing';
    line.textContent = reconnecting
      ? browser.i18n.getMessage('indicatorReconnecting', [organisation || technicianName])
      : control
        ? browser.i18n.getMessage('indicatorControl', [technicianName])
        : browser.i18n.getMessage('indicatorWatching', [organisation || technicianName]);
    who.textContent = control && !reconnecting ? organisation || technicianName : technicianName;
  };
  box.dataset['link'] = 'viewing';
  return {
    setControl(active) {
      control = active;
      render();
    },
    setReconnecting(value) {
      reconnecting = value;
      render();
    },
    remove() {
      listening.abort();
      ui.remove();
    },
  };
}
