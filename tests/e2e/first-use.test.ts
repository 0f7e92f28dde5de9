/**
 * First use (issue 23), in Dutch and in English: axe-core finds nothing on any popup or viewer screen, the
 * consent button is in view in Chrome's 600 px popup, focus lands where the next step is, and the whole
 * flow of customer and technician works with the keyboard alone (Tab, Enter, Space, Esc).
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { launchWithExtension, profileWithMeekijkPinned } from './support/browser';
import type { Page, SerializedAXNode } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { axeOnUiCopy, axeViolations, describeViolations } from './support/axe';
import { allowWithKeyboard, ClosedUi } from './support/control';
import { focusRing, inputBorders, under3, type Measured } from './support/contrast';
import { poll, pointExtensionAt } from './support/stack';
import { TECHNICIAN } from './support/stack';
import { useStack } from './support/suite';
import { ViewerPage } from './support/viewer-page';
import { Customer } from './support/customer';
import { MESSAGES } from '@/viewer/lib/messages';

/** Chrome's popup is at most 800 x 600; ours is 360 px wide. */
const POPUP = { width: 360, height: 600 };

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? { id: el.id, tag: el.tagName.toLowerCase(), text: (el.textContent ?? '').trim(), cls: el.className, name: el.getAttribute('name') } : null;
  });

async function expectClean(page: Page, screen: string) {
  const violations = await axeViolations(page);
  expect(describeViolations(violations), `axe on ${screen}`).toEqual([]);
}

/** Where the consent button is, in a popup whose document has not been scrolled. */
const consentButtonBox = (popup: Page) =>
  popup.evaluate(() => {
    const button = document.querySelector<HTMLButtonElement>('.actions button.primary')!;
    const r = button.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { top: r.top, bottom: r.bottom, scrollY: window.scrollY, onTop: hit === button || button.contains(hit) };
  });

describe.each(['nl', 'en'] as const)('first use in %s', (lang) => {
  const suite = useStack({}, [`--lang=${lang}`]);

  /**
   * The popup as Chrome shows it at its largest (360 x 600): a tab with popup.html in that viewport, which
   * shows the same session state. (Headless Chromium's real popup window keeps the size of its first
   * screen, so it cannot be measured.)
   */
  async function popupAtMaxSize(phase: string): Promise<Page> {
    const page = await suite.stack.launched.browser.newPage();
    suite.opened.push(page);
    await page.setViewport(POPUP);
    await page.goto(`chrome-extension://${suite.stack.launched.extension.id}/popup.html`);
    await page.waitForSelector(`main.popup[data-phase=${phase}]`);
    return page;
  }

  it('popup: every state passes axe, speaks the browser language, keeps the consent button in view', async () => {
    const { viewer, customer, code } = await suite.invite();
    await resetCustomer(customer);
    await expectClean(await popupAtMaxSize('idle'), 'popup code');
    const popup = await customer.openPopup();
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe(lang);
    await popup.waitForSelector('#code');

    // A wrong code: the error state passes axe too, in the same language.
    await popup.type('#code', code === '000000' ? '999999' : '000000');
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('p.error[role=alert]');
    await expectClean(popup, 'popup wrong code');
    await popup.$eval('#code', (el) => ((el as HTMLInputElement).value = ''));
    await popup.type('#code', code);
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#consent-title');
    // (Opening another page closes the real popup, as a click elsewhere does; it is opened again below.)
    const view = await popupAtMaxSize('invited');
    await view.waitForSelector('#consent-title');
    await expectClean(view, 'popup consent summary');
    const summary = await consentButtonBox(view);
    expect(summary).toMatchObject({ scrollY: 0, onTop: true });
    expect(summary.bottom).toBeLessThanOrEqual(POPUP.height);
    expect(summary.top).toBeGreaterThanOrEqual(0);
    // The summary fits whole: nothing under the buttons.
    expect(await view.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(POPUP.height);

    await view.click('.read-terms');
    await poll('focus on the terms heading', async () => (await focused(view))?.id === 'terms-title');
    expect(await view.$eval('[data-testid=terms-text]', (el) => el.getAttribute('lang'))).toBe('nl');
    await expectClean(view, 'popup full terms');
    const terms = await consentButtonBox(view);
    expect(terms.onTop).toBe(true);
    expect(terms.bottom).toBeLessThanOrEqual(POPUP.height);
    await view.click('.lang button:not(.on)');
    expect(await view.$eval('[data-testid=terms-text]', (el) => el.getAttribute('lang'))).toBe('en');
    await expectClean(view, 'popup full terms, English');
    await view.click('.back');
    await poll('focus back on the link to the terms', async () => (await focused(view))?.cls.includes('read-terms'));
    await view.close();

    let real = await customer.openPopup();
    await real.waitForSelector('#consent-title');
    await real.click('.actions button.primary');
    await customer.waitForPhase('live');
    await real.waitForSelector('[data-testid=verification-code]');
    // The code explained in one sentence, with what to do when it differs (the viewer's side: the technician test).
    expect(await real.$eval('main', (el) => el.textContent ?? '')).toContain(locale(lang, 'statusVerificationExplain', [TECHNICIAN.name]));
    const back = await real.$eval('button.return', (el) => el.textContent ?? '');
    expect(back).toContain(await customer.tab.title());
    await expectClean(await popupAtMaxSize('live'), 'popup live');

    real = await customer.openPopup();
    await real.waitForSelector('button.danger');
    await real.click('button.danger');
    await customer.waitForPhase('ended');
    const ended = await popupAtMaxSize('ended');
    await ended.waitForSelector('.notice');
    await expectClean(ended, 'popup ended');
    await ended.click('.history-toggle');
    await ended.waitForSelector('.history');
    await expectClean(ended, 'popup history');

    // The technician is told, in words and in the same language, that the customer stopped: no
    // "connection failed" beside a normal end.
    await viewer.page.bringToFront();
    await viewer.waitForTab('ended');
    await viewer.page.waitForSelector('[data-testid=end-reason]');
    expect(await viewer.page.$eval('[data-testid=end-reason]', (el) => el.textContent)).toBe(MESSAGES[lang].endedBecause['customer-stopped']);
    expect(await viewer.page.$('[data-testid=link-state]')).toBeNull();
    expect(await viewer.page.$eval('main', (el) => el.textContent ?? '')).not.toMatch(/failed|mislukt|customer-stopped/i);
    await expectClean(viewer.page, 'viewer ended by the customer');
  });

  it('customer: the whole flow with the keyboard alone, focus where the next step is', async () => {
    const { viewer, customer, code } = await suite.invite();
    await resetCustomer(customer);
    let popup = await customer.openPopup();
    await popup.waitForSelector('#code');
    expect(await focused(popup)).toMatchObject({ id: 'code' });
    const codeBorders = await inputBorders(popup);
    expect(codeBorders.length).toBeGreaterThan(0);
    expect(under3(codeBorders)).toEqual([]);
    await popup.keyboard.type(code);
    await popup.keyboard.press('Enter');
    await poll('focus on the consent heading', async () => (await focused(popup))?.id === 'consent-title');
    await popup.keyboard.press('Tab');
    expect((await focused(popup))?.cls).toContain('read-terms');
    await popup.keyboard.press('Enter');
    await poll('focus on the terms heading', async () => (await focused(popup))?.id === 'terms-title');
    // From the terms: the language, the published copy, then the consent button, in that order.
    const stops: string[] = [];
    const rings: Array<Measured | null> = [];
    for (let i = 0; i < 6 && !(await focused(popup))?.cls.includes('primary'); i++) {
      await popup.keyboard.press('Tab');
      stops.push((await focused(popup))?.text ?? '');
      rings.push(await focusRing(popup));
    }
    // WCAG 1.4.11, measured as drawn: every focus ring on the way at 3:1 or more.
    expect(rings.every((r) => r !== null)).toBe(true);
    expect(under3(rings)).toEqual([]);
    expect(stops).toEqual(['Nederlands', 'English', expect.any(String), expect.any(String)]);
    expect((await focused(popup))?.cls).toContain('primary');
    await popup.keyboard.press('Space');
    await customer.waitForPhase('live');
    await poll('focus on the way back to the page', async () => (await focused(popup))?.cls.includes('return'));
    const closed = new Promise<void>((resolve) => popup.once('close', () => resolve()));
    // The popup closes on the key press itself, before its key-up.
    await popup.keyboard.press('Enter').catch(() => undefined);
    await closed; // "ga terug naar uw pagina": the popup closes onto the shared tab
    expect(await customer.tab.evaluate(() => document.visibilityState)).toBe('visible');

    popup = await customer.openPopup();
    await popup.waitForSelector('button.return');
    await poll('focus on the way back again', async () => (await focused(popup))?.cls.includes('return'));
    await popup.keyboard.press('Tab');
    expect((await focused(popup))?.cls).toContain('danger');
    await popup.keyboard.press('Enter');
    await customer.waitForPhase('ended');
    await viewer.waitForTab('ended');
  });

  it('join page says what to click; control prompt traps focus and Esc refuses; Stop says what it stops, Alt+Shift+S reaches it', async () => {
    const msg = (key: string, ...subs: string[]) => locale(lang, key, subs);
    const { viewer, customer } = await suite.invite('/first-use.html');
    await resetCustomer(customer);
    // The helpdesk link: the extension is there, so the page says exactly what to click.
    const joinUrl = await viewer.page.$eval('[data-testid=join-link]', (el) => el.getAttribute('href') ?? '');
    // Without the extension (a browser context it does not run in): the page says to install it first.
    const bare = await suite.stack.launched.browser.createBrowserContext();
    try {
      const page = await bare.newPage();
      await page.goto(joinUrl);
      await page.waitForSelector(`section[lang=${lang}] [data-meekijk-install-how]`);
      await new Promise((r) => setTimeout(r, 500)); // time for a content script, were there one
      expect(await page.$('[data-meekijk-join]')).toBeNull();
      const how = await page.$eval(`section[lang=${lang}] [data-meekijk-install]`, (el) => (el as HTMLElement).innerText);
      expect(how).toContain(lang === 'nl' ? 'Open daarna deze link opnieuw.' : 'Then open this link again.');
      expect(how).toContain(lang === 'nl' ? 'U heeft de Meekijk-extensie nog niet in deze browser.' : 'The Meekijk extension is not in this browser yet.');
      // (This server has no store links configured: it says whom to ask; with links, which to click: tests/unit/tab/join-page.test.ts.)
      expect(how).toContain(lang === 'nl' ? 'Vraag de medewerker waar u de Meekijk-extensie kunt installeren.' : 'Ask the support technician where to install the Meekijk extension.');
      expect(await page.$eval(`section[lang=${lang}]`, (el) => (el as HTMLElement).innerText)).not.toMatch(/pictogram|puzzelstuk|icon|puzzle/i);
      await expectClean(page, 'join page without the extension');
    } finally {
      await bare.close();
    }
    await customer.tab.goto(joinUrl);
    await customer.tab.waitForSelector('[data-meekijk-join=ready]');
    const steps = await customer.tab.$$eval('[data-meekijk-join-step]', (els) => els.map((el) => [el.getAttribute('data-meekijk-join-step'), el.textContent]));
    // A freshly loaded extension is not pinned: the puzzle piece first.
    expect(steps).toEqual([
      ['menu', msg('joinClickMenu')],
      ['shortcut', msg('joinShortcut', 'Alt+Shift+M')],
    ]);
    expect(await customer.tab.$$eval('[data-meekijk-install]', (els) => els.every((el) => (el as HTMLElement).hidden))).toBe(true);
    await expectClean(customer.tab, 'join page with the extension');

    await customer.tab.goto(`${suite.stack.fixtures.url}/first-use.html`);
    const popup = await customer.openPopup();
    await popup.waitForSelector('#consent-title');
    await popup.click('.actions button.primary');
    await customer.waitForPhase('live');
    await viewer.waitForTab('sharing');

    // The indicator's Stop: its name says what it stops.
    const stop = await axFind(customer.tab, (n) => n.role === 'button' && (n.name ?? '').startsWith(msg('indicatorStop')));
    expect(stop?.name).toBe(msg('indicatorStopLabel', 'Reconi'));

    // axe on the in-page UI, which lives in closed shadow roots no page script (axe included) can enter:
    // each root is read over the DevTools protocol as it is on screen, stylesheet included, and rebuilt as
    // an open root in a page of its own of the same size and language, where axe runs (axeOnUiCopy).
    const ui = await ClosedUi.attach(customer.tab);
    const copy = await suite.stack.launched.browser.newPage();
    suite.opened.push(copy);
    await copy.setViewport(customer.tab.viewport() ?? { width: 1280, height: 800 });
    const pageLang = await customer.tab.evaluate(() => document.documentElement.lang);
    const expectUiClean = async (screen: string, mustShow: string) => {
      const roots = await ui.roots();
      expect(roots.map((r) => r.html).join(''), screen).toContain(mustShow);
      // In the extension's language, whatever the page's (WCAG 3.1.2).
      expect(roots.map((r) => r.lang)).toEqual(roots.map(() => lang));
      expect(describeViolations(await axeOnUiCopy(copy, roots, pageLang)), `axe on ${screen}`).toEqual([]);
      // Each button's focus ring, by Tab through the copy, at 3:1 or more against what is around it.
      const buttons = (roots.map((r) => r.html).join('').match(/<button/g) ?? []).length;
      const rings: Array<Measured | null> = [];
      for (let i = 0; i < buttons; i++) {
        await copy.keyboard.press('Tab');
        rings.push(await focusRing(copy));
      }
      expect(under3(rings), screen).toEqual([]);
    };
    await expectUiClean('the indicator', 'data-action="stop"');

    // The control prompt: an alert dialog; Tab and Shift+Tab stay in it; Esc refuses.
    await viewer.page.bringToFront();
    await viewer.page.click('[data-testid=control-request]');
    await viewer.page.waitForSelector('[data-testid=control-bar][data-state=requested]');
    await customer.tab.bringToFront();
    const dialog = await poll('the prompt', () => axFind(customer.tab, (n) => n.role === 'alertdialog'));
    expect(dialog.name).toBe(msg('controlPromptTitle', TECHNICIAN.name));
    await expectUiClean('the control prompt', 'role="alertdialog"');
    const focusedName = async () => (await axFind(customer.tab, (n) => n.focused === true))?.name;
    expect(await focusedName()).toBe(msg('controlRefuse'));
    const seen: Array<string | undefined> = [];
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab'] as const) {
      if (key === 'Shift+Tab') {
        await customer.tab.keyboard.down('Shift');
        await customer.tab.keyboard.press('Tab');
        await customer.tab.keyboard.up('Shift');
      } else await customer.tab.keyboard.press('Tab');
      seen.push(await focusedName());
    }
    const [allow, refuse] = [msg('controlAllow'), msg('controlRefuse')];
    expect(seen).toEqual([allow, refuse, allow, refuse, allow]);
    // Focus taken into the page comes back to the prompt; Esc then refuses.
    await customer.tab.evaluate(() => document.getElementById('name')!.focus());
    expect(await focusedName()).toBe(refuse);
    await new Promise((r) => setTimeout(r, 700));
    await customer.tab.keyboard.press('Escape');
    await viewer.page.bringToFront();
    await viewer.page.waitForSelector('[data-testid=control-note][data-reason=refused]');

    // Asked again after the cool-down (5 s) and allowed with the keyboard: the indicator under control.
    await new Promise((r) => setTimeout(r, 5_500));
    await viewer.page.click('[data-testid=control-request]');
    await viewer.page.waitForSelector('[data-testid=control-bar][data-state=requested]');
    await customer.tab.bringToFront();
    await poll('the prompt again', () => axFind(customer.tab, (n) => n.role === 'alertdialog'));
    await allowWithKeyboard(customer.tab, viewer.page);
    await expectUiClean('the indicator while the technician has control', 'class="box control"');

    // Alt+Shift+S from a field in the page: focus on Stop; Enter stops sharing.
    await customer.tab.bringToFront();
    await customer.tab.focus('#name');
    await customer.tab.keyboard.down('Alt');
    await customer.tab.keyboard.down('Shift');
    await customer.tab.keyboard.press('KeyS');
    await customer.tab.keyboard.up('Shift');
    await customer.tab.keyboard.up('Alt');
    expect(await focusedName()).toBe(msg('indicatorStopLabel', 'Reconi'));
    await customer.tab.keyboard.press('Enter');
    await customer.waitForPhase('ended');
  });

  it('join page in a browser where Meekijk is pinned: it says to click the icon', async () => {
    const { viewer } = await suite.invite();
    const joinUrl = await viewer.page.$eval('[data-testid=join-link]', (el) => el.getAttribute('href') ?? '');
    const profile = await profileWithMeekijkPinned();
    const pinned = await launchWithExtension([`--lang=${lang}`], profile);
    try {
      await pointExtensionAt(pinned, suite.stack.serverUrl);
      const tab = await pinned.browser.newPage();
      await tab.goto(joinUrl);
      await tab.waitForSelector('[data-meekijk-join=ready]');
      const steps = await tab.$$eval('[data-meekijk-join-step]', (els) => els.map((el) => [el.getAttribute('data-meekijk-join-step'), el.textContent]));
      expect(steps).toEqual([
        ['pinned', locale(lang, 'joinClickPinned', [])],
        ['shortcut', locale(lang, 'joinShortcut', ['Alt+Shift+M'])],
      ]);
      expect(steps[0]![1]).not.toMatch(/puzzel|puzzle/i);
      await expectClean(tab, 'join page with Meekijk pinned');
    } finally {
      await pinned.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it('technician: sign-in to ended with the keyboard alone; every viewer screen passes axe', async () => {
    const { browser, extension } = suite.stack.launched;
    // A fresh sign-in, in its own cookie jar.
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    try {
      await page.goto(`${suite.stack.serverUrl}/`);
      await page.waitForSelector('input[name=email]');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await focused(page)).toMatchObject({ name: 'email' });
      await expectClean(page, 'viewer sign-in');
      const signInBorders = await inputBorders(page);
      expect(signInBorders).toHaveLength(2);
      expect(under3(signInBorders)).toEqual([]);
      await page.keyboard.type(TECHNICIAN.email);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ name: 'password' });
      await page.keyboard.type(TECHNICIAN.password);
      await page.keyboard.press('Enter');
      await poll('focus on the new-session heading', async () => (await focused(page))?.id === 'new-session-title');
      await expectClean(page, 'viewer home');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ name: 'ticket' });
      await page.keyboard.type('KB-1');
      await page.keyboard.press('Enter');
      await poll('focus on the code for the customer', async () => (await focused(page))?.id === 'invite-title');
      const heading = (await focused(page))?.text ?? '';
      const code = heading.replace(/\D/g, '');
      expect(code).toMatch(/^\d{6}$/);
      await page.waitForSelector('[data-testid=link-state][data-state=waiting]');
      await expectClean(page, 'viewer waiting for the customer');

      const viewer = ViewerPage.attach(page);
      const customer = await Customer.open(browser, extension, `${suite.stack.fixtures.url}/first-use.html`);
      suite.opened.push(customer.tab);
      await resetCustomer(customer);
      await customer.joinWithCode(code);
      await viewer.waitForReplayText('#title', (t) => t.length > 0);
      await poll('focus on the verification code', async () => (await focused(page))?.text.includes(MESSAGES[lang].verificationExplain));
      await expectClean(page, 'viewer live');

      // A copy of the replayed DOM, as a page of its own: what the technician's screen reader meets.
      const copy = await context.newPage();
      await copy.setContent(await viewer.replayHtml());
      await expectClean(copy, 'copy of the replay DOM');
      await copy.close();

      // Ask for control and withdraw it, with the keyboard: the audit credits both to the technician.
      await tabTo(page, (f) => f.text === MESSAGES[lang].requestControl);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=control-bar][data-state=requested]');
      await expectClean(page, 'viewer control requested');
      await tabTo(page, (f) => f.text === MESSAGES[lang].withdrawRequest);
      await page.keyboard.press('Space');
      await page.waitForSelector('[data-testid=control-bar][data-state=watching]');

      await tabTo(page, (f) => f.text === MESSAGES[lang].endSession);
      await page.keyboard.press('Enter');
      await poll('focus on the end', async () => (await focused(page))?.id === 'ended-title');
      expect(await page.$eval('[data-testid=end-reason]', (el) => el.textContent)).toBe(MESSAGES[lang].endedBecause['technician-ended']);
      await expectClean(page, 'viewer ended by the technician');

      const sessionId = decodeURIComponent(page.url().split('#/session/')[1] ?? '');
      const rows = await poll('the audit with the control request', async () => {
        // A hash change is no navigation: page.goto to another #fragment of this page waited 30 s for a
        // navigation event that, on a loaded machine, never came (6 of 6 runs with three in parallel).
        // Set it in the page, then reload to fetch the audit afresh (a full load, which reliably ends).
        await page.evaluate((hash) => (location.hash = hash), `#/audit/${encodeURIComponent(sessionId)}`);
        await page.reload();
        await page.waitForSelector('[data-testid=audit-table]');
        const found = await page.$$eval('[data-testid=audit-table] tbody tr', (trs) =>
          trs.map((tr) => ({ kind: tr.getAttribute('data-kind'), actor: tr.getAttribute('data-actor'), text: tr.textContent ?? '' })),
        );
        return found.some((r) => r.kind === 'control-refused') ? found : undefined;
      }, 20_000, 250);
      expect(rows.find((r) => r.kind === 'control-requested')?.actor).toBe('technician');
      expect(rows.find((r) => r.kind === 'control-refused')?.actor).toBe('technician');
      expect(rows.find((r) => r.kind === 'consent')?.actor).toBe('customer');
      expect(rows.find((r) => r.kind === 'control-requested')?.text).toContain(MESSAGES[lang].auditKind['control-requested']);
      await poll('focus on the audit heading', async () => (await focused(page))?.tag === 'h1');
      await expectClean(page, 'viewer audit');
    } finally {
      await context.close();
    }
  });
});

/** Presses Tab until focus is on what `match` describes (at most 40 times), as a keyboard user would. */
async function tabTo(page: Page, match: (f: { text: string; cls: string }) => boolean) {
  for (let i = 0; i < 40; i++) {
    const f = await focused(page);
    if (f && match(f)) return;
    await page.keyboard.press('Tab');
    // Every stop on the way shows a focus ring at 3:1 or more (WCAG 1.4.11), measured as drawn.
    expect(under3([await focusRing(page)])).toEqual([]);
  }
  throw new Error(`Tab never reached the element; focus is on ${JSON.stringify(await focused(page))}`);
}

/** A retried test starts from an idle extension: an earlier try may have left an invitation or a session. */
async function resetCustomer(customer: Customer) {
  const state = await customer.sessionState();
  if (!state || state.phase === 'idle' || state.phase === 'ended') return;
  const popup = await customer.openPopup();
  if (state.phase === 'invited') await popup.click('.actions button:not(.primary)');
  else await popup.click('button.danger');
  await poll('an idle extension', async () => ['idle', 'ended'].includes((await customer.sessionState())?.phase ?? 'idle'));
  await popup.close().catch(() => undefined);
}

/** The node the accessibility tree (closed shadow roots included) has for what `match` describes. */
async function axFind(page: Page, match: (node: SerializedAXNode) => boolean): Promise<SerializedAXNode | undefined> {
  const walk = (node: SerializedAXNode | null | undefined): SerializedAXNode | undefined => {
    if (!node) return undefined;
    if (match(node)) return node;
    for (const child of node.children ?? []) {
      const found = walk(child);
      if (found) return found;
    }
    return undefined;
  };
  return walk(await page.accessibility.snapshot({ interestingOnly: false }));
}

/** A message from the extension's own locale files, with $1.. substituted as the browser would. */
function locale(lang: 'nl' | 'en', key: string, subs: string[]): string {
  const messages = JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
  const entry = messages[key];
  if (!entry) throw new Error(`no message ${key}`);
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
    return content.replace(/\$(\d)/g, (_m, n: string) => subs[Number(n) - 1] ?? '');
  });
}
