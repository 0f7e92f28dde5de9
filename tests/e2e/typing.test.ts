/**
 * Typing on the customer's behalf while control is granted (issue 23), in real Chromium with the built
 * extension and a real WebRTC link. The extension decides, key by key: a hostile viewer's keys (raw
 * protocol messages) before approval, after a revoke, into a password, card or no-control field are
 * refused and logged; approved typing reaches the focused field and never shows unmasked in the replay
 * or on the wire.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, poll, type Stack } from './support/stack';
import { ViewerPage } from './support/viewer-page';
import { Customer } from './support/customer';
import { installChannelSpy } from './support/channel-spy';
import { RECEIVE_TAP, sendAsViewer, WireReader } from './support/control';
import type { ControlEvent } from '@/lib/protocol/control';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const controlState = (viewer: ViewerPage) => viewer.page.$eval('[data-testid=control-bar]', (el) => el.getAttribute('data-state')).catch(() => null);
const value = (tab: Page, selector: string) => tab.$eval(selector, (el) => (el as HTMLInputElement).value);

async function history(customer: Customer, sessionId: string) {
  const stored = (await customer.evaluate('chrome.storage.local.get("history")')) as { history: Array<{ sessionId: string; control?: ControlEvent[] }> };
  return stored.history.find((h) => h.sessionId === sessionId)?.control ?? [];
}

describe('typing on the customer\'s behalf', () => {
  it('is refused and logged without control and into protected fields; approved typing arrives, visibly, and stays masked', async () => {
    const viewer = await ViewerPage.open(stack.launched.browser, stack.serverUrl);
    await installChannelSpy(viewer.page);
    await viewer.page.evaluateOnNewDocument(RECEIVE_TAP);
    await viewer.page.reload();
    await viewer.ensureSignedIn();
    const code = await viewer.startSession();
    const customer = await Customer.open(stack.launched.browser, stack.launched.extension, `${stack.fixtures.url}/typing.html`);
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t.length > 0);
    const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
    const wire = new WireReader(viewer.page);
    const refusals = async () => (await history(customer, sessionId)).filter((e) => e.kind === 'key-refused').map((e) => e.detail);

    // 1. A hostile viewer's key before any approval: refused by the extension, logged, nothing typed.
    await customer.tab.focus('#name');
    await sendAsViewer(viewer.page, { type: 'key', seq: 1, key: 'x' });
    await poll('refusal before approval', async () => (await refusals()).includes('no-control'));
    expect(await value(customer.tab, '#name')).toBe('');
    // The viewer's own replay takes no typing without control, and says why.
    await viewer.page.bringToFront();
    await viewer.page.focus('[data-testid=stage]');
    await viewer.page.keyboard.type('q');
    await viewer.page.waitForSelector('[data-testid=typing-note]');

    // 2. Control, approved by the customer's own keys.
    await viewer.page.click('[data-testid=control-request]');
    await poll('requested', async () => (await controlState(viewer)) === 'requested');
    await customer.tab.bringToFront();
    await new Promise((r) => setTimeout(r, 700));
    await customer.tab.keyboard.press('Tab');
    await new Promise((r) => setTimeout(r, 700));
    await customer.tab.keyboard.press('Enter');
    await poll('granted', async () => (await controlState(viewer)) === 'granted');

    // 3. The technician clicks the name field in the replay and types: it arrives, as input events.
    const sentinel = `T${randomBytes(6).toString('hex')}`;
    await viewer.clickReplayed('#name');
    await poll('the field focused at the customer', () => customer.tab.evaluate(() => document.activeElement?.id === 'name'));
    await viewer.page.keyboard.type(sentinel, { delay: 30 });
    await poll('typed into the customer field', async () => (await value(customer.tab, '#name')) === sentinel, 15_000);
    expect(Number(await customer.tab.$eval('#log', (el) => el.textContent))).toBe(sentinel.length);
    await viewer.page.keyboard.press('Backspace');
    await poll('Backspace', async () => (await value(customer.tab, '#name')) === sentinel.slice(0, -1));
    // ... and shows masked in the technician's replay, and nowhere on the wire.
    await viewer.page.bringToFront();
    await poll('masked value replayed', async () => ((await viewer.replayValue('#name')) ?? '').length > 0);
    expect(await viewer.replayValue('#name')).not.toContain(sentinel.slice(0, 6));
    expect(await viewer.replayHtml()).not.toContain(sentinel.slice(0, 6));
    await wire.update();
    expect(JSON.stringify(wire.messages)).not.toContain(sentinel.slice(0, 6));
    await poll('typing recorded, without what was typed', async () => (await history(customer, sessionId)).some((e) => e.kind === 'typed' && e.detail === ''));

    // 4. Password and card fields: refused, logged, nothing typed, even with control.
    for (const field of ['password', 'card'] as const) {
      await viewer.clickReplayed(`#${field}`);
      await poll(`#${field} focused`, () => customer.tab.evaluate((id) => document.activeElement?.id === id, field));
      await viewer.page.keyboard.type('z');
      await viewer.page.waitForSelector('[data-testid=key-result][data-reason=protected-field]');
      expect(await value(customer.tab, `#${field}`)).toBe('');
    }
    expect((await refusals()).filter((r) => r === 'protected-field').length).toBeGreaterThanOrEqual(2);

    // 5. A field the site keeps from remote control: refused even when the customer focused it herself.
    await customer.tab.focus('#promo');
    await sendAsViewer(viewer.page, { type: 'key', seq: 900, key: 'k' });
    await poll('no-control refusal', async () => (await refusals()).includes('no-control-zone'));
    expect(await value(customer.tab, '#promo')).toBe('');

    // 6. After the customer takes control back (Esc): refused again.
    await customer.tab.focus('#name');
    await customer.tab.bringToFront();
    await customer.tab.keyboard.press('Escape');
    await poll('watching', async () => (await controlState(viewer)) === 'watching');
    const before = await value(customer.tab, '#name');
    const count = (await refusals()).filter((r) => r === 'no-control').length;
    await sendAsViewer(viewer.page, { type: 'key', seq: 901, key: 'y' });
    await poll('refusal after revoke', async () => (await refusals()).filter((r) => r === 'no-control').length > count);
    expect(await value(customer.tab, '#name')).toBe(before);

    // The audit trail has both, content-free.
    const rows = await stack.server.db.selectFrom('audit_events').select(['kind', 'detail']).where('session_id', '=', sessionId).execute();
    expect(rows.some((r) => r.kind === 'keys-typed' && r.detail === '')).toBe(true);
    expect(rows.filter((r) => r.kind === 'key-refused').map((r) => r.detail)).toEqual(expect.arrayContaining(['no-control', 'protected-field', 'no-control-zone']));
    expect(JSON.stringify(rows)).not.toContain(sentinel.slice(0, 6));
    await viewer.page.close();
    await customer.tab.close();
  });
});
