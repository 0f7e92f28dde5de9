/**
 * The session controller in the background: the one place that decides what is shared, when, and with
 * whom. What happens to the session is decided by the pure state machine (./machine.ts); this module
 * feeds it the browser's, the popup's and the peer host's events and runs the effects it asks for.
 *
 * Terms: nothing is shared before consent (art. 1.1, 1.2); only the consented tab is ever injected; a
 * session ends for good (art. 1.2: one-off), for every reason it can end, and cannot be resumed.
 */
import type { PeerToBackground, PopupResponse } from '@/lib/protocol/runtime';
import { isTabControl, isViewerControl } from '@/lib/background/control/control-messages';
import type { Controller, ControllerDeps } from './controller-deps';
import { acceptInvite, joinWithConsent, type PendingInvite, type Running } from './consent';
import { initialSession, isRunning, transition, type SessionEffect, type SessionEvent } from './machine';
import { closeSession } from './session-end';
import { isSharedTabPort, linkTab, originOf, type TabLink } from './tab-link';
import { toUserMessage, UserError } from './user-error';

export type { Controller, ControllerDeps } from './controller-deps';

export function createController(deps: ControllerDeps): Controller {
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  let session = initialSession();
  let invite: PendingInvite | undefined;
  /** The consented session's server answer, control and clocks; set at consent, dropped at the end. */
  let running: Running | undefined;
  let tab: TabLink | undefined;
  /** The grace period's clock while reconnecting (machine effect `grace`). */
  let grace: unknown;
  /** Settles once the peer host has this session's `connect` order (and so knows the shared tab). */
  let peerReady: Promise<void> = Promise.resolve();
  /** Stops the keep-alive of the context that holds the peer (deps.keepAlive), from consent to the end. */
  let stopKeepAlive: (() => void) | undefined;

  /** The sequence number of this session's last link report to the server. */
  let linkSeq = 0;

  const dispatch = (event: SessionEvent) => {
    const before = session;
    const { session: after, effects } = transition(session, event);
    session = after;
    if (after.state !== before.state) deps.onState(after.state);
    // Issue 17: the server says "being viewed" while the data channel to the verified technician is open,
    // as the popup, badge and indicator do; an end is reported as the end itself (./session-end.ts).
    if (after.connected !== before.connected && isRunning(after.state)) reportLink(after.connected);
    for (const effect of effects) run(effect);
  };

  const reportLink = (up: boolean) => {
    if (!running || !deps.reportLink) return;
    const { base, sessionId, customer } = running.joined;
    linkSeq += 1;
    deps.reportLink(base, sessionId, customer.token, up ? 'up' : 'down', linkSeq).catch((error: unknown) => console.warn('meekijk: could not keep a link report', error));
  };

  const run = (effect: SessionEffect) => {
    switch (effect.type) {
      case 'inject':
        deps.inject(effect.tabId).catch((error: unknown) => {
          console.warn('meekijk: cannot share this page:', error instanceof Error ? error.message : error);
          dispatch({ type: 'inject-failed' });
        });
        return;
      case 'tab-state':
        void deps.peerHost.post({ type: 'send', message: effect.state === 'paused' ? { type: 'tab-state', state: 'paused', reason: effect.reason } : { type: 'tab-state', state: 'sharing' } });
        return;
      case 'control':
        if (effect.call === 'left-site') running?.control.leftSite();
        // Control does not outlive the connection: a technician who comes back starts watching.
        else if (effect.call === 'peer-lost') running?.control.leftSite('connection-lost');
        else running?.control.tabLost();
        return;
      case 'grace':
        timers.clearTimeout(grace);
        grace = effect.on && running ? timers.setTimeout(() => dispatch({ type: 'grace-expired' }), running.joined.reconnectGraceSeconds * 1000) : undefined;
        return;
      case 'snapshot':
        tab?.post({ type: 'snapshot' });
        return;
      case 'indicator':
        tab?.post({ type: 'link', state: effect.state });
        return;
      case 'teardown':
        void teardown(effect.reason);
        return;
    }
  };

  async function teardown(reason: Parameters<typeof closeSession>[2]) {
    const ending = running;
    const endedAt = now();
    running = undefined;
    invite = undefined;
    ending?.clocks.stop();
    ending?.control.end();
    tab?.post({ type: 'stop' });
    tab?.disconnect();
    tab = undefined;
    stopKeepAlive?.();
    stopKeepAlive = undefined;
    void deps.dropSiteAccess?.().catch((error: unknown) => console.warn('meekijk: could not give back site access', error));
    if (ending) await closeSession(deps, ending.joined, reason, endedAt);
    deps.onEnded?.(session.state);
  }

  deps.peerHost.onEvent((event: PeerToBackground) => {
    if (!isRunning(session.state)) return;
    if (event.type === 'state') {
      if (event.state === 'open') dispatch({ type: 'peer-open' });
      else if (event.state === 'quiet') dispatch({ type: 'peer-quiet', ...(event.detail ? { detail: event.detail } : {}) });
      else if (event.state === 'resumed') dispatch({ type: 'peer-resumed' });
      else if (event.state === 'closed' || event.state === 'failed' || event.state === 'reconnecting') dispatch({ type: 'peer-lost', ...(event.detail ? { detail: event.detail } : {}) });
    } else if (event.type === 'server-back') {
      deps.serverBack?.();
    } else if (event.type === 'activity') {
      running?.clocks.touch();
    } else if (event.type === 'verification') {
      dispatch({ type: 'verification', code: event.code });
    } else if (event.type === 'message') {
      running?.clocks.touch();
      const message = event.message;
      if (message.type === 'resync') tab?.post({ type: 'snapshot' });
      else if (message.type === 'end') dispatch({ type: 'end', reason: 'technician-ended' });
      else if (isViewerControl(message)) running?.control.fromViewer(message);
    }
  });

  // Issue 17: a peer host gone on its own takes the session's only way to the technician with it; a new
  // empty one must not be made silently while the customer is told someone views. The true reason ends it.
  deps.peerHost.onLost?.(() => {
    if (isRunning(session.state)) dispatch({ type: 'end', reason: 'extension-stopped', detail: 'the peer host (offscreen document) went away' });
  });

  const ok = (extra: Partial<Extract<PopupResponse, { ok: true }>> = {}): PopupResponse => ({ ok: true, state: session.state, ...extra });
  const userError = (error: unknown): string => {
    const { key, substitutions } = toUserMessage(error);
    return deps.translate(key, substitutions) || key;
  };

  /** Verifies an invite and shows the consent screen (the machine refuses it while a session runs). */
  const offer = async (base: string, token: string) => {
    const pending = await acceptInvite(deps, base, token, () => isRunning(session.state));
    invite = pending;
    dispatch({ type: 'invited', sessionId: pending.decoded.sid, technician: pending.decoded.technician });
  };

  return {
    get state() {
      return session.state;
    },

    async offerJoinLink(link) {
      try {
        if (isRunning(session.state)) throw new UserError('errorAlreadyRunning');
        const base = await deps.serverUrl();
        await offer(base, (await deps.api.redeemLink(base, link)).invite);
        return { ok: true, technician: session.state.technician ?? { name: '', organisation: '' } };
      } catch (error) {
        return { ok: false, error: userError(error) };
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
            if (isRunning(session.state)) throw new UserError('errorAlreadyRunning');
            const code = request.code.replace(/\s+/g, '');
            if (!/^\d{6}$/.test(code)) throw new UserError('errorCodeFormat');
            const base = await deps.serverUrl();
            await offer(base, (await deps.api.redeemCode(base, code)).invite);
            return ok();
          }
          case 'consent': {
            if (session.state.phase !== 'invited' || !invite) throw new UserError('errorNoInvite');
            linkSeq = 0;
            running = await joinWithConsent(deps, invite, request, { now, timers, toTab: (message) => tab?.post(message) ?? false, end: (reason) => dispatch({ type: 'end', reason }) });
            dispatch({ type: 'consented', tabId: request.tabId, at: running.startedAt });
            running.clocks.start();
            stopKeepAlive?.();
            stopKeepAlive = deps.keepAlive?.();
            // Consent is given: the recorder starts now, while the peer host starts and the connection
            // comes up, so the first snapshot is ready when the channel opens. Its events go straight to
            // the peer host, which holds them and sends them only to the verified technician's peer
            // (lib/peer/customer-link.ts). The tab is told to start once the peer host knows which tab to
            // accept (the `connect` order names it).
            const { joined } = running;
            const connecting = deps.peerHost.post({ type: 'connect', serverUrl: joined.base, join: joined, invite: invite.token, tabId: request.tabId });
            peerReady = connecting.catch(() => undefined);
            dispatch({ type: 'share' });
            await connecting;
            return ok();
          }
          case 'decline':
            invite = undefined;
            dispatch({ type: 'declined' });
            return ok();
          case 'stop':
            dispatch({ type: 'end', reason: 'customer-stopped' });
            return ok();
        }
      } catch (error) {
        return { ok: false, error: userError(error), state: session.state };
      }
    },

    acceptTabPort(port) {
      if (!isRunning(session.state) || !isSharedTabPort(port, session.state.tabId)) {
        port.disconnect();
        return;
      }
      tab?.disconnect();
      const link = linkTab(port, {
        onMessage: (message) => {
          if (message.type === 'stop') dispatch({ type: 'end', reason: 'customer-stopped' });
          else if (isTabControl(message)) running?.control.fromTab(message);
        },
        onLost: () => {
          if (tab !== link) return;
          tab = undefined;
          dispatch({ type: 'tab-unlinked' });
        },
      });
      tab = link;
      const origin = originOf(port.sender?.url);
      if (running && running.site === null && origin) {
        running.site = origin;
        void deps.history.update(running.joined.sessionId, { site: origin });
      }
      dispatch({ type: 'tab-linked' });
      const technician = session.state.technician;
      const locale = deps.translate('@@ui_locale').startsWith('en') ? 'en' : 'nl';
      const siteRules = running?.joined.siteRules ?? [];
      // The tab opens its events port to the peer host on `start`; the peer host must know the tab first.
      // Control state follows `start`: the tab sets up its side of control when it starts.
      void peerReady.then(() => {
        if (tab !== link || !isRunning(session.state)) return;
        link.post({ type: 'start', technicianName: technician?.name ?? '', organisation: technician?.organisation ?? '', locale, siteRules });
        if (session.state.phase === 'reconnecting') link.post({ type: 'link', state: 'reconnecting' });
        running?.control.tabReady(origin);
      });
    },

    tabUpdated(tabId, status) {
      if (tabId !== session.state.tabId) return;
      if (status === 'loading') dispatch({ type: 'tab-loading' });
      else if (status === 'complete') dispatch({ type: 'tab-complete' });
    },

    tabRemoved(tabId) {
      if (tabId === session.state.tabId) dispatch({ type: 'end', reason: 'tab-closed' });
    },
  };
}
