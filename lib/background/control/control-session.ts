/**
 * Remote control in the background (issue 6): the one place that decides whether a technician's click
 * may run. Watching was approved once; control needs a second, separate approval each time, given in the
 * shared tab by the customer's own click or key press (DESIGN invariant 3: enforced here, not by the
 * viewer's good manners; invariant 4: only a real user gesture counts, checked in the tab).
 *
 *   off --request--> asking --allow--> granted
 *    ^                 |  refuse/30 s     | revoke (button, Esc) / release / expiry / other site / end
 *    +-----------------+------------------+
 *
 * Every request, answer, revoke, expiry and click (executed or refused) is recorded through `record`
 * (the customer's history and the server's audit trail) with its detail as data, never a sentence
 * (lib/shared/audit/detail.ts): the target described without content.
 */
import type { ClickOutcome, ClickRefusal, ControlEndReason, ControlEventKind, ControlPhase, KeyOutcome, KeyRefusal, TabControlState } from '@/lib/protocol/control';
import type { BackgroundToTab } from '@/lib/protocol/runtime';
import type { ToViewer } from '@/lib/protocol/wire';
import type { TabControlMessage, ViewerControlMessage } from './control-messages';
import type { ControlLimits } from './limits';
import { createRateLimit } from './rate-limit';
import { writeDetail, type REFUSED_BY, type REVOKED_BY } from '@/lib/shared/audit/detail';

/** A click the tab has not answered within this long is refused (the page hung, or went away). */
export const CLICK_TIMEOUT_MS = 3_000;
/** Typing goes in the record as "typed" at most this often, never what was typed (that is the customer's data). */
export const TYPED_RECORD_EVERY_MS = 10_000;

type RefusedBy = (typeof REFUSED_BY)[number];
type RevokedBy = (typeof REVOKED_BY)[number];

type Timers = import('@/lib/background/session/controller-deps').Timers;

export interface ControlSessionDeps {
  technicianName: string;
  limits: ControlLimits;
  toViewer: (message: ToViewer) => void;
  /** Returns false when no tab agent is connected (the tab is navigating). */
  toTab: (message: BackgroundToTab) => boolean;
  record: (kind: ControlEventKind, detail: string) => void;
  now?: () => number;
  timers?: Timers;
  newId?: () => string;
}

export interface ControlSession {
  fromViewer(message: ViewerControlMessage): void;
  fromTab(message: TabControlMessage): void;
  /** A tab agent (re)connected on `origin`: control carries over within the site, ends on another. */
  tabReady(origin: string | null): void;
  /** The tab agent went away (navigation, reload). */
  tabLost(): void;
  /** The tab is on a page we may not share (another site, a browser page), or the technician's connection dropped. */
  leftSite(by?: 'other-site' | 'connection-lost'): void;
  /** The session ended: control ends with it, silently (the session's end is recorded elsewhere). */
  end(): void;
  readonly phase: TabControlState;
}

export function createControlSession(deps: ControlSessionDeps): ControlSession {
  const now = deps.now ?? Date.now;
  const timers: Timers = deps.timers ?? {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const { limits, technicianName } = deps;

  let phase: TabControlState = 'off';
  let ended = false;
  let promptId: string | undefined;
  let timer: unknown;
  let until = 0;
  let origin: string | null = null;
  let grantedOrigin: string | null = null;
  let tabConnected = false;
  let cooldownUntil = 0;
  let nextTabSeq = 1;
  const pending = new Map<number, { viewerSeq: number; timer: unknown }>();
  const pendingKeys = new Map<number, { viewerSeq: number; timer: unknown }>();
  const keyLimit = createRateLimit(30, 60, now);
  let typedRecordedAt = -Infinity;
  const clickLimit = createRateLimit(10, 10, now);
  const pointerLimit = createRateLimit(20, 10, now);
  // Refused clicks are all answered, but a flood of them is not all written to the audit trail.
  const refusalLog = createRateLimit(2, 50, now);

  const viewerPhase = (): ControlPhase => (phase === 'off' ? 'watching' : phase === 'asking' ? 'requested' : 'granted');
  const tellViewer = (reason?: ControlEndReason) =>
    deps.toViewer({
      type: 'control-state',
      state: viewerPhase(),
      ...(reason ? { reason } : {}),
      ...(phase !== 'off' ? { remainingMs: Math.max(0, Math.round(until - now())) } : {}),
    });
  const tellTab = () => deps.toTab({ type: 'control-state', state: phase, technicianName });

  /** Control ends: a request refused (by whom or what), control revoked (likewise) or expired. */
  function stop(reason: ControlEndReason, end: { kind: 'refused'; by: RefusedBy } | { kind: 'revoked'; by: RevokedBy } | { kind: 'expired' }) {
    if (phase === 'off') return;
    const kind: ControlEventKind = end.kind;
    if (kind === 'refused') cooldownUntil = now() + limits.cooldownMs;
    timers.clearTimeout(timer);
    timer = undefined;
    phase = 'off';
    promptId = undefined;
    grantedOrigin = null;
    tellTab();
    tellViewer(reason);
    deps.record(kind, end.kind === 'expired' ? minutes() : end.by);
  }

  const minutes = () => writeDetail('control-granted', { minutes: Math.round(limits.grantMs / 60_000) });

  /** The clock is the authority, not only the timer (a suspended worker may fire it late). */
  function expired(): boolean {
    if (phase === 'granted' && now() >= until) {
      stop('expired', { kind: 'expired' });
      return true;
    }
    return false;
  }

  function refuse(viewerSeq: number, reason: ClickRefusal) {
    deps.toViewer({ type: 'click-result', seq: viewerSeq, outcome: { ok: false, reason } });
    if (!refusalLog.take()) return;
    console.warn(`meekijk: refused a remote click (${reason})`);
    deps.record('click-refused', reason);
  }

  function request() {
    if (ended) return;
    if (phase !== 'off') return void tellViewer();
    if (!tabConnected) return void deps.toViewer({ type: 'control-state', state: 'watching', reason: 'unavailable' });
    if (now() < cooldownUntil) return void deps.toViewer({ type: 'control-state', state: 'watching', reason: 'too-soon' });
    phase = 'asking';
    promptId = newId();
    until = now() + limits.promptMs;
    timer = timers.setTimeout(() => stop('unanswered', { kind: 'refused', by: 'unanswered' }), limits.promptMs);
    deps.toTab({
      type: 'control-prompt',
      promptId,
      technicianName,
      remainingMs: limits.promptMs,
      grantMinutes: Math.max(1, Math.round(limits.grantMs / 60_000)),
    });
    tellViewer();
    deps.record('requested', '');
  }

  function grant() {
    timers.clearTimeout(timer);
    phase = 'granted';
    promptId = undefined;
    grantedOrigin = origin;
    until = now() + limits.grantMs;
    timer = timers.setTimeout(() => void expired(), limits.grantMs);
    tellTab();
    tellViewer();
    deps.record('granted', minutes());
  }

  function click(message: Extract<ViewerControlMessage, { type: 'click' }>) {
    if (phase !== 'granted' || expired()) return refuse(message.seq, 'no-control');
    if (!clickLimit.take()) return refuse(message.seq, 'rate-limited');
    const seq = nextTabSeq++;
    if (!tabConnected || !deps.toTab({ type: 'control-click', seq, id: message.id, x: message.x, y: message.y })) {
      return refuse(message.seq, 'tab-unavailable');
    }
    pending.set(seq, {
      viewerSeq: message.seq,
      timer: timers.setTimeout(() => {
        pending.delete(seq);
        refuse(message.seq, 'timeout');
      }, CLICK_TIMEOUT_MS),
    });
  }

  // Typing on the customer's behalf (issue 23): the same rule as clicks, key by key.
  function refuseKey(viewerSeq: number, reason: KeyRefusal) {
    deps.toViewer({ type: 'key-result', seq: viewerSeq, outcome: { ok: false, reason } });
    if (!refusalLog.take()) return;
    console.warn(`meekijk: refused a remote key (${reason})`);
    deps.record('key-refused', reason);
  }

  function key(message: Extract<ViewerControlMessage, { type: 'key' }>) {
    if (phase !== 'granted' || expired()) return refuseKey(message.seq, 'no-control');
    if (!keyLimit.take()) return refuseKey(message.seq, 'rate-limited');
    const seq = nextTabSeq++;
    if (!tabConnected || !deps.toTab({ type: 'control-key', seq, key: message.key })) return refuseKey(message.seq, 'tab-unavailable');
    const timer = timers.setTimeout(() => {
      pendingKeys.delete(seq);
      refuseKey(message.seq, 'timeout');
    }, CLICK_TIMEOUT_MS);
    pendingKeys.set(seq, { viewerSeq: message.seq, timer });
  }

  function keyDone(seq: number, outcome: KeyOutcome) {
    const entry = pendingKeys.get(seq);
    if (!entry) return;
    pendingKeys.delete(seq);
    timers.clearTimeout(entry.timer);
    if (!outcome.ok) return refuseKey(entry.viewerSeq, outcome.reason);
    deps.toViewer({ type: 'key-result', seq: entry.viewerSeq, outcome });
    if (now() - typedRecordedAt >= TYPED_RECORD_EVERY_MS) {
      typedRecordedAt = now();
      deps.record('typed', '');
    }
  }

  function clickDone(seq: number, outcome: ClickOutcome) {
    const entry = pending.get(seq);
    if (!entry) return;
    pending.delete(seq);
    timers.clearTimeout(entry.timer);
    if (!outcome.ok) return refuse(entry.viewerSeq, outcome.reason);
    deps.toViewer({ type: 'click-result', seq: entry.viewerSeq, outcome });
    deps.record('click', writeDetail('click-executed', outcome.target));
  }

  return {
    get phase() {
      return phase;
    },

    fromViewer(message) {
      if (ended) return;
      switch (message.type) {
        case 'control-request':
          return request();
        case 'control-release':
          if (phase === 'asking') stop('released', { kind: 'refused', by: 'technician' });
          else if (phase === 'granted') stop('released', { kind: 'revoked', by: 'technician' });
          return;
        case 'click':
          return click(message);
        case 'key':
          return key(message);
        case 'scroll':
          if (phase !== 'granted' || expired() || !deps.toTab({ type: 'control-scroll', x: message.x, y: message.y, dx: message.dx, dy: message.dy })) {
            console.warn('meekijk: refused a remote scroll (no control)');
            deps.toViewer({ type: 'error', code: 'not-allowed', message: 'scrolling needs control, approved by the customer' });
          }
          return;
        case 'pointer':
          if (pointerLimit.take()) deps.toTab({ type: 'control-pointer', x: message.x, y: message.y });
          return;
      }
    },

    fromTab(message) {
      if (ended) return;
      if (message.type === 'control-answer') {
        // Only the answer to the question on screen now counts.
        if (phase !== 'asking' || message.promptId !== promptId) return;
        if (message.allow) grant();
        else stop('refused', { kind: 'refused', by: 'customer' });
      } else if (message.type === 'control-revoke') {
        if (phase === 'granted') stop('revoked', { kind: 'revoked', by: message.via === 'escape' ? 'customer-esc' : 'customer' });
      } else if (message.type === 'control-key-result') {
        keyDone(message.seq, message.outcome);
      } else {
        clickDone(message.seq, message.outcome);
      }
    },

    tabReady(tabOrigin) {
      tabConnected = true;
      origin = tabOrigin;
      if (phase === 'granted' && tabOrigin !== grantedOrigin) stop('navigated', { kind: 'revoked', by: 'other-site' });
      else tellTab();
    },

    tabLost() {
      tabConnected = false;
      // The prompt went with the page; the customer never answered it.
      if (phase === 'asking') stop('navigated', { kind: 'refused', by: 'page-changed' });
    },

    leftSite(by = 'other-site') {
      if (phase === 'asking') stop('navigated', { kind: 'refused', by });
      else if (phase === 'granted') stop('navigated', { kind: 'revoked', by });
    },

    end() {
      if (ended) return;
      ended = true;
      if (phase === 'granted') deps.record('revoked', 'session-ended' satisfies RevokedBy);
      timers.clearTimeout(timer);
      for (const entry of [...pending.values(), ...pendingKeys.values()]) timers.clearTimeout(entry.timer);
      pending.clear();
      pendingKeys.clear();
      phase = 'off';
      promptId = undefined;
    },
  };
}
