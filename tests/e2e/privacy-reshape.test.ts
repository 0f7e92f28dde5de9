/**
 * Issue 18, the proof: what the customer types stays on their device however the page reshapes or relays
 * it, personal numbers are masked wherever the page shows them, and what must stay readable does.
 * Each class has its own random sentinels (tests/e2e/support/sentinels.ts: no two share a start), typed
 * with real key presses or shown by the page; none may appear, in any shape, in any byte the extension
 * sends (captured at the sender, decoded as the viewer decodes it) or anywhere in the technician's replay
 * (markup, field values, shadow roots and every stylesheet rule). Real Chromium, real server, real WebRTC.
 */
import type { ConsoleMessage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compact } from '@/lib/shared/privacy/fold';
import { MASK } from '@/lib/shared/mask';
import { Customer } from './support/customer';
import { captureWire, tapCustomerWire, tapViewerWire, viewerReplayText, type WireTap } from './support/privacy-wire';
import { Sentinels, ordinaryNumbers } from './support/sentinels';
import { poll, startStack, type Stack } from './support/stack';
import { ViewerPage } from './support/viewer-page';

// The fixture's site asks for e-mail addresses and phone numbers to be masked too (docs/site-owners.md).
const SITE_RULES = [{ sites: ['127.0.0.1'], detect: ['email', 'phone'] }];

/** Ways a page reshapes or relays a typed value (tests/fixtures/privacy/reshape.html), and what is typed. */
const TYPED_KINDS = ['style', 'insertRule', 'replaceSync', 'shadowSheet', 'button', 'closedHost', 'grouped', 'dashed', 'upper', 'split', 'title', 'link', 'echo'] as const;
type TypedKind = (typeof TYPED_KINDS)[number];
const PER_KIND = 6;

interface Case {
  kind: string;
  value: string;
  /** Folded strings none of which may leave: the whole value, and the parts a page may show alone. */
  needles: string[];
}

let stack: Stack;
let wire: WireTap;

beforeAll(async () => {
  stack = await startStack({ MEEKIJK_SITE_RULES: JSON.stringify(SITE_RULES) });
  wire = tapCustomerWire(stack.launched.browser, stack.launched.extension.id);
});
afterAll(async () => {
  wire?.stop();
  await stack?.close();
});

/** A typed value's folded form and, for one being typed, its start (the live echo of a half-typed value). */
function typedNeedles(value: string, pieces: string[] = []): string[] {
  const folded = compact(value);
  const head = folded.slice(0, /^\d/.test(folded) ? 10 : 8);
  return [...new Set([folded, head, ...pieces.map(compact)])];
}

function typedValue(s: Sentinels, kind: TypedKind): { value: string; pieces?: string[] } {
  switch (kind) {
    case 'grouped':
    case 'dashed':
      return { value: s.typedDigits() };
    case 'split': {
      // "Word *Word* Word": the preview splits it over a text node, an <em> and a text node.
      const [a, b, c] = s.phrase(' ').split(' ').concat(s.word(6));
      const value = `${a} *${b}* ${c}`;
      return { value, pieces: [a!, b!, c!].filter((p) => p.length >= 6) };
    }
    case 'upper':
      return { value: s.phrase(', ') };
    case 'link':
      return { value: s.word(9) };
    default:
      return { value: s.phrase(randomOf([' ', '-', '. '])) };
  }
}

const randomOf = <T,>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;

/** Personal data the page shows by itself, each in a shape pages use. */
function shownCases(s: Sentinels): Array<Case & { text: string; where: string }> {
  const out: Array<Case & { text: string; where: string }> = [];
  const add = (kind: string, value: string, text: string, i: number) => out.push({ kind, value, needles: [compact(value)], text, where: ['text', 'title', 'data'][i % 3]! });
  for (let i = 0; i < 10; i++) {
    const card = s.card();
    const shape = [card.replace(/(\d{4})(?=\d)/g, '$1 '), card.replace(/(\d{4})(?=\d)/g, '$1-'), card][i % 3]!;
    add('card (Luhn)', card, `Betaald met kaart ${shape}.`, i);
    const iban = s.iban();
    add('IBAN (mod 97)', iban, `Rekening: ${i % 2 ? iban.toLowerCase() : iban.replace(/(.{4})(?=.)/g, '$1 ')} t.n.v. de klant`, i);
    const bsn = s.bsn();
    add('BSN (11-proef)', bsn, `BSN ${[bsn, `${bsn.slice(0, 3)}.${bsn.slice(3, 6)}.${bsn.slice(6)}`, `${bsn.slice(0, 4)} ${bsn.slice(4, 6)} ${bsn.slice(6)}`][i % 3]}`, i);
  }
  for (let i = 0; i < 5; i++) {
    const email = s.email();
    add('e-mail (site rule)', email, `Mail naar ${email} voor vragen`, i);
    const phone = s.phone();
    add('phone (site rule)', phone, `Bel ${i % 2 ? `${phone.slice(0, 2)}-${phone.slice(2)}` : `${phone.slice(0, 3)} ${phone.slice(3, 6)} ${phone.slice(6)}`}`, i);
  }
  return out;
}

describe('privacy: typed data stays on the device, however the page reshapes it (issue 18)', () => {
  it('no sentinel leaves in any shape, on any channel; ordinary text and numbers arrive unchanged', async () => {
    const s = new Sentinels();
    const typed = TYPED_KINDS.flatMap((kind) =>
      Array.from({ length: kind === 'title' ? 4 : PER_KIND }, () => {
        const { value, pieces } = typedValue(s, kind);
        return { kind, value, needles: typedNeedles(value, pieces) };
      }),
    );
    const shown = shownCases(s);

    const viewer = await ViewerPage.open(stack.launched.browser, stack.serverUrl);
    const consoleMessages: string[] = [];
    viewer.page.on('console', (message: ConsoleMessage) => consoleMessages.push(`${message.type()}: ${message.text()}`));
    await tapViewerWire(viewer.page);
    await viewer.page.reload();
    await viewer.ensureSignedIn();
    const code = await viewer.startSession('T-RESHAPE');
    const customer = await Customer.open(stack.launched.browser, stack.launched.extension, `${stack.fixtures.url}/privacy/reshape.html`);
    const tab = customer.tab;
    await customer.joinWithCode(code);
    await viewer.waitForLink('connected');
    await viewer.waitForReplayText('#title', (t) => t === 'Voorbeelden');

    // Typed with real key presses, one field per sentinel; the page reshapes each as it is typed.
    const selectors = (await tab.evaluate(
      (list) => list.map((c, i) => (window as unknown as { cases: { add(kind: string, id: number): string } }).cases.add(c.kind, i)),
      typed.map(({ kind }) => ({ kind })),
    )) as string[];
    for (const [i, c] of typed.entries()) {
      const selector = selectors[i]!;
      if (c.kind === 'closedHost') {
        await tab.focus(selector); // delegatesFocus: the field inside the closed shadow root
        await tab.keyboard.type(c.value);
      } else {
        await tab.type(selector, c.value);
      }
      await tab.keyboard.press('Tab');
    }
    // The choices and the fields whose value must parse.
    await tab.select('#land', 'fr');
    await tab.type('#n', '42');
    await tab.type('#d', '03122026');
    await tab.type('#tm', '1045');
    await tab.focus('#r');
    for (let i = 0; i < 3; i++) await tab.keyboard.press('ArrowRight');

    // Shown by the page: personal data, and the text that must stay readable.
    const stayReadable = [
      ...ordinaryNumbers(),
      // Shares the start of a typed value ("Amsterdam" typed, "Amstelveen" shown).
      ...typed.filter((c) => c.kind === 'echo' || c.kind === 'style').map((c) => `Vestiging ${c.value.slice(0, 5)}velden`),
      // Shares a word with a typed value.
      ...typed.filter((c) => c.kind === 'upper' || c.kind === 'button').map((c) => `${c.value.split(/[ ,.-]+/)[1]} is ook een woord`),
    ];
    await tab.evaluate(
      (items) => (window as unknown as { cases: { show(items: unknown): void; done(): void } }).cases.show(items),
      [...shown.map((c, id) => ({ id, text: c.text, where: c.where })), ...stayReadable.map((text, i) => ({ id: `ok-${i}`, text, where: 'text' }))],
    );
    await tab.evaluate(() => (window as unknown as { cases: { done(): void } }).cases.done());
    await viewer.waitForReplayText('#status-line', (t) => t === 'klaar met typen', 30_000);

    // The test is only worth something if every sentinel really is in the customer's page.
    const held = await tab.evaluate(() => {
      const parts = [document.documentElement.outerHTML, document.title, location.href];
      for (const el of document.querySelectorAll('input')) parts.push(el.value);
      for (const el of document.querySelectorAll('reflect-field')) parts.push(el.getAttribute('value') ?? '');
      for (const sheet of [...document.styleSheets, ...document.adoptedStyleSheets]) for (const rule of sheet.cssRules) parts.push(rule.cssText);
      for (const out of document.querySelectorAll('output')) for (const sheet of out.shadowRoot?.adoptedStyleSheets ?? []) for (const rule of sheet.cssRules) parts.push(rule.cssText);
      return parts.join('\n');
    });
    const heldFolded = compact(held);
    expect([...typed, ...shown].filter((c) => !heldFolded.includes(compact(c.value))).map((c) => `${c.kind}: ${c.value}`), 'sentinels that never reached the page').toEqual([]);

    // Select and number fields in the replay: no choice shown, no value the viewer cannot parse.
    await viewer.page.bringToFront();
    const fields = await viewer.page.evaluate(() => {
      const doc = document.querySelector<HTMLIFrameElement>('.stage iframe')!.contentDocument!;
      const select = (id: string) => doc.querySelector<HTMLSelectElement>(id)!;
      return {
        status: select('#status').selectedIndex,
        land: select('#land').selectedIndex,
        tags: [...select('#tags').options].filter((o) => o.selected).length,
        values: ['#n', '#d', '#tm'].map((id) => doc.querySelector<HTMLInputElement>(id)!.value),
      };
    });
    expect.soft(fields).toEqual({ status: -1, land: -1, tags: 0, values: ['', '', ''] });

    // Throws unless the viewer received exactly what was sent, and all of it decodes.
    const { frames: sent, bytes: sentBytes, messages, decoded } = await captureWire(wire, viewer.page);
    const replay = await viewerReplayText(viewer.page);
    const places = { 'raw frames': compact(sentBytes.toString('latin1')), 'decoded wire': compact(decoded), viewer: compact(replay) };
    const leaks = [...typed, ...shown].flatMap((c) =>
      Object.entries(places).flatMap(([where, text]) => c.needles.filter((n) => text.includes(n)).map((n) => `${c.kind} "${c.value}" as "${n}" in ${where}`)),
    );
    expect(leaks, 'sentinels that left the page').toEqual([]);

    // Not over-masked: every ordinary text arrived exactly as the page shows it.
    const missingReadable = stayReadable.filter((text) => !replay.includes(text));
    expect(missingReadable, 'ordinary text masked in the viewer').toEqual([]);
    expect(decoded).toContain(MASK);

    // The viewer logged nothing about values it could not parse. The control (the replayed number field given
    // a value that cannot parse, as the mask text was) proves such a message is caught.
    await viewer.page.evaluate(() => {
      const doc = document.querySelector<HTMLIFrameElement>('.stage iframe')!.contentDocument!;
      // What rrweb's replayer does with an input event's text, with a value that cannot parse.
      const control = doc.querySelector<HTMLInputElement>('#n')!;
      control.value = 'meekijk-control';
      control.value = '';
    });
    const parseErrors = await poll('the control message', async () => {
      const found = consoleMessages.filter((m) => /cannot be parsed|does not conform/i.test(m));
      return found.some((m) => m.includes('meekijk-control')) ? found : undefined;
    }, 5_000);
    expect(parseErrors.filter((m) => !m.includes('meekijk-control'))).toEqual([]);

    const perClass = new Map<string, number>();
    for (const c of [...typed, ...shown]) perClass.set(c.kind, (perClass.get(c.kind) ?? 0) + 1);
    console.info(
      `privacy reshape suite: ${typed.length + shown.length} sentinels (${[...perClass].map(([k, n]) => `${k} ${n}`).join(', ')}); ` +
        `${stayReadable.length} ordinary texts unchanged; ${sent.length} frames / ${sentBytes.length} bytes, ${decoded.length} chars decoded, ${replay.length} chars of viewer searched`,
    );
    expect(typed.length + shown.length).toBeGreaterThanOrEqual(100);
    await viewer.endSession();
    await tab.close();
  });
});
