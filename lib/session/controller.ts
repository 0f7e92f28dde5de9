/**
 * The session controller in the background: the one place that decides what is shared, when, and with
 * whom. It owns the session's state machine (idle -> invited -> connecting -> live <-> paused -> ended)
 * and wires the shared tab's content script to the peer host.
 *
 * Terms: nothing is shared before consent (art. 1.1, 1.2); only the consented tab is ever injected; a
 * session ends for good (art. 1.2: one-off) and its invite cannot be used again.
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
import type { PeerHostClient } from './peer-host-client';
import { idleState } from './state';
import type { DecodedInvite } from './verify-invite';

export interface ControllerDeps {
  peerHost: PeerHostClient;
  serverUrl: () => Promise<string>;
  /** Injects the content scripts into the shared tab; rejects when the extension has no access. */
  inject: (tabId: number) => Promise<void>;
  api: {
    redeemCode(base: string, code: string): Promise<{ invite: string }>;
    joinSession(base: string, sessionId: string, body: { invite: string; consent: { termsHash: string; locale: 'nl' | 'en'; at: string } }): Promise<JoinResponse>;
    endSession(base: string, sessionId: string, token: string, reason: string): Promise<void>;
  };
  verifyInvite: (base: string, invite: string) => Promise<DecodedInvite>;
  persist: (state: SessionState) => void;
  onEnded?: (state: SessionState) => void;
  now?: () => number;
}

export interface Controller {
  handlePopup(request: PopupRequest): Promise<PopupResponse>;
  /** A content script connected; only the shared tab's top frame is accepted. */
  acceptTabPort(port: Runtime.Port): void;
  tabUpdated(tabId: number, status: string | undefined): void;
  tabRemoved(tabId: number): void;
  readonly state: SessionState;
}

export function createController(deps: ControllerDeps): Controller {
  const now = deps.now ?? Date.now;
  let state = idleState();
  let invite: { token: string; decoded: DecodedInvite; base: string } | undefined;
  let join: JoinResponse | undefined;
  let tabPort: Runtime.Port | undefined;
  let peerOpen = false;

  const set = (patch: Partial<SessionState>) => {
    state = { ...state, ...patch };
    deps.persist(state);
  };
  const ok = (): PopupResponse => ({ ok: true, state });
  const fail = (error: unknown): PopupResponse => ({
    ok: false,
    error: error instanceof Error ? error.message : String(error),
    state,
  });
  const toTab = (message: BackgroundToTab) => {
    try {
      tabPort?.postMessage(message);
    } catch {
      tabPort = undefined;
    }
  };
  const live = () => state.phase === 'live' || state.phase === 'paused' || state.phase === 'connecting';

  deps.peerHost.onEvent((event: PeerToBackground) => {
    if (!live()) return;
    if (event.type === 'state') {
      if (event.state === 'open') {
        peerOpen = true;
        void shareTab();
      } else if (event.state === 'closed' || event.state === 'failed') {
        void finish(peerOpen ? 'connection-lost' : 'refused', event.detail);
      }
    } else if (event.type === 'message') {
      const message = event.message;
      if (message.type === 'resync') toTab({ type: 'snapshot' });
      else if (message.type === 'end') void finish('technician-ended');
    }
  });

  async function shareTab() {
    if (state.tabId === null) return;
    try {
      await deps.inject(state.tabId);
    } catch (error) {
      // No access to this page (another site after navigation, or a browser page): pause, share nothing.
      console.warn('meekijk: cannot share this page:', error instanceof Error ? error.message : error);
      pause('other-site');
    }
  }

  function pause(reason: 'other-site' | 'restricted-page' | 'loading') {
    if (!live()) return;
    set({ phase: 'paused', pausedReason: reason });
    void deps.peerHost.post({ type: 'send', message: { type: 'tab-state', state: 'paused', reason } });
  }

  async function finish(reason: EndReason, detail?: string) {
    if (!live() && state.phase !== 'invited') return;
    const ending = join;
    set({ phase: 'ended', endedReason: reason, error: detail ?? null, pausedReason: null });
    toTab({ type: 'stop' });
    tabPort?.disconnect();
    tabPort = undefined;
    join = undefined;
    invite = undefined;
    peerOpen = false;
    if (ending) {
      await deps.peerHost.post({ type: 'send', message: { type: 'end', reason } }).catch(() => undefined);
      await deps.peerHost.close().catch(() => undefined);
      const base = await deps.serverUrl();
      await deps.api.endSession(base, ending.sessionId, ending.customer.token, reason === 'refused' ? 'connection-lost' : reason).catch(() => undefined);
    }
    deps.onEnded?.(state);
  }

  return {
    get state() {
      return state;
    },

    async handlePopup(request) {
      try {
        switch (request.type) {
          case 'get-state':
            return ok();
          case 'redeem': {
            if (live()) throw new Error('A session is already running. Stop it first.');
            const code = request.code.replace(/\s+/g, '');
            if (!/^\d{6}$/.test(code)) throw new Error('A code has 6 digits.');
            const base = await deps.serverUrl();
            const { invite: token } = await deps.api.redeemCode(base, code);
            const decoded = await deps.verifyInvite(base, token);
            invite = { token, decoded, base };
            state = idleState();
            set({ phase: 'invited', sessionId: decoded.sid, technician: decoded.technician });
            return ok();
          }
          case 'consent': {
            if (state.phase !== 'invited' || !invite) throw new Error('There is no invitation to accept.');
            if (invite.decoded.exp < now()) throw new Error('This invitation has expired. Ask for a new code.');
            const { token, decoded, base } = invite;
            join = await deps.api.joinSession(base, decoded.sid, {
              invite: token,
              consent: { termsHash: request.termsHash, locale: request.locale, at: new Date(now()).toISOString() },
            });
            set({ phase: 'connecting', tabId: request.tabId, startedAt: now() });
            await deps.peerHost.post({ type: 'connect', serverUrl: base, join, invite: token });
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
      if (!live() || !peerOpen || tab?.id !== state.tabId || port.sender?.frameId !== 0) {
        port.disconnect();
        return;
      }
      tabPort?.disconnect();
      tabPort = port;
      port.onMessage.addListener((raw: unknown) => {
        if (tabPort !== port) return;
        const parsed = tabToBackgroundSchema.safeParse(raw);
        if (!parsed.success) {
          console.warn('meekijk: dropped a malformed message from the shared tab', parsed.error.issues[0]);
          return;
        }
        const message = parsed.data;
        if (message.type === 'events') void deps.peerHost.post({ type: 'send', message: { type: 'events', events: message.events } });
        else if (message.type === 'stop') void finish('customer-stopped');
      });
      port.onDisconnect.addListener(() => {
        if (tabPort === port) {
          tabPort = undefined;
          pause('loading');
        }
      });
      set({ phase: 'live', pausedReason: null });
      void deps.peerHost.post({ type: 'send', message: { type: 'tab-state', state: 'sharing' } });
      toTab({ type: 'start', technicianName: state.technician?.name ?? '', locale: 'nl' });
    },

    tabUpdated(tabId, status) {
      if (tabId !== state.tabId || !live() || !peerOpen) return;
      if (status === 'loading' && state.phase === 'live' && !tabPort) pause('loading');
      if (status === 'complete' && !tabPort) void shareTab();
    },

    tabRemoved(tabId) {
      if (tabId === state.tabId) void finish('tab-closed');
    },
  };
}
