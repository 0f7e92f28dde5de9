/**
 * The three ways a scenario is run: without recording (the page's own cost), through Meekijk (extension ->
 * PeerJS data channel -> viewer), and as a WebRTC video of the tab (VP8 tab capture), the comparison.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumPath } from '@/tests/e2e/support/browser';
import { Customer } from '@/tests/e2e/support/customer';
import { poll, type Stack } from '@/tests/e2e/support/stack';
import { ViewerPage } from '@/tests/e2e/support/viewer-page';
import { PC_SPY, VIEWER_WATCH } from './viewer-watch';
import type { Scenario } from './scenarios';
import {
  clockSkew,
  cpuMeter,
  heapAfterGc,
  longTasksSince,
  offscreenBytes,
  pageNow,
  sleep,
  viewerBytes,
  viewerFrames,
  type Bytes,
} from './probes';

export const VIEWPORT = { width: 1280, height: 720 };
/** After the scripted activity, time for the last changes to reach the viewer before reading the counters. */
const TRAIL_MS = 1_500;

export interface PageCost {
  /** Elements in the page (document.getElementsByTagName('*')). */
  elements: number;
  windowMs: number;
  scriptMs: number;
  taskMs: number;
  heapBytes: number;
  longTasks: number[];
}

/** The customer's tab: its own window (so it keeps rendering), at the bench's viewport, with `url` loaded. */
export async function openTab(browser: Browser, url: string): Promise<Page> {
  const tab = await browser.newPage({ type: 'window' });
  await tab.setViewport(VIEWPORT);
  await tab.goto(url, { waitUntil: 'load', timeout: 60_000 });
  return tab;
}

/** The scenario on the page, with nothing recording it: what the page costs by itself. */
export async function baselineRun(browser: Browser, url: string, scenario: Scenario): Promise<PageCost> {
  const tab = await openTab(browser, url);
  await sleep(1_000);
  const elements = (await tab.evaluate("document.getElementsByTagName('*').length")) as number;
  const since = await pageNow(tab);
  const cpu = cpuMeter(tab);
  const started = Date.now();
  await scenario.activity(tab);
  await sleep(TRAIL_MS);
  const { scriptMs, taskMs } = await cpu.stop();
  const windowMs = Date.now() - started;
  const heapBytes = await heapAfterGc(tab);
  const longTasks = await longTasksSince(tab, since);
  await tab.close();
  return { elements, windowMs, scriptMs, taskMs, heapBytes, longTasks };
}

export interface RecordedResult {
  cost: PageCost;
  /** Consent click to the first complete frame painted in the viewer. */
  firstFrameMs: number;
  /**
   * Its parts: consent -> data channel open (connect) -> the recorder posts the snapshot (record: injection,
   * rrweb start, serialising) -> its first frame arrives in the viewer (forward: content script, background,
   * offscreen document, compression) -> its last frame (transfer) -> rebuilt in the replay -> painted.
   */
  firstFrameStages: { connect: number; record: number; injected: number; started: number; snapshotAt: number; forward: number; transfer: number; rebuild: number; paint: number; snapshotBytes: number } | null;
  /** Per probe: page change to painted in the viewer (ms); null if it never showed. */
  latencies: Array<number | null>;
  /** Per probe: how much later it was painted in the viewer than on the customer's own screen (ms). */
  behindCustomer: number[];
  /** Per probe: change to painted on the customer's own screen (the floor any mirror starts from). */
  ownPaint: number[];
  /** Per probe that showed: page change -> batch posted by the recorder -> frame arrived -> painted. */
  stages: Array<{ page: number; recorder: number; transit: number; apply: number; paint: number }>;
  /** Session duration the byte counts cover (consent to the counters being read). */
  sessionMs: number;
  viewer: Bytes;
  customer: Bytes | undefined;
  frames: number;
  frameBytes: number;
  messages: unknown[];
  clockSkewMs: number;
  /** Frames the viewer page rendered per second during the activity (its display rate here). */
  viewerFps: number;
}

/**
 * The technician's side: the viewer signed in, a session started (`label` names it) and the paint watch
 * installed. `spyOnConnections` also counts the viewer's RTCPeerConnections' bytes (PC_SPY), which needs a
 * reload before sign-in.
 */
export async function openWatchedViewer(stack: Stack, label: string, { spyOnConnections = false } = {}): Promise<{ viewer: ViewerPage; code: string }> {
  const viewer = await ViewerPage.open(stack.launched.browser, stack.serverUrl);
  if (spyOnConnections) {
    await viewer.page.evaluateOnNewDocument(PC_SPY);
    await viewer.page.reload();
  }
  await viewer.ensureSignedIn();
  const code = await viewer.startSession(label);
  await viewer.page.evaluate(VIEWER_WATCH);
  return { viewer, code };
}

/** Types the code and consents in the real popup (as Customer.joinWithCode), noting when the click lands. */
export async function consent(customer: Customer, code: string): Promise<number> {
  const popup = await customer.openPopup();
  await popup.waitForSelector('#code');
  await popup.type('#code', code);
  await popup.click('button[type=submit]');
  await popup.waitForSelector('#consent-title');
  const button = '.actions button.primary';
  await popup.waitForSelector(button);
  await popup.evaluate(
    `document.querySelector(${JSON.stringify(button)}).addEventListener('click', () => { window.__consentAt = performance.timeOrigin + performance.now(); }, { capture: true, once: true })`,
  );
  const fallback = Date.now();
  await popup.click(button);
  const at = (await popup.evaluate('window.__consentAt').catch(() => undefined)) as number | undefined;
  return at ?? fallback;
}

/** The scenario through Meekijk: the real popup, extension, PeerJS data channel and viewer. */
export async function recordedRun(stack: Stack, url: string, scenario: Scenario): Promise<RecordedResult> {
  const { browser, extension } = stack.launched;
  const { viewer, code } = await openWatchedViewer(stack, `BENCH-${scenario.id}`, { spyOnConnections: true });

  const tab = await openTab(browser, url);
  const customer = new Customer(browser, extension, tab);
  await sleep(1_000);
  const since = await pageNow(tab);
  const cpu = cpuMeter(tab);
  const started = Date.now();
  const consentAt = await consent(customer, code);
  await customer.waitForPhase('live');
  await viewer.page.bringToFront();
  const firstFrame = await poll('first frame in the viewer', async () => (await viewer.page.evaluate('window.__watch.firstFrame')) as number | null, 60_000, 20);
  const endArrived = (await viewer.page.evaluate('window.__watch.endArrived')) as number;
  const snapshotCalledAt = (await tab.evaluate('window.__bench.snapshotCalledAt')) as number;
  const recorderReadyAt = (await tab.evaluate('window.__bench.recorderReadyAt')) as number;
  const recorderStartAt = (await tab.evaluate('window.__bench.recorderStartAt')) as number;
  const clockSkewMs = (await clockSkew(viewer.page)) - (await clockSkew(tab));

  const framesBefore = (await viewer.page.evaluate('window.__watch.frames')) as number;
  const activityStarted = Date.now();
  await scenario.activity(tab);
  const viewerFps = (((await viewer.page.evaluate('window.__watch.frames')) as number) - framesBefore) / ((Date.now() - activityStarted) / 1000);
  await sleep(TRAIL_MS);
  const { scriptMs, taskMs } = await cpu.stop();
  const windowMs = Date.now() - started;

  const [viewerSide, customerSide] = [await viewerBytes(viewer.page), await offscreenBytes(browser, extension.id)];
  const sessionMs = (await pageNow(tab)) - consentAt;
  const { probes, posted, called, painted } = (await tab.evaluate('window.__bench.all()')) as Record<'probes' | 'posted' | 'called' | 'painted', Record<string, number>>;
  const seen = (await viewer.page.evaluate('window.__watch.seen')) as Record<string, number | null>;
  const applied = (await viewer.page.evaluate('window.__watch.applied')) as Record<string, number>;
  const latencies = Object.entries(probes).map(([key, t0]) => (typeof seen[key] === 'number' ? seen[key]! - t0 : null));
  const ownPaint = Object.entries(probes).flatMap(([key, t0]) => (typeof painted[key] === 'number' ? [painted[key]! - t0] : []));
  const behindCustomer = Object.keys(probes).flatMap((key) => (typeof seen[key] === 'number' && typeof painted[key] === 'number' ? [seen[key]! - painted[key]!] : []));
  const decoded = await viewerFrames(viewer.page);
  const stages = Object.entries(probes).flatMap(([key, t0]) => {
    const [p, a, m, s] = [posted[key], decoded.probeArrivals[key], applied[key], seen[key]];
    return typeof p === 'number' && typeof a === 'number' && typeof m === 'number' && typeof s === 'number'
      ? [{ page: p - t0, recorder: (called[key] ?? p) - t0, transit: a - p, apply: m - a, paint: s - m }]
      : [];
  });

  const heapBytes = await heapAfterGc(tab);
  const longTasks = await longTasksSince(tab, since);
  await viewer.endSession();
  await customer.waitForPhase('ended').catch(() => undefined);
  await tab.close();
  await viewer.page.close();
  return {
    cost: { elements: 0, windowMs, scriptMs, taskMs, heapBytes, longTasks },
    firstFrameMs: firstFrame - consentAt,
    firstFrameStages:
      decoded.firstSnapshot && decoded.channelOpenAt
        ? {
            connect: decoded.channelOpenAt - consentAt,
            record: snapshotCalledAt - decoded.channelOpenAt,
            injected: recorderReadyAt - consentAt,
            started: recorderStartAt - consentAt,
            snapshotAt: snapshotCalledAt - consentAt,
            forward: decoded.firstSnapshot.firstFrameAt - snapshotCalledAt,
            transfer: decoded.firstSnapshot.lastFrameAt - decoded.firstSnapshot.firstFrameAt,
            rebuild: endArrived - decoded.firstSnapshot.lastFrameAt,
            paint: firstFrame - endArrived,
            snapshotBytes: decoded.firstSnapshot.bytes,
          }
        : null,
    latencies,
    behindCustomer,
    ownPaint,
    stages,
    sessionMs,
    viewer: viewerSide,
    customer: customerSide,
    frames: decoded.frames,
    frameBytes: decoded.frameBytes,
    messages: decoded.messages,
    clockSkewMs,
    viewerFps,
  };
}

export interface VideoResult {
  sessionMs: number;
  sender: Bytes;
  receiver: Bytes;
  framesEncoded: number;
  width: number;
  height: number;
  codec: string;
}

/** Captures the tab with getDisplayMedia and sends it over a plain RTCPeerConnection on loopback. */
const START_CAPTURE = `(async () => {
  const stream = await navigator.mediaDevices.getDisplayMedia({
    video: { displaySurface: 'browser', width: { ideal: 1280, max: 1280 }, height: { ideal: 720, max: 720 } },
  });
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  sender.onicecandidate = (e) => e.candidate && receiver.addIceCandidate(e.candidate);
  receiver.onicecandidate = (e) => e.candidate && sender.addIceCandidate(e.candidate);
  receiver.ontrack = (e) => { document.getElementById('remote').srcObject = e.streams[0]; };
  for (const track of stream.getTracks()) sender.addTrack(track, stream);
  await sender.setLocalDescription();
  await receiver.setRemoteDescription(sender.localDescription);
  await receiver.setLocalDescription();
  await sender.setRemoteDescription(receiver.localDescription);
  window.__video = { sender, receiver, stream };
  return performance.timeOrigin + performance.now();
})()`;

const READ_VIDEO = `(async () => {
  const out = { sender: { sent: 0, received: 0, packetsSent: 0 }, receiver: { sent: 0, received: 0, packetsSent: 0 }, framesEncoded: 0, width: 0, height: 0, codec: '' };
  for (const side of ['sender', 'receiver']) {
    const stats = await window.__video[side].getStats();
    stats.forEach((s) => {
      if (s.type === 'transport') { out[side].sent += s.bytesSent || 0; out[side].received += s.bytesReceived || 0; out[side].packetsSent += s.packetsSent || 0; }
      if (side === 'sender' && s.type === 'outbound-rtp' && s.kind === 'video') { out.framesEncoded = s.framesEncoded; out.width = s.frameWidth; out.height = s.frameHeight; }
      if (side === 'sender' && s.type === 'codec' && s.mimeType.startsWith('video/')) out.codec = s.mimeType;
    });
  }
  out.now = performance.timeOrigin + performance.now();
  window.__video.stream.getTracks().forEach((t) => t.stop());
  window.__video.sender.close();
  window.__video.receiver.close();
  return out;
})()`;

/** Chromium for the video run: no extension, and no fake media UI (it would disable tab auto-selection). */
export async function videoRun(url: string, scenario: Scenario): Promise<VideoResult> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'meekijk-bench-video-'));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    pipe: true,
    userDataDir,
    defaultViewport: VIEWPORT,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--allow-loopback-in-peer-connection',
      `--auto-select-tab-capture-source-by-title=${scenario.pageTitle}`,
    ],
  });
  try {
    const tab = await openTab(browser, url);
    const capture = await browser.newPage({ type: 'window' });
    await capture.goto(new URL('/capture.html', url).href);
    await sleep(1_000);
    const started = (await capture.evaluate(START_CAPTURE)) as number;
    await scenario.activity(tab);
    await sleep(TRAIL_MS);
    const read = (await capture.evaluate(READ_VIDEO)) as Omit<VideoResult, 'sessionMs'> & { now: number };
    const { now, ...rest } = read;
    return { ...rest, sessionMs: now - started };
  } finally {
    await browser.close().catch(() => undefined);
    await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}
