/**
 * Reading measurements out of the browser: page metrics (CDP Performance domain), heap after a forced
 * GC, transport bytes of peer connections (getStats), and the frames the viewer received.
 */
import type { Browser, Page } from 'puppeteer-core';
import { MessageDecoder } from '@/lib/shared/transport/codec';
import { TRANSPORT_BYTES } from './viewer-watch';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export interface Bytes {
  sent: number;
  received: number;
  packetsSent: number;
}

/** Script time and task time of one tab's renderer main thread so far, in ms (CDP Performance.getMetrics). */
export async function cpuTimes(page: Page): Promise<{ scriptMs: number; taskMs: number }> {
  const m = await page.metrics();
  return { scriptMs: (m.ScriptDuration ?? 0) * 1000, taskMs: (m.TaskDuration ?? 0) * 1000 };
}

/**
 * Script and task time of a tab over a stretch of time that may include navigations: the counters start
 * again with every new document, so they are sampled every 250 ms and a drop counts as a new document
 * (what the old one did after its last sample is lost: at most 250 ms worth).
 */
export function cpuMeter(page: Page): { stop(): Promise<{ scriptMs: number; taskMs: number }> } {
  const start = cpuTimes(page);
  let last = start;
  let carried = { scriptMs: 0, taskMs: 0 };
  const sample = async () => {
    const [previous, now] = [await last, await cpuTimes(page).catch(() => undefined)];
    if (!now) return previous;
    if (now.scriptMs < previous.scriptMs || now.taskMs < previous.taskMs) {
      carried = { scriptMs: carried.scriptMs + previous.scriptMs, taskMs: carried.taskMs + previous.taskMs };
    }
    return now;
  };
  const timer = setInterval(() => void (last = sample()), 250);
  return {
    async stop() {
      clearInterval(timer);
      last = sample();
      const [first, end] = [await start, await last];
      return { scriptMs: carried.scriptMs + end.scriptMs - first.scriptMs, taskMs: carried.taskMs + end.taskMs - first.taskMs };
    },
  };
}

export async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.createCDPSession();
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
  return (await page.metrics()).JSHeapUsedSize ?? 0;
}

/** The page's own wall clock (shared by every renderer on this machine). */
export async function pageNow(page: Page): Promise<number> {
  return (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
}

/** How far the page's clock is from Node's Date.now(), in ms (a sanity check for cross-page latencies). */
export async function clockSkew(page: Page): Promise<number> {
  return (await page.evaluate('performance.timeOrigin + performance.now() - Date.now()')) as number;
}

export async function longTasksSince(page: Page, since: number): Promise<number[]> {
  const tasks = (await page.evaluate('window.__bench.all().longTasks')) as Array<{ at: number; duration: number }>;
  return tasks.filter((t) => t.at >= since).map((t) => Math.round(t.duration));
}

const transportBytes = new Function(`return (${TRANSPORT_BYTES})`)() as (pcs: unknown) => Promise<Bytes>;

/** Transport bytes of every peer connection the viewer page made (PC_SPY keeps them). */
export async function viewerBytes(page: Page): Promise<Bytes> {
  return (await page.evaluate(`(${TRANSPORT_BYTES})(window.__pcs || [])`)) as Bytes;
}

/** Transport bytes of the customer's peer connection, read in the extension's offscreen document. */
export async function offscreenBytes(browser: Browser, extensionId: string): Promise<Bytes | undefined> {
  const target = browser.targets().find((t) => t.url().startsWith(`chrome-extension://${extensionId}/offscreen.html`));
  if (!target) return undefined;
  const page = await target.asPage();
  const proto = await page.evaluateHandle('RTCPeerConnection.prototype');
  const pcs = await page.queryObjects(proto);
  const bytes = await pcs.evaluate(transportBytes);
  await pcs.dispose();
  await proto.dispose();
  return bytes;
}

/** The frames the viewer received on the data channel (FRAME_TAP), decoded with our own codec. */
export interface ViewerFrames {
  frames: number;
  frameBytes: number;
  messages: unknown[];
  /** Probe key -> when the frame that completed the message carrying it arrived in the viewer. */
  probeArrivals: Record<string, number>;
  /** The first full snapshot: when its first and its last frame arrived, and its size on the wire. */
  firstSnapshot: { firstFrameAt: number; lastFrameAt: number; bytes: number } | null;
  /** When the data channel opened in the viewer. */
  channelOpenAt: number | null;
}

export async function viewerFrames(page: Page): Promise<ViewerFrames> {
  const times = (await page.evaluate('window.__frameTimes || []')) as number[];
  const encoded = (await page.evaluate(`(window.__frames || []).map((bytes) => {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  })`)) as string[];
  const decoder = new MessageDecoder();
  const messages: unknown[] = [];
  const probeArrivals: Record<string, number> = {};
  let frameBytes = 0;
  let messageStart = { at: 0, bytes: 0 };
  let firstSnapshot: ViewerFrames['firstSnapshot'] = null;
  encoded.forEach((b64, i) => {
    const bytes = Buffer.from(b64, 'base64');
    frameBytes += bytes.byteLength;
    if (messageStart.at === 0) messageStart = { at: times[i]!, bytes: 0 };
    messageStart.bytes += bytes.byteLength;
    const results = decoder.push(new Uint8Array(bytes));
    if (results.length > 0) {
      for (const result of results) {
        if (!result.ok) continue;
        messages.push(result.value);
        for (const key of probeKeys(result.value)) probeArrivals[key] ??= times[i]!;
        if (!firstSnapshot && hasFullSnapshot(result.value)) firstSnapshot = { firstFrameAt: messageStart.at, lastFrameAt: times[i]!, bytes: messageStart.bytes };
      }
      messageStart = { at: 0, bytes: 0 };
    }
  });
  const channelOpenAt = (await page.evaluate('window.__channelOpenAt ?? null')) as number | null;
  return { frames: encoded.length, frameBytes, messages, probeArrivals, firstSnapshot, channelOpenAt };
}

function hasFullSnapshot(message: unknown): boolean {
  const m = message as { type?: string; events?: Array<{ type?: number }> };
  return m.type === 'events' && Array.isArray(m.events) && m.events.some((e) => e.type === 2);
}

/** data-probe values set by mutation events in one wire message. */
function probeKeys(message: unknown): string[] {
  const keys: string[] = [];
  const events = (message as { type?: string; events?: unknown[] }).type === 'events' ? ((message as { events: unknown[] }).events ?? []) : [];
  for (const event of events as Array<{ type?: number; data?: { source?: number; attributes?: Array<{ attributes?: Record<string, unknown> }> } }>) {
    if (event.type !== 3 || event.data?.source !== 0) continue;
    for (const a of event.data.attributes ?? []) {
      const v = a.attributes?.['data-probe'];
      if (typeof v === 'string') keys.push(v);
    }
  }
  return keys;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
