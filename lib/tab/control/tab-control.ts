/**
 * Remote control in the shared tab's isolated world (issue 6): shows the prompt, answers with the
 * customer's own gesture, executes approved clicks and scrolls, draws the technician's pointer, and lets
 * the customer take control back (indicator button or Esc).
 *
 * The background decides; this side keeps its own copy of the state and refuses clicks unless it, too,
 * has been told control is granted (defence in depth; a revoke here takes effect before the round trip).
 */
import type { ClickOutcome, KeyOutcome, TabControlState } from '@/lib/protocol/control';
import type { BackgroundToTab, TabToBackground } from '@/lib/protocol/tab-port';
import { executeClick, executeScroll } from './execute-click';
import { executeKey, typingTarget } from './execute-key';
import type { Overlay } from './overlay';
import type { PromptOptions } from './prompt';
import { resolveNode, type Resolved } from './resolve-node';

export type TabControlCommand = Extract<BackgroundToTab, { type: `control-${string}` }>;
const COMMANDS = new Set(['control-prompt', 'control-state', 'control-click', 'control-scroll', 'control-pointer', 'control-key']);
export const isControlCommand = (m: BackgroundToTab): m is TabControlCommand => COMMANDS.has(m.type);

export interface TabControlDeps {
  win: Window;
  technicianName: string;
  send: (message: TabToBackground) => void;
  /** Elements the technician cannot see (blocked, hidden by the customer): never clicked blind. */
  blockSelector: () => string;
  /** The indicator's "is controlling / take back" state. */
  setIndicatorControl: (active: boolean) => void;
  showPrompt: (options: PromptOptions) => () => void;
  showOverlay: (technicianName: string) => Overlay;
  resolve?: (id: number) => Promise<Resolved>;
}

/** What the tab agent supplies; the entrypoint adds the UI. */
export type TabControlWiring = Omit<TabControlDeps, 'showPrompt' | 'showOverlay' | 'resolve'>;

export interface TabControl {
  handle(command: TabControlCommand): void;
  /** The customer takes control back (called by the indicator's button). */
  takeBack(via: 'button' | 'escape'): void;
  stop(): void;
}

export function startTabControl(deps: TabControlDeps): TabControl {
  const { win, send } = deps;
  const resolve = deps.resolve ?? ((id: number) => resolveNode(win, id));
  const abort = new AbortController();
  let state: TabControlState = 'off';
  let closePrompt: (() => void) | undefined;
  let overlay: Overlay | undefined;
  const hand = () => {
    if (!overlay) {
      overlay = deps.showOverlay(deps.technicianName);
      overlay.setMode(state === 'granted' ? 'cursor' : 'laser');
    }
    return overlay;
  };

  const dismissPrompt = () => {
    closePrompt?.();
    closePrompt = undefined;
  };

  const setState = (next: TabControlState) => {
    state = next;
    if (next !== 'asking') dismissPrompt();
    deps.setIndicatorControl(next === 'granted');
    overlay?.setMode(next === 'granted' ? 'cursor' : 'laser');
  };

  const takeBack = (via: 'button' | 'escape') => {
    if (state !== 'granted') return;
    setState('off');
    send({ type: 'control-revoke', via });
  };

  win.addEventListener(
    'keydown',
    (event) => {
      if (event.isTrusted && event.key === 'Escape' && state === 'granted') takeBack('escape');
    },
    { capture: true, signal: abort.signal },
  );

  async function click(seq: number, id: number, x: number, y: number) {
    const reply = (outcome: ClickOutcome) => send({ type: 'control-click-result', seq, outcome });
    if (state !== 'granted') return reply({ ok: false, reason: 'no-control' });
    const element = await resolve(id);
    if (abort.signal.aborted) return;
    // Control may have been taken back while the page looked the node up.
    if (state !== 'granted') return reply({ ok: false, reason: 'no-control' });
    if (element === 'unknown') return reply({ ok: false, reason: 'unknown-node' });
    if (element === 'stale') return reply({ ok: false, reason: 'stale-node' });
    const result = executeClick(element, x, y, deps.blockSelector(), win);
    if (!result.ok) return reply(result);
    hand().marker(result.point.x, result.point.y);
    reply({ ok: true, target: result.target });
  }

  // Typing is visible to the customer: the field's own text changes, and a ring marks the field.
  let markedAt = 0;
  function typeKey(seq: number, key: string) {
    const reply = (outcome: KeyOutcome) => send({ type: 'control-key-result', seq, outcome });
    if (state !== 'granted') return reply({ ok: false, reason: 'no-control' });
    const target = typingTarget(win.document, deps.blockSelector());
    if ('ok' in target) return reply(target);
    const outcome = executeKey(target, key);
    if (outcome.ok && performance.now() - markedAt > 600) {
      markedAt = performance.now();
      const box = target.element.getBoundingClientRect();
      hand().marker(box.left + Math.min(box.width / 2, 24), box.top + box.height / 2);
    }
    reply(outcome);
  }

  return {
    handle(command) {
      if (abort.signal.aborted) return;
      switch (command.type) {
        case 'control-prompt':
          dismissPrompt();
          state = 'asking';
          closePrompt = deps.showPrompt({
            technicianName: command.technicianName,
            remainingMs: command.remainingMs,
            grantMinutes: command.grantMinutes,
            onAnswer: (allow) => {
              closePrompt = undefined;
              send({ type: 'control-answer', promptId: command.promptId, allow });
            },
          });
          return;
        case 'control-state':
          return setState(command.state);
        case 'control-click':
          return void click(command.seq, command.id, command.x, command.y);
        case 'control-scroll':
          if (state === 'granted') executeScroll(command.x, command.y, command.dx, command.dy, deps.blockSelector(), win);
          return;
        case 'control-key':
          return typeKey(command.seq, command.key);
        case 'control-pointer':
          hand().point(command.x * win.innerWidth, command.y * win.innerHeight);
          return;
      }
    },
    takeBack,
    stop() {
      if (abort.signal.aborted) return;
      abort.abort();
      state = 'off';
      dismissPrompt();
      overlay?.remove();
      overlay = undefined;
    },
  };
}
