/**
 * Issue 19, finding 13: the extension pins the invite key at build time (scripts/invite-key.ts) instead of
 * fetching it from the server each time. A server with another key (a second server, or one whose keys
 * were swapped) serves that key in /api/server-info and signs its invites with it: the built extension
 * refuses them all the same, and still accepts its own server's invites.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '@/server/app';
import { loadConfig } from '@/server/config';
import { insertTechnician } from '@/server/db/technicians';
import { hashPassword } from '@/server/auth/passwords';
import { Customer } from './support/customer';
import { pointExtensionAt, poll, TECHNICIAN } from './support/stack';
import { useStack } from './support/suite';
import { ViewerPage } from './support/viewer-page';

const suite = useStack();

const locales = (key: string) =>
  ['nl', 'en'].map((lang) => (JSON.parse(readFileSync(`public/_locales/${lang}/messages.json`, 'utf8')) as Record<string, { message: string }>)[key]!.message);

/** Types the code into the popup and submits it; returns the popup. */
async function enterCode(customer: Customer, code: string) {
  const popup = await customer.openPopup();
  await popup.waitForSelector('#code');
  await popup.type('#code', code);
  await popup.click('button[type=submit]');
  return popup;
}

describe('the invite key pinned at build time', () => {
  it('refuses an invite signed by another key even when the server serves that other key', async () => {
    const { launched, fixtures } = suite.stack;
    const dir = mkdtempSync(path.join(tmpdir(), 'meekijk-foreign-'));
    // Another server with a key of its own (a fresh key file), answering for the extension's server.
    const config = loadConfig({ MEEKIJK_HOST: '127.0.0.1', MEEKIJK_PORT: '0', MEEKIJK_DB: path.join(dir, 'foreign.sqlite') });
    const foreign = await startServer(config);
    try {
      await insertTechnician(foreign.db, { ...TECHNICIAN, passwordHash: await hashPassword(TECHNICIAN.password, config.passwordHash), now: Date.now() });
      const served = ((await (await fetch(`${foreign.url}/api/server-info`)).json()) as { inviteKey: string }).inviteKey;
      const pinned = ((await (await fetch(`${suite.stack.serverUrl}/api/server-info`)).json()) as { inviteKey: string }).inviteKey;
      expect(served).not.toBe(pinned);
      expect(readFileSync(path.resolve('.output/chrome-mv3/background.js'), 'utf8')).toContain(JSON.stringify(pinned));

      await pointExtensionAt(launched, foreign.url);
      const viewer = await ViewerPage.open(launched.browser, foreign.url);
      suite.opened.push(viewer.page);
      await viewer.ensureSignedIn();
      const code = await viewer.startSession('FOREIGN-1');
      const customer = await Customer.open(launched.browser, launched.extension, `${fixtures.url}/shop.html`);
      suite.opened.push(customer.tab);
      const popup = await enterCode(customer, code);
      suite.opened.push(popup);
      const error = await poll('the refusal', async () => (await popup.$eval('p.error', (el) => el.textContent ?? '').catch(() => '')) || undefined);
      expect(locales('errorInviteForeign')).toContain(error.trim());
      expect(await popup.$('#consent-title')).toBeNull();
      expect((await customer.sessionState())?.phase).toBe('idle');
      // Closed before the next popup opens, so that one cannot be mistaken for this one.
      await popup.close();
      // Nothing was joined: the session still waits for its customer.
      const session = await foreign.db.selectFrom('sessions').select(['status']).executeTakeFirstOrThrow();
      expect(session.status).toBe('waiting');
    } finally {
      await pointExtensionAt(launched, suite.stack.serverUrl);
      await foreign.close();
      rmSync(dir, { recursive: true, force: true });
    }

    // The same extension takes its own server's invite to the consent screen.
    const { customer, code } = await suite.invite();
    const popup = await enterCode(customer, code);
    suite.opened.push(popup);
    await popup.waitForSelector('#consent-title').catch(async (error: unknown) => {
      const text = await popup.$eval('main.popup', (el) => el.textContent ?? '').catch(() => '(no popup)');
      throw new Error(`no consent screen for our own server's invite; the popup says: ${text}`, { cause: error });
    });
  }, 120_000);
});
