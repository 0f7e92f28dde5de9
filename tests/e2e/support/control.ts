/**
 * Test instrumentation for remote control (issue 6), never shipped:
 * - `ClosedUi` finds our elements inside closed shadow roots through the DevTools protocol (which pierces
 *   them, unlike any page script), so a test can click them with real, trusted input;
 * - `WireReader` decodes what the viewer received, to learn the customer's rrweb node ids by DOM id;
 * - `sendAsViewer` speaks the protocol as a hostile viewer would: any message, straight onto the channel.
 */
import type { CDPSession, Page } from 'puppeteer-core';
import { encodeFrame } from '@/lib/protocol/frame';
import { MessageDecoder } from '@/lib/shared/transport/codec';
import { sendRaw } from './channel-spy';
import { inPagePrivileged } from './gecko';
import type { UiRootCopy } from './axe';

interface DomNode {
  nodeId: number;
  nodeName: string;
  shadowRootType?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  nodeValue?: string;
}

export interface ClosedUi {
  /** Centre of the element with `data-action=<action>`, in viewport pixels, or null when absent or hidden. */
  center(action: string): Promise<{ x: number; y: number } | null>;
  /** Outer HTML of the first element with this class (inside closed roots too), or null. */
  html(className: string): Promise<string | null>;
  /**
   * Every `<meekijk-ui>` host's closed shadow root as it is now (our stylesheet, then the UI), with the
   * host's `lang`: to be checked by axe as a copy (axeOnUiCopy in ./axe.ts).
   */
  roots(): Promise<UiRootCopy[]>;
}

export const ClosedUi = {
  /** Chromium: the DevTools protocol pierces closed roots; Firefox: privileged page script (gecko.ts). */
  async attach(page: Page): Promise<ClosedUi> {
    const firefox = (await page.browser().version()).toLowerCase().startsWith('firefox');
    return firefox ? new GeckoClosedUi(page) : new CdpClosedUi(await page.createCDPSession());
  },
};

/** Walks the page and every shadow root, closed ones too (openOrClosedShadowRoot: privileged only). */
const FIND_IN_CLOSED = (content: Window, kind: 'action' | 'class', value: string, want: 'center' | 'html') => {
  const visit = (root: Document | ShadowRoot): Element | null => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const hit = kind === 'action' ? el.getAttribute('data-action') === value : el.classList.contains(value);
      if (hit) return el;
      const shadow = (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
      const inner = shadow ? visit(shadow) : null;
      if (inner) return inner;
    }
    return null;
  };
  const found = visit(content.document);
  if (!found) return null;
  if (want === 'html') return found.outerHTML;
  const r = found.getBoundingClientRect();
  return r.width > 0 && r.height > 0 ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
};

/** The closed roots of our `<meekijk-ui>` hosts, read with privileges (Firefox). */
const UI_ROOTS = (content: Window) =>
  Array.from(content.document.querySelectorAll('meekijk-ui')).map((host) => {
    const shadow = (host as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
    if (!shadow) throw new Error('a <meekijk-ui> host without a shadow root');
    return { lang: host.getAttribute('lang'), html: Array.from(shadow.children).map((c) => c.outerHTML).join('') };
  });

class GeckoClosedUi implements ClosedUi {
  constructor(private readonly page: Page) {}

  center(action: string) {
    return inPagePrivileged<{ x: number; y: number } | null>(this.page, FIND_IN_CLOSED as never, 'action', action, 'center');
  }

  html(className: string) {
    return inPagePrivileged<string | null>(this.page, FIND_IN_CLOSED as never, 'class', className, 'html');
  }

  roots() {
    return inPagePrivileged<UiRootCopy[]>(this.page, UI_ROOTS as never);
  }
}

class CdpClosedUi implements ClosedUi {
  constructor(private readonly cdp: CDPSession) {}

  private async find(predicate: (node: DomNode) => boolean): Promise<DomNode | undefined> {
    const { root } = (await this.cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const walk = (node: DomNode): DomNode | undefined => {
      if (predicate(node)) return node;
      for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
        const found = walk(child);
        if (found) return found;
      }
      return undefined;
    };
    return walk(root);
  }

  async center(action: string): Promise<{ x: number; y: number } | null> {
    const node = await this.find((n) => attr(n, 'data-action') === action);
    if (!node) return null;
    try {
      const { model } = (await this.cdp.send('DOM.getBoxModel', { nodeId: node.nodeId })) as { model: { content: number[] } };
      const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
      return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
    } catch {
      return null;
    }
  }

  async html(className: string): Promise<string | null> {
    const node = await this.find((n) => (attr(n, 'class') ?? '').split(/\s+/).includes(className));
    if (!node) return null;
    const { outerHTML } = (await this.cdp.send('DOM.getOuterHTML', { nodeId: node.nodeId })) as { outerHTML: string };
    return outerHTML;
  }

  async roots(): Promise<UiRootCopy[]> {
    const { root } = (await this.cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const hosts: DomNode[] = [];
    const walk = (node: DomNode) => {
      if (node.nodeName === 'MEEKIJK-UI') hosts.push(node);
      for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) walk(child);
    };
    walk(root);
    const copies: UiRootCopy[] = [];
    for (const host of hosts) {
      const shadow = host.shadowRoots?.find((r) => r.shadowRootType === 'closed');
      if (!shadow) throw new Error('a <meekijk-ui> host without a closed shadow root');
      const parts = await Promise.all((shadow.children ?? []).map((c) => this.cdp.send('DOM.getOuterHTML', { nodeId: c.nodeId }) as Promise<{ outerHTML: string }>));
      copies.push({ lang: attr(host, 'lang') ?? null, html: parts.map((p) => p.outerHTML).join('') });
    }
    return copies;
  }
}

function attr(node: DomNode, name: string): string | undefined {
  const list = node.attributes ?? [];
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}

/** Keeps every frame the viewer receives (installed before the viewer's scripts run). */
export const RECEIVE_TAP = `(() => {
  const Original = window.RTCPeerConnection;
  window.__controlFrames = [];
  const keep = (channel) => channel.addEventListener('message', (e) => {
    const d = e.data;
    window.__controlFrames.push(Array.from(new Uint8Array(d instanceof ArrayBuffer ? d : new TextEncoder().encode(String(d)))));
  });
  window.RTCPeerConnection = class extends Original {
    constructor(...args) { super(...args); this.addEventListener('datachannel', (e) => keep(e.channel)); }
    createDataChannel(...args) { const c = super.createDataChannel(...args); keep(c); return c; }
  };
})();`;

interface SerializedNode {
  id: number;
  attributes?: Record<string, unknown>;
  childNodes?: SerializedNode[];
}

/** Reads the viewer's received stream: the customer's rrweb id for each DOM id seen so far. */
export class WireReader {
  private readonly decoder = new MessageDecoder();
  readonly ids = new Map<string, number>();
  readonly messages: Array<{ type: string; [key: string]: unknown }> = [];

  constructor(private readonly page: Page) {}

  async update(): Promise<void> {
    const frames = (await this.page.evaluate('window.__controlFrames.splice(0)')) as number[][];
    for (const frame of frames) {
      for (const result of this.decoder.push(new Uint8Array(frame))) {
        if (!result.ok) continue;
        const message = result.value as { type: string; events?: Array<{ type: number; data: Record<string, unknown> }> };
        this.messages.push(message);
        for (const event of message.events ?? []) this.index(event);
      }
    }
  }

  /** The rrweb id of the element with this DOM id, as the technician's replay knows it. */
  async idOf(domId: string): Promise<number> {
    await this.update();
    const id = this.ids.get(domId);
    if (id === undefined) throw new Error(`no rrweb id seen for #${domId}`);
    return id;
  }

  private index(event: { type: number; data: Record<string, unknown> }) {
    const walk = (node: SerializedNode) => {
      const domId = node.attributes?.['id'];
      if (typeof domId === 'string') this.ids.set(domId, node.id);
      node.childNodes?.forEach(walk);
    };
    if (event.type === 2) walk(event.data['node'] as SerializedNode);
    if (event.type === 3 && event.data['source'] === 0) {
      for (const add of (event.data['adds'] as Array<{ node: SerializedNode }> | undefined) ?? []) walk(add.node);
    }
  }
}

let nextId = 0x7000_0000;

/** Sends one protocol message from the viewer's page straight onto the data channel (uncompressed frame). */
export async function sendAsViewer(page: Page, message: unknown): Promise<void> {
  const body = new TextEncoder().encode(JSON.stringify(message));
  await sendRaw(page, [...encodeFrame({ flags: 0, messageId: nextId++, index: 0, count: 1 }, body)]);
}

/**
 * The customer allows control with the keyboard, as the prompt requires (lib/tab/control/prompt.ts): not in
 * its first 600 ms, and Allow focused for 600 ms before Enter. Returns once the viewer shows control granted.
 */
export async function allowWithKeyboard(tab: Page, viewer: Page): Promise<void> {
  await tab.bringToFront();
  await new Promise((r) => setTimeout(r, 700));
  await tab.keyboard.press('Tab');
  await new Promise((r) => setTimeout(r, 700));
  await tab.keyboard.press('Enter');
  await viewer.bringToFront();
  await viewer.waitForSelector('[data-testid=control-bar][data-state=granted]');
  await tab.bringToFront();
}
