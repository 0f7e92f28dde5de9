/**
 * Issue 20: constructable stylesheets adopted by shadow roots and by the document replay exactly (the
 * field report: a Shoelace alert lost its border). The computed styles of a web component's parts in the
 * replay equal the customer's: at the start, after changes to the sheets (replaceSync, insertRule), for a
 * component added later, after the customer's tab was in the background, and after a fresh full snapshot
 * (the viewer reconnecting, and a new recording when the customer hides a part).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { poll } from './support/stack';
import { useStack } from './support/suite';
import type { ViewerPage } from './support/viewer-page';

const suite = useStack();

/** What the test compares, per part: computed style properties. Runs in the customer's tab and in the replay. */
const PROBE = `(doc) => {
  const props = ['display', 'margin-top', 'border-top-width', 'border-top-style', 'border-top-color', 'border-top-left-radius',
    'padding-top', 'padding-left', 'background-color', 'width', 'color', 'font-weight', 'letter-spacing', 'text-decoration-line'];
  const read = (el) => el ? Object.fromEntries(props.map((p) => [p, getComputedStyle(el).getPropertyValue(p)])) : null;
  const out = {};
  for (const id of ['alert', 'alert2', 'late-host']) {
    const host = doc.getElementById(id);
    out[id] = read(host);
    out[id + ' .base'] = read(host?.shadowRoot?.querySelector('.base'));
    out[id + ' .icon'] = read(host?.shadowRoot?.querySelector('.icon'));
  }
  out['#doc-styled'] = read(doc.getElementById('doc-styled'));
  return out;
}`;

type Styles = Record<string, Record<string, string> | null>;

const customerStyles = (tab: Page): Promise<Styles> => tab.evaluate(`(${PROBE})(document)`) as Promise<Styles>;
const replayStyles = (viewer: ViewerPage): Promise<Styles> =>
  viewer.page.evaluate(`(() => {
    const doc = document.querySelector('.stage iframe')?.contentDocument;
    return doc ? (${PROBE})(doc) : null;
  })()`) as Promise<Styles>;

/** Waits until the replay's styles equal the customer's (the last difference in the error). */
async function expectSameStyles(viewer: ViewerPage, tab: Page, what: string) {
  const wanted = await customerStyles(tab);
  let last: Styles | null = null;
  await viewer.page.bringToFront();
  try {
    await poll(what, async () => {
      last = await replayStyles(viewer);
      return JSON.stringify(last) === JSON.stringify(wanted) ? true : undefined;
    }, 10_000);
  } catch {
    expect(last, what).toEqual(wanted);
  }
  return wanted;
}

async function liveSession() {
  const { viewer, customer, code } = await suite.invite('/adopted.html');
  await customer.joinWithCode(code);
  await viewer.waitForLink('connected');
  await viewer.waitForTab('sharing');
  await viewer.waitForReplayText('#title', (t) => t === 'Componenten');
  return { viewer, customer };
}

describe('constructable and adopted stylesheets', () => {
  it('replay the customer page exactly: at the start, after replaceSync/insertRule, for a component added later', async () => {
    const { viewer, customer } = await liveSession();
    const first = await expectSameStyles(viewer, customer.tab, 'styles at the start');
    // The fixture's styles are really there (a test that compares two unstyled pages proves nothing).
    expect(first['alert .base']?.['border-top-width']).toBe('3px');
    expect(first['alert .base']?.['border-top-color']).toBe('rgb(0, 128, 0)');
    expect(first['#doc-styled']?.['color']).toBe('rgb(128, 0, 128)');
    await customer.tab.click('#add');
    await viewer.waitForReplayText('#alert2', (t) => t === 'Tweede melding');
    const added = await expectSameStyles(viewer, customer.tab, 'styles of a component added later');
    expect(added['alert2 .base']?.['border-top-style']).toBe('solid');
    await customer.tab.click('#restyle');
    const changed = await expectSameStyles(viewer, customer.tab, 'styles after replaceSync and insertRule');
    expect(changed['alert .base']?.['border-top-style']).toBe('dashed');
    expect(changed['alert2 .icon']?.['width']).toBe('24px');
    expect(changed['#doc-styled']?.['text-decoration-line']).toBe('underline');
    await viewer.endSession();
  });

  it('apply to a shadow root that was empty when it adopted them, once it renders', async () => {
    const { viewer, customer } = await liveSession();
    await customer.tab.click('#late');
    await customer.tab.waitForSelector('#late[data-done]');
    const late = await expectSameStyles(viewer, customer.tab, 'styles of a component that rendered after adopting');
    expect(late['late-host .base']?.['border-top-color']).toBe('rgb(0, 128, 0)');
    await viewer.endSession();
  });

  it('stay exact after a tab switch, a viewer reconnect and a new recording (fresh full snapshots)', async () => {
    const { viewer, customer } = await liveSession();
    await customer.tab.click('#add');
    await customer.tab.click('#restyle');
    await expectSameStyles(viewer, customer.tab, 'styles before the tab switch');
    // The customer switches to another tab and back.
    const other = await suite.stack.launched.browser.newPage();
    suite.opened.push(other);
    await other.goto(`${suite.stack.fixtures.url}/page2.html`);
    await other.bringToFront();
    await new Promise((r) => setTimeout(r, 1500));
    await customer.tab.bringToFront();
    await other.close();
    await expectSameStyles(viewer, customer.tab, 'styles after the tab switch');
    // The technician's viewer reconnects: the customer's side sends a fresh full snapshot.
    await viewer.page.reload();
    await viewer.waitForLink('connected');
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t === 'Componenten');
    const again = await expectSameStyles(viewer, customer.tab, 'styles after the viewer reconnected');
    expect(again['alert .base']?.['border-top-style']).toBe('dashed');
    await viewer.endSession();
  });
});
