/**
 * What the session controller needs from the browser and the server (faked in the unit tests), and what
 * it offers the background's wiring (lib/background/background.ts).
 */
import type { Runtime } from 'webextension-polyfill';
import type { JoinResponse } from '@/lib/protocol/api';
import type { PopupRequest, PopupResponse, SessionState } from '@/lib/protocol/runtime';
import type { ControlLimits } from '@/lib/background/control/limits';
import type { History } from './history';
import type { Limits } from './limits';
import type { PeerHostClient } from './peer-host-client';
import type { ActiveRecord } from './session-end';
import type { DecodedInvite } from './verify-invite';

export type Timers = { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };

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
  /** Every change of the state the popup shows (the background shows it on the toolbar icon). */
  onState: (state: SessionState) => void;
  persistActive: (record: ActiveRecord | null) => Promise<void>;
  /** Gives back the site access asked for at consent (lib/shared/site-access; art. 1.2). */
  dropSiteAccess?: () => Promise<unknown>;
  /** Keeps the context that holds the peer awake from consent to the end; returns its stop (./keep-alive). */
  keepAlive?: () => () => void;
  onEnded?: (state: SessionState) => void;
  /** Remote control (issue 6): its limits, and the server's audit trail (POST /api/sessions/:id/events). */
  controlLimits?: () => Promise<ControlLimits>;
  reportEvent?: (base: string, sessionId: string, token: string, kind: string, detail: string) => Promise<void>;
  /**
   * Issue 17: tells the server whether page data can reach the verified technician (`up`) or the session
   * is reconnecting (`down`); `seq` grows with each report of a session, so a late one changes nothing.
   */
  reportLink?: (base: string, sessionId: string, token: string, state: 'up' | 'down', seq: number) => Promise<void>;
  /** The server is reachable again (the peer registered anew): send what waits for it now. */
  serverBack?: () => void;
  now?: () => number;
  timers?: Timers;
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
