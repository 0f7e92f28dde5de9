/**
 * Several instances for real (issue 22), on loopback: PostgreSQL, Redis, two instances started as
 * deploy/meekijk@.service starts them and HAProxy with deploy/haproxy.cfg in front (scripts/services/
 * cluster.ts); Chromium with the built extension as the customer and the viewer as the technician, real
 * WebRTC. The technician's and the customer's signalling land on different instances; one is killed
 * mid-session: the session goes on (the data channel is peer to peer), the end that lost its instance
 * registers again on the other one, and ending it still works and is audited.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/server/auth/passwords';
import { openDatabase } from '@/server/db/open';
import { insertTechnician } from '@/server/db/technicians';
import { startCluster, type Cluster } from '@/scripts/services/cluster';
import type { Instance } from '@/scripts/services/instance';
import { launchWithExtension, type LaunchedBrowser } from './support/browser';
import { Customer } from './support/customer';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { copyPinnedKeyFile } from './support/pinned-key';
import { poll, pointExtensionAt, TECHNICIAN } from './support/stack';
import { ViewerPage } from './support/viewer-page';

let cluster: Cluster;
let launched: LaunchedBrowser;
let fixtures: FixtureServer;
let pinnedDir: string | undefined;

beforeAll(async () => {
  // The instances sign with the key the extension pins (scripts/invite-key.ts).
  pinnedDir = mkdtempSync(join(tmpdir(), 'meekijk-pinned-'));
  const keyFile = join(pinnedDir, 'pinned.keys.json');
  copyPinnedKeyFile(keyFile);
  cluster = await startCluster({}, { keyFile });
  const db = await openDatabase({ dbPath: '', databaseUrl: cluster.databaseUrl });
  try {
    await insertTechnician(db, { ...TECHNICIAN, passwordHash: await hashPassword(TECHNICIAN.password, { memoryKib: 19_456, timeCost: 2 }), now: Date.now() });
  } finally {
    await db.destroy();
  }
  fixtures = await startFixtureServer();
  launched = await launchWithExtension();
  await pointExtensionAt(launched, cluster.url);
});

afterAll(async () => {
  await launched?.close();
  await fixtures?.close();
  await cluster?.stop();
  if (pinnedDir) rmSync(pinnedDir, { recursive: true, force: true });
});

/** A running instance whose log says this end of the session connected its signalling there. */
function holder(role: 'viewer' | 'customer', sessionId: string): Instance | undefined {
  const line = `signalling: ${role} of session ${sessionId.slice(0, 8)}… connected`;
  return cluster.instances.find((instance) => instance.child.exitCode === null && instance.child.signalCode === null && instance.output().includes(line));
}

describe('two instances behind HAProxy', () => {
  it('a session whose two ends are on different instances survives one instance being killed; ending it is audited', async () => {
    // A retry (vitest's retry: 1) starts from two instances again: the first attempt killed one.
    await cluster.revive();
    const { browser, extension } = launched;
    const viewer = await ViewerPage.open(browser, cluster.url);
    let customer: Customer | undefined;
    try {
      await viewer.ensureSignedIn();
      const code = await viewer.startSession('SCALE-1');
      const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
      customer = await Customer.open(browser, extension, `${fixtures.url}/shop.html`);
      await customer.joinWithCode(code);
      await viewer.waitForTab('sharing');
      await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');

      // Which instance holds which end: HAProxy spreads the signalling sockets (leastconn).
      const viewerOn = await poll('viewer instance', async () => holder('viewer', sessionId));
      const customerOn = await poll('customer instance', async () => holder('customer', sessionId));
      // If not: HAProxy's log says why (a server it held down when the customer connected).
      expect(viewerOn, cluster.balancer.output()).not.toBe(customerOn);

      // Kill the technician's instance outright (no goodbye to anyone).
      await viewerOn.stop('SIGKILL');
      expect(viewerOn.child.signalCode).toBe('SIGKILL');

      // The session goes on: what the customer's page does still reaches the technician.
      const sentinel = `after-kill-${randomBytes(6).toString('hex')}`;
      await customer.tab.evaluate((text) => {
        const title = document.querySelector('#title');
        if (title) title.textContent = text;
      }, sentinel);
      await viewer.waitForReplayText('#title', (t) => t === sentinel, 20_000);
      expect(await viewer.linkState()).toBe('connected');
      expect((await customer.sessionState())?.phase).toBe('live');
      // The viewer registered again, through HAProxy, on the instance still up (lib/peer/signalling-loss.ts),
      // so the server can reach it again (ending the session closes its socket there).
      await poll('the viewer registered on the surviving instance', async () => holder('viewer', sessionId) === customerOn, 20_000);

      // Ending it still works (the API through HAProxy, now on the surviving instance) and is audited.
      const endAnswer = viewer.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/sessions/${encodeURIComponent(sessionId)}/end`), { timeout: 30_000 });
      await viewer.endSession();
      expect((await customer.waitForPhase('ended')).endedReason).toBe('technician-ended');
      // The technician's own request got through HAProxy (redispatched if it met the killed instance first).
      expect((await endAnswer).status()).toBe(204);
      // The customer hears of the end over the data channel, at once; the viewer's POST goes through HAProxy,
      // which may first try the killed instance (its health checks have not noticed yet) and then redispatch.
      const db = await openDatabase({ dbPath: '', databaseUrl: cluster.databaseUrl });
      try {
        const sessionRow = () => db.selectFrom('sessions').select(['status', 'end_reason']).where('id', '=', sessionId).executeTakeFirstOrThrow();
        await poll('the session ended in the database', async () => (await sessionRow()).status !== 'active', 15_000);
        expect(await sessionRow()).toEqual({ status: 'ended', end_reason: 'technician-ended' });
        // Audited once. Both ends report the end (the customer's extension too, so the server learns of it
        // when the viewer cannot tell it); whichever request arrives first is the one recorded, with its
        // sender as the actor: the viewer's may first have met the killed instance.
        const ended = await db.selectFrom('audit_events').select(['kind', 'detail', 'actor']).where('session_id', '=', sessionId).where('kind', '=', 'ended').execute();
        expect(ended).toHaveLength(1);
        expect(ended[0]).toMatchObject({ kind: 'ended', detail: 'technician-ended' });
        expect(['technician', 'customer']).toContain(ended[0]?.actor);
      } finally {
        await db.destroy();
      }
    } finally {
      await viewer.page.close();
      await customer?.tab.close();
    }
  });
});
