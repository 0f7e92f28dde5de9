/**
 * Issue 19, finding 7, in real Chromium: the verification code binds to the actual connection. One page
 * plays the signalling relay (the position a rogue server holds): it wires the customer's end and the
 * technician's end (lib/peer/peer-end.ts's channel link, the code both products run) either to each
 * other, or each to a peer connection of its own and relays every data channel message between them.
 * Directly, both ends show one code; through the relay, which passes the commit-reveal exchange on
 * untouched, each end hashes its own DTLS pair and the codes differ.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { fingerprintOf } from '@/lib/peer/verification';
import { chromiumPath } from './support/browser';

let browser: Browser;
let page: Page;
let server: http.Server;

async function bundleHarness(): Promise<string> {
  const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.meekijk-channel-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, `import '${join(process.cwd(), 'tests/e2e/support/channel-harness.ts')}';\n`);
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      root: process.cwd(),
      resolve: { alias: { '@': process.cwd() } },
      build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'channelHarness', fileName: 'harness' } },
    })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
    const output = Array.isArray(result) ? result[0]! : result;
    return output.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const harness = await bundleHarness();
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--allow-loopback-in-peer-connection'],
  });
  // 127.0.0.1 is a secure context, as the viewer's and the extension's pages are (WebCrypto).
  server = http.createServer((_req, res) => res.end('<!doctype html><title>relay</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.addScriptTag({ content: harness });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

interface EndReport {
  code: string | undefined;
  /** Message types this end's own handler received (the exchange's never reach it). */
  received: string[];
  localSdp: string;
  remoteSdp: string;
}

/**
 * Connects a customer end and a technician end, directly or through a relay, and waits for both codes.
 * Runs in the page; `relayed` decides who the customer's connection really reaches.
 */
async function session(relayed: boolean): Promise<{ customer: EndReport; technician: EndReport; relayedMessages: number }> {
  return page.evaluate(async (relayed) => {
    type Channel = RTCDataChannel;
    const peer = (window as unknown as { meekijkPeer: any }).meekijkPeer;
    const gathered = (pc: RTCPeerConnection) =>
      new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      });
    const opened = (channel: Channel) => new Promise<void>((resolve) => (channel.readyState === 'open' ? resolve() : channel.addEventListener('open', () => resolve(), { once: true })));
    /** The offerer's channel and the answerer's, both open; SDP handed over by this page, as a relay would. */
    async function connect(offerer: RTCPeerConnection, answerer: RTCPeerConnection): Promise<[Channel, Channel]> {
      const channel = offerer.createDataChannel('meekijk', { ordered: true });
      const incoming = new Promise<Channel>((resolve) => (answerer.ondatachannel = (e) => resolve(e.channel)));
      await offerer.setLocalDescription(await offerer.createOffer());
      await gathered(offerer);
      await answerer.setRemoteDescription(offerer.localDescription!);
      await answerer.setLocalDescription(await answerer.createAnswer());
      await gathered(answerer);
      await offerer.setRemoteDescription(answerer.localDescription!);
      const other = await incoming;
      await Promise.all([opened(channel), opened(other)]);
      return [channel, other];
    }

    const customerPc = new RTCPeerConnection();
    const technicianPc = new RTCPeerConnection();
    let customerChannel: Channel;
    let technicianChannel: Channel;
    let relayedMessages = 0;
    if (relayed) {
      // The relay answers the customer as if it were the technician, and calls the technician as if it
      // were the customer; every message goes across unchanged, the verification exchange included.
      const towardsCustomer = new RTCPeerConnection();
      const towardsTechnician = new RTCPeerConnection();
      const [c, relayC] = await connect(customerPc, towardsCustomer);
      const [relayT, t] = await connect(towardsTechnician, technicianPc);
      for (const [from, to] of [[relayC, relayT], [relayT, relayC]] as const) {
        from.binaryType = 'arraybuffer';
        from.addEventListener('message', (e) => {
          relayedMessages++;
          to.send(e.data as ArrayBuffer);
        });
      }
      customerChannel = c;
      technicianChannel = t;
    } else {
      [customerChannel, technicianChannel] = await connect(customerPc, technicianPc);
    }

    const report = (pc: RTCPeerConnection): EndReport => ({ code: undefined, received: [], localSdp: pc.localDescription!.sdp, remoteSdp: pc.remoteDescription!.sdp });
    const customer = report(customerPc);
    const technician = report(technicianPc);
    const both = new Promise<void>((resolve) => {
      const done = () => customer.code && technician.code && resolve();
      peer.openChannelLink(customerChannel, customerPc, { type: 'hello', protocol: peer.PROTOCOL_VERSION, sessionId: 's-relay', invite: 'a.b' }, {
        role: 'customer',
        parse: peer.parseToExtension,
        onMessage: (m: { type: string }) => customer.received.push(m.type),
        onLost: () => undefined,
        onVerificationCode: (code: string) => ((customer.code = code), done()),
      });
      peer.openChannelLink(technicianChannel, technicianPc, { type: 'hello', protocol: peer.PROTOCOL_VERSION }, {
        role: 'technician',
        parse: peer.parseToViewer,
        onMessage: (m: { type: string }) => technician.received.push(m.type),
        onLost: () => undefined,
        onVerificationCode: (code: string) => ((technician.code = code), done()),
      });
    });
    await Promise.race([both, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    return { customer, technician, relayedMessages };
  }, relayed) as Promise<{ customer: EndReport; technician: EndReport; relayedMessages: number }>;
}

describe('the verification code on real peer connections', () => {
  it('is the same at both ends of one connection', async () => {
    const { customer, technician } = await session(false);
    expect(customer.code).toMatch(/^\d{3} \d{3}$/);
    expect(technician.code).toBe(customer.code);
    expect(customer.received).toEqual(['hello']);
    expect(technician.received).toEqual(['hello']);
  }, 60_000);

  it('differs at the two ends when a relay in the middle runs two connections, though every message crosses', async () => {
    const { customer, technician, relayedMessages } = await session(true);
    // The relay is in the middle: each end's remote fingerprint is the relay's, not the other end's.
    expect(fingerprintOf(customer.remoteSdp)).not.toBe(fingerprintOf(technician.localSdp));
    expect(fingerprintOf(technician.remoteSdp)).not.toBe(fingerprintOf(customer.localSdp));
    // Everything got through: both hellos, and the whole exchange (commit, nonce, reveal).
    expect(customer.received).toEqual(['hello']);
    expect(technician.received).toEqual(['hello']);
    expect(relayedMessages).toBeGreaterThanOrEqual(5);
    expect(customer.code).toMatch(/^\d{3} \d{3}$/);
    expect(technician.code).toMatch(/^\d{3} \d{3}$/);
    expect(technician.code).not.toBe(customer.code);
  }, 60_000);
});
