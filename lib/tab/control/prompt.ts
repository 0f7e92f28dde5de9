/**
 * The second approval (issue 6): "<name> would like to control this tab", Allow / Refuse, in the shared
 * tab, in a closed shadow root that page scripts cannot reach. Only the customer's own gesture counts
 * (invariant 4): a click or key press must be trusted, the prompt must have been on screen for a moment
 * (no click meant for the page lands on Allow as it appears), and, where the browser can tell
 * (IntersectionObserver v2), nothing may cover it (no page drawn over it to trick a click through).
 *
 * Keyboard: focus starts on Refuse and stays in the prompt while it is open (Tab and Shift+Tab move
 * between Refuse and Allow, focus taken into the page comes back); Enter or Space answers; Esc refuses
 * wherever focus is (issue 23). It is announced as an alert dialog.
 */
import browser from 'webextension-polyfill';
import { mountUiHost } from '@/lib/tab/ui-host';

/** Clicks sooner than this after the prompt appeared are not an answer. */
export const ANSWER_DELAY_MS = 600;

export interface PromptOptions {
  technicianName: string;
  remainingMs: number;
  grantMinutes: number;
  onAnswer: (allow: boolean) => void;
}

const STYLE = `
.card { position: fixed; z-index: 2147483647; top: 16px; left: 50%; transform: translateX(-50%); width: min(460px, calc(100vw - 32px));
  box-sizing: border-box; padding: 18px 20px; border-radius: 14px; background: #fff; color: #101828; border: 3px solid #7a2e0e;
  box-shadow: 0 12px 40px rgba(0,0,0,.3); font: 15px/1.45 system-ui, sans-serif; }
h2 { margin: 0 0 8px; font: 700 17px/1.3 system-ui, sans-serif; }
p { margin: 0 0 8px; }
.left { color: #475467; font-size: 13px; }
.covered { color: #b42318; font-size: 13px; display: none; }
.covered.on { display: block; }
.actions { display: flex; gap: 10px; justify-content: flex-end; margin-top: 12px; }
button { all: unset; cursor: pointer; border-radius: 8px; padding: 9px 16px; font: 700 15px system-ui, sans-serif; border: 2px solid #7a2e0e; }
.refuse { color: #7a2e0e; background: #fff; }
.allow { color: #fff; background: #7a2e0e; }
button:focus-visible { outline: 3px solid #1849a9; outline-offset: 2px; }
`;

export function showControlPrompt(options: PromptOptions, doc: Document = document): () => void {
  const { technicianName, grantMinutes, onAnswer } = options;
  const t = (key: string, subs?: string[]) => browser.i18n.getMessage(key, subs);
  const shownAt = performance.now();
  const deadline = Date.now() + options.remainingMs;
  const previous = doc.activeElement as HTMLElement | null;
  let answered = false;

  const card = doc.createElement('div');
  card.className = 'card';
  card.setAttribute('role', 'alertdialog');
  card.setAttribute('aria-modal', 'true');
  card.setAttribute('aria-labelledby', 'meekijk-control-title');
  card.setAttribute('aria-describedby', 'meekijk-control-what meekijk-control-back');
  const title = doc.createElement('h2');
  title.id = 'meekijk-control-title';
  title.textContent = t('controlPromptTitle', [technicianName]);
  const what = doc.createElement('p');
  what.id = 'meekijk-control-what';
  what.textContent = t('controlPromptWhat', [technicianName]);
  const back = doc.createElement('p');
  back.id = 'meekijk-control-back';
  back.textContent = t('controlPromptTakeBack', [String(grantMinutes)]);
  const left = doc.createElement('p');
  left.className = 'left';
  const covered = doc.createElement('p');
  covered.className = 'covered';
  covered.setAttribute('role', 'alert');
  covered.textContent = t('controlPromptCovered');
  const actions = doc.createElement('div');
  actions.className = 'actions';
  const refuse = button(doc, 'refuse', t('controlRefuse'));
  const allow = button(doc, 'allow', t('controlAllow'));
  actions.append(refuse, allow);
  card.append(title, what, back, left, covered, actions);
  const ui = mountUiHost(doc, STYLE, card);

  const tick = () => {
    left.textContent = t('controlPromptExpires', [String(Math.max(0, Math.ceil((deadline - Date.now()) / 1000)))]);
  };
  tick();
  const ticker = setInterval(tick, 1000);
  const visibility = watchVisibility(card);

  const answer = (allow: boolean) => {
    if (answered) return;
    answered = true;
    remove();
    onAnswer(allow);
  };
  // Someone typing in the page when the prompt appears must not Tab-Enter into Allow by accident.
  let allowFocusedAt = Infinity;
  allow.addEventListener('focus', () => (allowFocusedAt = performance.now()));
  allow.addEventListener('blur', () => (allowFocusedAt = Infinity));
  const onClick = (allowIt: boolean) => (event: MouseEvent) => {
    if (!event.isTrusted || performance.now() - shownAt < ANSWER_DELAY_MS) return;
    if (allowIt && event.detail === 0 && performance.now() - allowFocusedAt < ANSWER_DELAY_MS) return;
    // A key press on a focused button arrives as a click without a position; a mouse click must hit
    // a prompt that nothing covers.
    if (event.detail > 0 && visibility.covered()) {
      covered.classList.add('on');
      return;
    }
    answer(allowIt);
  };
  refuse.addEventListener('click', onClick(false));
  allow.addEventListener('click', onClick(true));
  // Esc refuses wherever focus is (the page, the address bar's way back, our prompt), never only inside.
  const win = doc.defaultView ?? window;
  const listening = new AbortController();
  win.addEventListener(
    'keydown',
    (event) => {
      if (!event.isTrusted) return;
      if (event.key === 'Escape') {
        event.stopPropagation();
        event.preventDefault();
        answer(false);
      } else if (event.key === 'Tab') {
        // The focus trap: the prompt's two buttons, round and round, in either direction.
        event.preventDefault();
        event.stopPropagation();
        (ui.root.activeElement === refuse ? allow : refuse).focus({ preventScroll: true });
      }
    },
    { capture: true, signal: listening.signal },
  );
  // Focus moved into the page some other way (a click, a page script): back to the prompt.
  doc.addEventListener(
    'focusin',
    (event) => {
      if (event.target !== ui.host) refuse.focus({ preventScroll: true });
    },
    { capture: true, signal: listening.signal },
  );

  refuse.focus({ preventScroll: true });

  function remove() {
    listening.abort();
    clearInterval(ticker);
    visibility.stop();
    const hadFocus = ui.root.activeElement !== null;
    ui.remove();
    if (hadFocus && previous && previous !== doc.body && 'focus' in previous) previous.focus({ preventScroll: true });
  }
  return () => {
    answered = true;
    remove();
  };
}

function button(doc: Document, action: 'allow' | 'refuse', label: string): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = action;
  b.dataset['action'] = action;
  b.textContent = label;
  return b;
}

/**
 * IntersectionObserver v2 (`trackVisibility`) tells whether anything is drawn over the prompt, or it is
 * faded or filtered. Where the browser lacks it, only the trusted-event and delay checks apply.
 */
function watchVisibility(target: Element): { covered(): boolean; stop(): void } {
  const supported = typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;
  if (!supported) return { covered: () => false, stop: () => undefined };
  let visible = false;
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) visible = (entry as IntersectionObserverEntry & { isVisible?: boolean }).isVisible === true;
    },
    { threshold: [0], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
  );
  observer.observe(target);
  return { covered: () => !visible, stop: () => observer.disconnect() };
}
