/**
 * The session controller in the background: the one place that decides what is shared, when, and with
 * whom. It owns the session's state machine (idle -> invited -> connecting -> live <-> paused -> ended)
 * and wires the shared tab's content script to the peer host.
 *
 * Terms: nothing is shared before consent (art. 1.1, 1.2); only the consented tab is ever injected; a
 * session ends for good (art. 1.2: one-off), for every reason it can end, and cannot be resumed.
 */
import type { Runtime } from 'webextension-polyfill';
import type { JoinResponse } from '@/lib/protocol/api';
import {
  tabToBackgroundSchema,
  type BackgroundToTab,
  type PeerToBackground,
  type PopupRequest,
  type PopupResponse,
  type SessionState,
} from '@/lib/protocol/runtime';
import type { EndReason } from '@/lib/protocol/wire';
import { createControlSession, isTabControl, isViewerControl, type ControlSession } from '@/lib/background/control/control-session';
import { DEFAULT_CONTROL_LIMITS, type ControlLimits } from '@/lib/background/control/limits';
import { createControlRecorder } from '@/lib/background/control/record';
import type { History } from './history';
import type { Limits } from './limits';
import type { PeerHostClient } from './peer-host-client';
import { idleState } from './state';
import { toUserMessage, UserError } from './user-error';
import type { DecodedInvite } from './verify-invite';

/** What survives a browser restart, so a session cut off by it is ended and recorded (not resumed). */
export interface ActiveRecord {
  sessionId: string;
  base: string;
  token: string;
}

export interface ControllerDeps {
  peerHost: PeerHostClient;
  serverUrl: () => Promise<string>;
  /** Injects the content scripts into the shared tab; rejects when the extension has no access. */
  inject: (tabId: number) => Promise<void>;
  api: {
    redeemCode(base: string, code: string): Promise<{ invite: string }>;
    redeemLink(base: string, link: string): Promise<{ invite: string }>;
    joinSession(base: string, sessionId: string, body: { invite: string; consent: { termsHash: string; locale: 'nl' | 'en'; at: string } }): Promise<JoinResponse>;
    endSession(base: string, sessionId: string, token: string, reason: string): Promise<void>;
  };
  verifyInvite: (base: string, invite: string) => Promise<DecodedInvite>;
  history: History;
  limits: () => Promise<Limits>;
  /** i18n lookup (browser.i18n.getMessage in the extension). */
  translate: (key: string, substitutions?: string[]) => string;
  persist: (state: SessionState) => void;
  persistActive: (record: ActiveRecord | null) => Promise<void>;
  onEnded?: (state: SessionState) => void;
  /** Remote control (issue 6): its limits, and the server's audit trail (POST /api/sessions/:id/events). */
  controlLimits?: () => Promise<ControlLimits>;
  reportEvent?: (base: string, sessionId: string, token: string, kind: string, detail: string) => Promise<void>;
  now?: () => number;
  timers?: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };
}

export interface Controller {
  handlePopup(request: PopupRequest): Promise<PopupResponse>;
  /** A helpdesk link's invite, read from the server's join page (the sender is checked by the caller). */
  offerJoinLink(link: string): Promise<{ ok: true; technician: { name: string; organisation: string } } | { ok: false; error: string }>;
  /** A content script connected; only the shared tab's top frame is accepted. */
  acceptTabPort(port: Runtime.Port): void;
  tabUpdated(tabId: number, status: string | undefined): void;
  tabRemoved(tabId: number): void;
  readonly state: SessionState;
}

export function createController(deps: ControllerDeps): Controller {
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  let state = idleState();
  let invite: { token: string; decoded: DecodedInvite; base: string } | undefined;
  let join: (JoinResponse & { base: string }) | undefined;
  let tabPort: Runtime.Port | undefined;
  let peerOpen = false;
  /** Settles once the peer host has this session's `connect` order (and so knows the shared tab). */
  let peerReady: Promise<void> = Promise.resolve();
  /** An injection into the tab that has not yet connected its port (one at a time: a second would replace the first). */
  let injecting = false;
  let site: string | null = null;
  let idleTimer: unknown;
  let maxTimer: unknown;
  let limits: Limits | undefined;
  let control: ControlSession | undefined;

  const set = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch };
    deps.persist(state);
  };
  const ok = (extra: Partial<Extract<PopupResponse, { ok: true }>> = {}): PopupResponse => ({ ok: true, state, ...extra });
  const fail = (error: unknown): PopupResponse => {
    const { key, substitutions } = toUserMessage(error);
    return { ok: false, error: deps.translate(key, substitutions) || key, state };
  };
  const toTab = (message: BackgroundToTab) => {
    try {
      tabPort?.postMessage(message);
    } catch {
      tabPort = undefined;
    }
  };
  const live = () => state.phase === 'live' || state.phase === 'paused' || state.phase === 'connecting';

  /** Activity (the customer's page changed, or the technician spoke): the idle clock starts again. */
  const touch = () => {
    if (!live() || !limits) return;
    timers.clearTimeout(idleTimer);
    idleTimer = timers.setTimeout(() => void finish('idle-timeout'), limits.idleMs);
  };

  deps.peerHost.onEvent((event: PeerToBackground) => {
    if (!live()) return;
    if (event.type === 'state') {
      if (event.state === 'open') {
        peerOpen = true;
        // The tab was injected at consent and has been recording while the connection came up (its
        // events waited in the peer host); now it is live. If it is not there yet (it was loading), inject.
        if (tabPort) set({ phase: 'live', pausedReason: null });
        else void shareTab();
      } else if (event.state === 'closed' || event.state === 'failed') {
        void finish(peerOpen ? 'connection-lost' : 'refused', event.detail);
      }
    } else if (event.type === 'activity') {
      touch();
    } else if (event.type === 'verification') {
      set({ verificationCode: event.code });
    } else if (event.type === 'message') {
      touch();
      const message = event.message;
      if (message.type === 'resync') toTab({ type: 'snapshot' });
      else if (message.type === 'end') void finish('technician-ended');
      else if (isViewerControl(message)) control?.fromViewer(message);
    }
  });

  async function shareTab() {
    if (state.tabId === null || injecting) return;
    injecting = true;
    try {
      await deps.inject(state.tabId);
    } catch (error) {
      injecting = false;
      // No access to this page (another site after navigation, or a browser page): pause, share nothing.
      console.warn('meekijk: cannot share this page:', error instanceof Error ? error.message : error);
      pause('other-site');
    }
  }

  function pause(reason: 'other-site' | 'restricted-page' | 'loading') {
    if (!live()) return;
    if (reason !== 'loading') control?.leftSite();
    set({ phase: 'paused', pausedReason: reason });
    void deps.peerHost.post({ type: 'send', message: { type: 'tab-state', state: 'paused', reason } });
  }

  async function finish(reason: EndReason, detail?: string) {
    if (!live() && state.phase !== 'invited') return;
    const ending = join;
    const endedAt = now();
    timers.clearTimeout(idleTimer);
    timers.clearTimeout(maxTimer);
    idleTimer = maxTimer = undefined;
    set({ phase: 'ended', endedReason: reason, error: detail ?? null, pausedReason: null });
    control?.end();
    control = undefined;
    toTab({ type: 'stop' });
    tabPort?.disconnect();
    tabPort = undefined;
    join = undefined;
    invite = undefined;
    peerOpen = false;
    injecting = false;
    if (ending) {
      // Goodbye and teardown start now, before anything else can start a new session.
      const closed = deps.peerHost.close({ type: 'send', message: { type: 'end', reason } }).catch(() => undefined);
      await deps.history.markEnded(ending.sessionId);
      await deps.history.update(ending.sessionId, { endedAt, endedReason: reason });
      await deps.persistActive(null);
      await closed;
      await deps.api.endSession(ending.base, ending.sessionId, ending.customer.token, reason === 'refused' ? 'connection-lost' : reason).catch(() => undefined);
    }
    deps.onEnded?.(state);
  }

  /** Verifies an invite (signature, issuer, expiry, not ended here) and shows the consent screen. */
  async function acceptInvite(base: string, token: string) {
    const decoded = await deps.verifyInvite(base, token);
    if (await deps.history.hasEnded(decoded.sid)) throw new UserError('errorSessionEnded');
    if (live()) throw new UserError('errorAlreadyRunning');
    invite = { token, decoded, base };
    state = idleState();
    set({ phase: 'invited', sessionId: decoded.sid, technician: decoded.technician });
  }

  /** Control needs its own approval in the tab; the background holds its state (lib/background/control). */
  async function startControl(sessionId: string, base: string, token: string, technicianName: string): Promise<ControlSession> {
    const report = deps.reportEvent;
    return createControlSession({
      technicianName,
      limits: (await deps.controlLimits?.()) ?? DEFAULT_CONTROL_LIMITS,
      toViewer: (message) => void deps.peerHost.post({ type: 'send', message }),
      toTab: (message) => {
        if (!tabPort) return false;
        toTab(message);
        return tabPort !== undefined;
      },
      record: createControlRecorder({
        history: deps.history,
        report: async (kind, detail) => report?.(base, sessionId, token, kind, detail),
        sessionId,
        now,
      }),
      now,
      timers,
    });
  }

  return {
    get state() {
      return state;
    },

    async offerJoinLink(link) {
      try {
        if (live()) throw new UserError('errorAlreadyRunning');
        const base = await deps.serverUrl();
        await acceptInvite(base, (await deps.api.redeemLink(base, link)).invite);
        return { ok: true, technician: state.technician ?? { name: '', organisation: '' } };
      } catch (error) {
        const { key, substitutions } = toUserMessage(error);
        return { ok: false, error: deps.translate(key, substitutions) || key };
      }
    },

    async handlePopup(request) {
      try {
        switch (request.type) {
          case 'get-state':
            return ok();
          case 'get-history':
            return ok({ history: await deps.history.list() });
          case 'clear-history':
            await deps.history.clear();
            return ok({ history: [] });
          case 'redeem': {
            if (live()) throw new UserError('errorAlreadyRunning');
            const code = request.code.replace(/\s+/g, '');
            if (!/^\d{6}$/.test(code)) throw new UserError('errorCodeFormat');
            const base = await deps.serverUrl();
            await acceptInvite(base, (await deps.api.redeemCode(base, code)).invite);
            return ok();
          }
          case 'consent': {
            if (state.phase !== 'invited' || !invite) throw new UserError('errorNoInvite');
            if (invite.decoded.exp < now()) throw new UserError('errorInviteExpired');
            if (await deps.history.hasEnded(invite.decoded.sid)) throw new UserError('errorSessionEnded');
            const { token, decoded, base } = invite;
            const at = now();
            const joined = await deps.api.joinSession(base, decoded.sid, {
              invite: token,
              consent: { termsHash: request.termsHash, locale: request.locale, at: new Date(at).toISOString() },
            });
            join = { ...joined, base };
            limits = await deps.limits();
            await deps.persistActive({ sessionId: joined.sessionId, base, token: joined.customer.token });
            await deps.history.put({
              sessionId: joined.sessionId,
              technician: decoded.technician,
              consent: { termsHash: request.termsHash, locale: request.locale, at },
              site: null,
              startedAt: at,
              endedAt: null,
              endedReason: null,
              controlGranted: false,
            });
            site = null;
            control = await startControl(joined.sessionId, base, joined.customer.token, decoded.technician.name);
            set({ phase: 'connecting', tabId: request.tabId, startedAt: at });
            maxTimer = timers.setTimeout(() => void finish('max-duration'), limits.maxMs);
            touch();
            // Consent is given: the recorder starts now, while the peer host starts and the connection
            // comes up, so the first snapshot is ready when the channel opens. Its events go straight to
            // the peer host, which holds them and sends them only to the verified technician's peer
            // (lib/peer/customer-link.ts). The tab is told to start once the peer host knows which tab to
            // accept (the `connect` order names it).
            const connecting = deps.peerHost.post({ type: 'connect', serverUrl: base, join: joined, invite: token, tabId: request.tabId });
            peerReady = connecting.catch(() => undefined);
            void shareTab();
            await connecting;
            return ok();
          }
          case 'decline':
            invite = undefined;
            state = idleState();
            deps.persist(state);
            return ok();
          case 'stop':
            await finish('customer-stopped');
            return ok();
        }
      } catch (error) {
        return fail(error);
      }
    },

    acceptTabPort(port) {
      const tab = port.sender?.tab;
      if (!live() || tab?.id !== state.tabId || port.sender?.frameId !== 0) {
        port.disconnect();
        return;
      }
      tabPort?.disconnect();
      tabPort = port;
      injecting = false;
      port.onMessage.addListener((raw: unknown) => {
        if (tabPort !== port) return;
        const parsed = tabToBackgroundSchema.safeParse(raw);
        if (!parsed.success) {
          console.warn('meekijk: dropped a malformed message from the shared tab', parsed.error.issues[0]);
          return;
        }
        const message = parsed.data;
        if (message.type === 'stop') void finish('customer-stopped');
        else if (isTabControl(message)) control?.fromTab(message);
      });
      port.onDisconnect.addListener(() => {
        if (tabPort === port) {
          tabPort = undefined;
          control?.tabLost();
          pause('loading');
        }
      });
      const origin = originOf(port.sender?.url);
      if (site === null && origin && join) {
        site = origin;
        void deps.history.update(join.sessionId, { site: origin });
      }
      if (peerOpen) set({ phase: 'live', pausedReason: null });
      void deps.peerHost.post({ type: 'send', message: { type: 'tab-state', state: 'sharing' } });
      const start: BackgroundToTab = {
        type: 'start',
        technicianName: state.technician?.name ?? '',
        organisation: state.technician?.organisation ?? '',
        locale: deps.translate('@@ui_locale').startsWith('en') ? 'en' : 'nl',
        siteRules: join?.siteRules ?? [],
      };
      // The tab opens its events port to the peer host on `start`; the peer host must know the tab first.
      // Control state follows `start`: the tab sets up its side of control when it starts.
      void peerReady.then(() => {
        if (tabPort !== port || !live()) return;
        toTab(start);
        control?.tabReady(originOf(port.sender?.url));
      });
    },

    tabUpdated(tabId, status) {
      if (tabId !== state.tabId || !live()) return;
      // A new document: whatever was injected into the old one is gone.
      if (status === 'loading') injecting = false;
      if (status === 'loading' && state.phase === 'live' && !tabPort) pause('loading');
      if (status === 'complete' && !tabPort) void shareTab();
    },

    tabRemoved(tabId) {
      if (tabId === state.tabId) void finish('tab-closed');
    },
  };
}

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/**
 * After a browser restart (or a crash of the background) a session that was running cannot go on: the
 * peer is gone. Record it as ended and tell the server, so it is never resumed (art. 1.2).
 */
export async function endInterruptedSession(
  record: ActiveRecord | null,
  deps: Pick<ControllerDeps, 'history' | 'api' | 'persistActive'> & { now?: () => number },
): Promise<boolean> {
  if (!record) return false;
  const now = deps.now ?? Date.now;
  await deps.history.markEnded(record.sessionId);
  await deps.history.update(record.sessionId, { endedAt: now(), endedReason: 'browser-closed' });
  await deps.persistActive(null);
  await deps.api.endSession(record.base, record.sessionId, record.token, 'browser-closed').catch(() => undefined);
  return true;
}
