import { useEffect, useRef, useState } from 'preact/hooks';
import type { ViewerSessionResponse } from '@/lib/protocol/api';
import type { ToViewer } from '@/lib/protocol/wire';
import type { ViewerApi } from '../lib/api-client';
import { hostViewer, type LinkState, type ViewerHost } from '../lib/viewer-host';
import { startLiveReplay, type LiveReplay } from '../lib/live-replay';
import { createAssetStore } from '../lib/assets/store';
import { EndedPanel, StatusBar, type ViewState } from './StatusBar';
import { locale, m } from '../lib/i18n';
import { InvitePanel } from './InvitePanel';
import { ControlBar } from './ControlBar';
import { applyControlMessage, INITIAL_CONTROL, isControlMessage, type ControlView } from '../lib/control-model';
import { startControlInput } from '../lib/control-input';
import { useGraceBackstop, useServerTruth, type ServerLink } from './use-server-truth';
import type { EndReason } from '@/lib/protocol/wire';

export function SessionPage({ api, id }: { api: ViewerApi; id: string }) {
  const [session, setSession] = useState<ViewerSessionResponse>();
  const [view, setView] = useState<ViewState>({ link: 'registering', tab: 'waiting' });
  const [error, setError] = useState<string>();
  /** The verification code; false once the exchange failed and no code can be trusted. */
  const [code, setCode] = useState<string | false>();
  const stage = useRef<HTMLDivElement>(null);
  const host = useRef<ViewerHost>();
  const replay = useRef<LiveReplay>();
  const [control, setControl] = useState<ControlView>(INITIAL_CONTROL);
  const controlRef = useRef(control);
  controlRef.current = control;
  const clicksSent = useRef(new Map<number, number>());
  const [markers, setMarkers] = useState<Array<{ seq: number; x: number; y: number }>>([]);
  const [typingRefused, setTypingRefused] = useState(false);
  /** What the server says of the customer's link (issue 17), read with the session's state. */
  const [serverLink, setServerLink] = useState<ServerLink>(null);
  const typingNote = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    let cancelled = false;
    api.getSession(id).then(
      (s) => {
        if (cancelled) return;
        setSession(s);
        setServerLink(s.session.link);
      },
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [id]);

  useEffect(() => {
    if (!session || !stage.current || session.session.status === 'ended') return;
    // The replay's images and fonts, sent by the customer's side (issue 20); kept while this page lives.
    const assets = createAssetStore({ onOverLimit: () => setView((v) => ({ ...v, assetsCapped: true })) });
    replay.current = startLiveReplay(stage.current, { assets, placeholderLabels: () => ({ 'other-site': m().replayOtherSite }) });
    nameReplay(stage.current);
    const onMessage = (message: ToViewer) => {
      if (message.type === 'events') replay.current?.add(message.events);
      else if (message.type === 'asset') void assets.receive(message);
      else if (isControlMessage(message)) setControl((v) => applyControlMessage(v, message, clicksSent.current));
      else if (message.type === 'tab-state') setView((v) => ({ ...v, tab: message.state === 'sharing' ? 'sharing' : 'paused', pausedReason: message.reason }));
      else if (message.type === 'end') setView((v) => ({ ...v, link: 'closed', tab: 'ended', endReason: message.reason }));
      // The customer's extension refused something we sent: show it, the session goes on.
      else if (message.type === 'error') setView((v) => ({ ...v, peerError: `${message.code}: ${message.message}` }));
    };
    host.current = hostViewer({
      serverUrl: location.origin,
      session,
      onMessage,
      onReject: (code, m) => console.warn('meekijk viewer rejected', code, m),
      onState: (link: LinkState, detail?: string) =>
        setView((v) => {
          // After the end, the peer going down (PeerJS reports its server link as an error) is no news.
          if (v.tab === 'ended') return v;
          // A link that closes without the customer's goodbye was lost, not ended by anyone.
          if (link === 'closed') return { ...v, link, tab: 'ended', endReason: v.endReason ?? 'connection-lost', ...(detail ? { detail } : {}) };
          // Nothing arrives while the customer's extension dials again: not live, not ended (issue 17).
          if (link === 'reconnecting') return { ...v, link, tab: 'waiting', ...(detail ? { detail } : {}) };
          // Nothing heard for a moment on a connection that is kept: not live; the tab's state holds for
          // when the customer is heard again (their extension says it anew only if it noticed too).
          if (link === 'quiet') return { ...v, link: 'reconnecting', ...(detail ? { detail } : {}) };
          return { ...v, link, ...(detail ? { detail } : {}) };
        }),
      onVerificationCode: setCode,
      onVerificationFailed: () => setCode(false),
    });
    const stopInput = startControlInput({
      stage: stage.current,
      frame: () => replay.current?.frame(),
      granted: () => controlRef.current.phase === 'granted',
      send: (message) => host.current?.send(message),
      onTypingRefused: () => {
        setTypingRefused(true);
        clearTimeout(typingNote.current);
        typingNote.current = setTimeout(() => setTypingRefused(false), 5000);
      },
      onClick: (seq, at) => {
        clicksSent.current.set(seq, performance.now());
        setMarkers((list) => [...list.slice(-4), { seq, ...at }]);
        setTimeout(() => setMarkers((list) => list.filter((m) => m.seq !== seq)), 900);
      },
    });
    // A viewer that closes (tab closed, F5) closes its channel now, so the customer's side says
    // "reconnecting" at once: left to ICE it noticed only after 10-12 s, past issue 17's 2 s agreement.
    const leave = () => host.current?.close();
    // Brought back from the back/forward cache, the closed host is of no use: start afresh.
    const back = (event: PageTransitionEvent) => event.persisted && location.reload();
    addEventListener('pagehide', leave);
    addEventListener('pageshow', back);
    return () => {
      removeEventListener('pagehide', leave);
      removeEventListener('pageshow', back);
      stopInput();
      host.current?.close();
      replay.current?.stop();
      assets.stop();
    };
  }, [session]);

  // The replay's iframe is named in the viewer's language (axe: frame-title).
  useEffect(() => {
    if (stage.current) nameReplay(stage.current);
    replay.current?.relabel();
  }, [locale.value]);

  const running = !!session && session.session.status !== 'ended' && view.tab !== 'ended';
  const endedBy = (reason: string | null) =>
    setView((v) => (v.tab === 'ended' ? v : { ...v, link: 'closed', tab: 'ended', endReason: (reason ?? undefined) as EndReason | undefined }));
  useServerTruth(
    api,
    id,
    running,
    (reason) => {
      endedBy(reason);
      host.current?.close();
    },
    setServerLink,
  );
  // A reloaded viewer of a session the customer joined waits for their extension to dial again.
  const rejoining = session?.session.status === 'active' && view.link === 'waiting';
  useGraceBackstop(api, id, running && (view.link === 'reconnecting' || rejoining), session?.reconnectGraceSeconds ?? 60, () => endedBy('connection-lost'));

  if (error) return <main class="center"><p class="error" role="alert">{error}</p></main>;
  if (!session) return <p class="loading">{m().loading}</p>;
  const ended = view.tab === 'ended' || session.session.status === 'ended';
  const link = rejoining ? 'reconnecting' : view.link;
  return (
    <main class="session" data-link={link} data-tab={ended ? 'ended' : view.tab} data-server-link={ended ? '' : (serverLink ?? '')}>
      {/* The server's word on the customer's link, where it adds to ours: not when both say connected. */}
      <StatusBar
        ticket={session.session.ticket}
        serverLink={ended || (serverLink === 'up' && link === 'connected') ? null : serverLink}
        view={ended ? { ...view, link, tab: 'ended' } : { ...view, link }}
        verificationCode={code}
        onEnd={
          ended
            ? undefined
            : async () => {
                host.current?.send({ type: 'end', reason: 'technician-ended' });
                await api.endSession(id).catch(() => undefined);
                setTimeout(() => host.current?.close(), 300);
                setView((v) => ({ ...v, link: 'closed', tab: 'ended', endReason: 'technician-ended' }));
              }
        }
      />
      {link !== 'connected' && link !== 'reconnecting' && !ended && <InvitePanel session={session} />}
      {ended && <EndedPanel reason={view.endReason ?? ((session.session.endReason ?? undefined) as ViewState['endReason'])} />}
      {!ended && view.link === 'connected' && (
        <ControlBar
          view={control}
          available={view.tab === 'sharing'}
          typingRefused={typingRefused}
          onRequest={() => host.current?.send({ type: 'control-request' })}
          onRelease={() => host.current?.send({ type: 'control-release' })}
        />
      )}
      <div class={`stage-wrap${control.phase === 'granted' && !ended ? ' in-control' : ''}`}>
        <div class="stage" ref={stage} role="region" aria-label={m().customerScreen} tabIndex={0} data-testid="stage" />
        <div class="marks" aria-hidden="true">
          {markers.map((m) => (
            <span key={m.seq} class="click-marker" style={{ left: `${m.x}px`, top: `${m.y}px` }} />
          ))}
        </div>
      </div>
    </main>
  );
}

function nameReplay(stage: HTMLElement) {
  const frame = stage.querySelector('iframe');
  if (!frame) return;
  frame.title = m().replayTitle;
  // One Tab stop for the customer's screen: the stage, which takes the typing (viewer/lib/control-input.ts).
  // Focus inside the copy would take keys that then reach no one.
  frame.tabIndex = -1;
}
