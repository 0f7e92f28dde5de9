/**
 * Test instrumentation for the leak suite (never shipped). Captures every byte the customer's extension
 * hands to its RTCDataChannel, at the sender and after framing: in Chromium the offscreen document that
 * holds the peer gets `RTCDataChannel.prototype.send` wrapped the moment its target appears, before any
 * channel can open; in Firefox the background page (which holds the peer there) gets it wrapped at once,
 * with privileged script (support/gecko.ts). The viewer keeps a copy of every frame it receives, so a test can prove the capture complete
 * (a reliable, ordered channel delivers exactly what was sent) and read the technician's side too.
 */
import type { Browser, Page, Target } from 'puppeteer-core';
import { poll } from './stack';
import { MessageDecoder } from '@/lib/shared/transport/codec';
import type { CustomerExtension } from './extension';
import { inBackgroundPrivileged } from './gecko';
import { FIREFOX_ADDON_ID } from './browser';

const SENDER_TAP = `(() => {
  if (globalThis.__meekijkSent) return;
  const sent = [];
  globalThis.__meekijkSent = sent;
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    let bytes;
    if (typeof data === 'string') bytes = new TextEncoder().encode(data);
    else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data.slice(0));
    else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    else bytes = new TextEncoder().encode('[unreadable ' + Object.prototype.toString.call(data) + ']');
    sent.push(bytes);
    return send.call(this, data);
  };
})()`;

const RECEIVER_TAP = `(() => {
  const Original = window.RTCPeerConnection;
  window.__meekijkReceived = [];
  const keep = (channel) => channel.addEventListener('message', (e) => {
    const d = e.data;
    window.__meekijkReceived.push(typeof d === 'string' ? new TextEncoder().encode(d) : new Uint8Array(d instanceof ArrayBuffer ? d.slice(0) : d));
  });
  window.RTCPeerConnection = class extends Original {
    constructor(...args) { super(...args); this.addEventListener('datachannel', (e) => keep(e.channel)); }
    createDataChannel(...args) { const c = super.createDataChannel(...args); keep(c); return c; }
  };
})()`;

/** Drains captured frames (base64, so they survive the trip out of the browser). */
const drain = (slot: string) => `(() => {
  const frames = (globalThis.${slot} ?? []).splice(0);
  return frames.map((bytes) => { let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000)); return btoa(s); });
})()`;

export interface WireTap {
  /** Every frame the customer's extension sent so far (all sessions since the tap was installed). */
  sent(): Promise<Uint8Array[]>;
  stop(): void;
}

/** Wraps the data channel's send() where the customer's extension holds its peer, from now on. */
export function tapCustomerWire(browser: Browser, extension: CustomerExtension): WireTap {
  return extension.engine === 'firefox' ? tapBackgroundPage(browser) : tapOffscreen(browser, extension.id);
}

/** Firefox: the same wrapper as SENDER_TAP, put into the background page's own realm from outside. */
const GECKO_SENDER_TAP = (content: Window) => {
  const page = (content as unknown as { wrappedJSObject: Record<string, unknown> }).wrappedJSObject as {
    __meekijkSent?: string[];
    RTCDataChannel: { prototype: { send(data: unknown): void } };
    Array: ArrayConstructor;
    Uint8Array: Uint8ArrayConstructor;
  };
  if (page.__meekijkSent) return true;
  const sent = new page.Array() as string[];
  page.__meekijkSent = sent;
  const proto = page.RTCDataChannel.prototype;
  const send = proto.send;
  type Utils = { exportFunction(fn: unknown, target: unknown, options: { defineAs: string }): unknown };
  const scope = globalThis as unknown as { Cu?: Utils; Components: { utils: Utils } };
  const utils = scope.Cu ?? scope.Components.utils;
  // Frame-script scope: no TextEncoder here; the page's own btoa, and strings turned to UTF-8 by hand.
  const toBase64 = (data: unknown): string => {
    const tag = Object.prototype.toString.call(data);
    if (typeof data === 'string') return content.btoa(unescape(encodeURIComponent(data)));
    // The bytes are read through the page realm's own Uint8Array: the frame script may not use its own
    // typed-array constructor on the page's buffers ("Permission denied to access property constructor").
    let bytes: { length: number; [index: number]: number };
    if (tag === '[object ArrayBuffer]') bytes = new page.Uint8Array(data as ArrayBuffer);
    else if (/Array\]$|DataView\]$/.test(tag)) {
      const view = data as Uint8Array;
      bytes = new page.Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    } else return content.btoa('[unreadable ' + tag + ']');
    let text = '';
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
    return content.btoa(text);
  };
  utils.exportFunction(
    function (this: unknown, data: unknown) {
      let captured: string;
      try {
        captured = toBase64(data);
      } catch (error) {
        // Seen by the test as a frame that does not decode: a capture failure can never pass silently.
        captured = content.btoa('[capture failed: ' + String(error) + ']');
      }
      sent.push(captured);
      return send.call(this, data);
    },
    proto,
    { defineAs: 'send' },
  );
  return true;
};

const GECKO_DRAIN = (content: Window) => {
  const page = (content as unknown as { wrappedJSObject: { __meekijkSent?: string[] } }).wrappedJSObject;
  return Array.from(page.__meekijkSent?.splice(0) ?? []).map(String);
};

function tapBackgroundPage(browser: Browser): WireTap {
  const captured: Uint8Array[] = [];
  const installed = inBackgroundPrivileged<boolean>(browser, FIREFOX_ADDON_ID, GECKO_SENDER_TAP as never);
  return {
    async sent() {
      await installed;
      for (const b64 of await inBackgroundPrivileged<string[]>(browser, FIREFOX_ADDON_ID, GECKO_DRAIN as never)) captured.push(Buffer.from(b64, 'base64'));
      return [...captured];
    },
    stop() {},
  };
}

function tapOffscreen(browser: Browser, extensionId: string): WireTap {
  const offscreen = `chrome-extension://${extensionId}/offscreen.html`;
  const sessions = new Map<Target, Awaited<ReturnType<Target['createCDPSession']>>>();
  const captured: Uint8Array[] = [];
  // A tap that could not be installed on a document that is still open would let a leak pass unseen,
  // so that error is kept and thrown by sent(); a document that closed first sent nothing we could read.
  let installError: unknown;
  const install = async (target: Target) => {
    if (!target.url().startsWith(offscreen) || sessions.has(target)) return;
    const session = await target.createCDPSession();
    sessions.set(target, session);
    await session.send('Runtime.evaluate', { expression: SENDER_TAP });
  };
  const onTarget = (target: Target) => {
    install(target).catch((error: unknown) => {
      sessions.delete(target);
      const closed = (error as Error | undefined)?.name === 'TargetCloseError' || !browser.targets().includes(target);
      if (!closed) installError ??= error;
    });
  };
  const collect = async () => {
    for (const [target, session] of sessions) {
      try {
        const { result } = await session.send('Runtime.evaluate', { expression: drain('__meekijkSent'), returnByValue: true });
        for (const b64 of result.value as string[]) captured.push(Buffer.from(b64, 'base64'));
      } catch {
        sessions.delete(target); // the document closed; what it sent was drained before
      }
    }
  };
  browser.on('targetcreated', onTarget);
  browser.on('targetchanged', onTarget);
  browser.targets().forEach(onTarget);
  return {
    async sent() {
      await collect();
      if (installError) throw installError;
      return [...captured];
    },
    stop() {
      browser.off('targetcreated', onTarget);
      browser.off('targetchanged', onTarget);
    },
  };
}

export async function tapViewerWire(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(RECEIVER_TAP);
}

export async function viewerReceived(page: Page): Promise<Uint8Array[]> {
  const frames = (await page.evaluate(drain('__meekijkReceived'))) as string[];
  return frames.map((b64) => Buffer.from(b64, 'base64'));
}

/** Decodes captured frames exactly as the viewer does, into the JSON text of every message. */
export function decodeFrames(frames: Uint8Array[]): { messages: string[]; errors: string[] } {
  const decoder = new MessageDecoder();
  const messages: string[] = [];
  const errors: string[] = [];
  for (const frame of frames) {
    for (const result of decoder.push(frame)) {
      if (result.ok) messages.push(JSON.stringify(result.value));
      else errors.push(result.error.message);
    }
  }
  return { messages, errors };
}

/**
 * Everything the technician's browser holds of the replayed page: markup, live field values, open shadow
 * roots and frames, and the rules of every stylesheet (inserted, replaced and adopted ones are not in the
 * markup), as one string to search.
 */
export async function viewerReplayText(viewer: Page): Promise<string> {
  return viewer.evaluate(() => {
    const parts: string[] = [];
    const rules = (sheets: Iterable<CSSStyleSheet>) => {
      for (const sheet of sheets) {
        try {
          for (const rule of sheet.cssRules) parts.push(rule.cssText);
        } catch {
          parts.push('[unreadable stylesheet]');
        }
      }
    };
    const visit = (root: Document | ShadowRoot) => {
      rules(root.styleSheets);
      rules(root.adoptedStyleSheets ?? []);
      if ('documentElement' in root && root.documentElement) parts.push(root.documentElement.outerHTML, root.title);
      for (const el of root.querySelectorAll('*')) {
        // Tag names, not instanceof: the replay lives in another frame, with its own element classes.
        if (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)) parts.push(String((el as HTMLInputElement).value));
        if (el.shadowRoot) {
          parts.push(el.shadowRoot.innerHTML);
          visit(el.shadowRoot);
        }
        const frameDoc = el.tagName === 'IFRAME' ? (el as HTMLIFrameElement).contentDocument : null;
        if (frameDoc) visit(frameDoc);
      }
    };
    const stage = document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument;
    if (stage) visit(stage);
    parts.push(document.documentElement.outerHTML);
    return parts.join('\n');
  });
}

/** Waits until the viewer has received every frame the extension sent, then returns what was sent. */
export async function settleWire(wire: WireTap, viewer: Page, received: Uint8Array[]): Promise<Uint8Array[]> {
  let sent: Uint8Array[] = [];
  await poll('viewer received every frame sent', async () => {
    sent = await wire.sent();
    received.push(...(await viewerReceived(viewer)));
    return sent.length > 0 && sent.length === received.length;
  }, 20_000, 200);
  return sent;
}

export interface CapturedWire {
  frames: Uint8Array[];
  bytes: Buffer;
  messages: string[];
  /** Every message's JSON text, one a line. */
  decoded: string;
}

/**
 * Everything the extension sent so far, once the viewer has received all of it: checked to be exactly
 * what the viewer got (a reliable, ordered channel) and decoded as the viewer decodes it.
 */
export async function captureWire(wire: WireTap, viewer: Page): Promise<CapturedWire> {
  const received: Uint8Array[] = [];
  const frames = await settleWire(wire, viewer, received);
  const bytes = Buffer.concat(frames);
  if (Buffer.compare(bytes, Buffer.concat(received)) !== 0) {
    const at = frames.findIndex((frame, i) => Buffer.compare(Buffer.from(frame), Buffer.from(received[i] ?? [])) !== 0);
    const show = (f: Uint8Array | undefined) => (f ? `${f.length} bytes ${f[0] === 0x5b ? Buffer.from(f).toString('latin1') : Buffer.from(f.subarray(0, 24)).toString('hex')}` : 'none');
    throw new Error(`the viewer did not receive exactly what the extension sent: frame ${at} of ${frames.length} differs (sent ${show(frames[at])}, received ${show(received[at])})`);
  }
  const { messages, errors } = decodeFrames(frames);
  if (errors.length) throw new Error(`frames the viewer cannot decode: ${errors.join('; ')}`);
  return { frames, bytes, messages, decoded: messages.join('\n') };
}
