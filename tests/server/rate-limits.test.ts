/**
 * Rate limits that hold under parallel attempts, count an IPv6 /64 as one address, cannot be turned
 * against a victim, and leave a trace in the log and the audit trail (issue 19, findings 1 and 2).
 * MEEKIJK_TRUST_PROXY=1 lets each request say its address in X-Forwarded-For.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditResponseSchema } from '../../lib/protocol/api';
import { addressKey } from '../../server/auth/address-key';
import { LimitReporter } from '../../server/auth/limit-report';
import { addTechnician, postJson, signIn, startTestServer, TEST_PASSWORD, type TestServer } from './helpers';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ MEEKIJK_TRUST_PROXY: '1' });
  await addTechnician(server, 'tess@reconi.nl');
});
afterEach(() => server.stop());

const login = (email: string, password: string, from: string) =>
  postJson(server, '/api/auth/login', { email, password }, { 'x-forwarded-for': from });
const redeem = (code: string, from: string) => postJson(server, '/api/invites/redeem', { code }, { 'x-forwarded-for': from });

async function auditOf(email: string) {
  const agent = await signIn(server, email);
  return auditResponseSchema.parse(await (await agent.get('/api/audit')).json()).events;
}

describe('sign-in limits', () => {
  it('counts before checking: of 200 simultaneous wrong passwords from one address only 20 are checked, the rest get 429', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login('tess@reconi.nl', `wrong ${i}`, '198.51.100.7')),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(180);
  }, 60_000);

  it('slows an attacked account down instead of locking it: after 5 wrong passwords the right one signs in, after 5 s', async () => {
    for (let i = 0; i < 5; i += 1) expect((await login('tess@reconi.nl', `wrong ${i}`, `203.0.113.${i}`)).status).toBe(401);
    expect(server.sleeps).toEqual([]);
    // Wrong passwords from yet more addresses: still only slowed, never refused.
    for (let i = 5; i < 30; i += 1) expect((await login('tess@reconi.nl', `wrong ${i}`, `203.0.113.${i}`)).status).toBe(401);
    const victim = await login('tess@reconi.nl', TEST_PASSWORD, '192.0.2.44');
    expect(victim.status).toBe(200);
    expect(server.sleeps).toHaveLength(26);
    expect(server.sleeps.every((ms) => ms === 5000)).toBe(true);
    // Signed in, the account's count starts over.
    expect((await login('tess@reconi.nl', TEST_PASSWORD, '192.0.2.44')).status).toBe(200);
    expect(server.sleeps).toHaveLength(26);
  });

  it('refuses the attacker’s address, not the victim’s: 20 failures from one address leave another address free', async () => {
    for (let i = 0; i < 20; i += 1) await login(`guess${i}@reconi.nl`, 'wrong', '198.51.100.7');
    expect((await login('tess@reconi.nl', TEST_PASSWORD, '198.51.100.7')).status).toBe(429);
    expect((await login('tess@reconi.nl', TEST_PASSWORD, '198.51.100.8')).status).toBe(200);
  });

  it('counts an IPv6 /64 as one address, and another /64 apart', async () => {
    for (let i = 0; i < 20; i += 1) await login(`guess${i}@reconi.nl`, 'wrong', `2001:db8:1:2::${(i + 1).toString(16)}`);
    const sameSlash64 = await login('tess@reconi.nl', TEST_PASSWORD, '2001:db8:1:2:ffff:ffff:ffff:fffe');
    expect(sameSlash64.status).toBe(429);
    expect((await login('tess@reconi.nl', TEST_PASSWORD, '2001:db8:1:3::1')).status).toBe(200);
  });

  it('logs every hit with the address and writes it to the attacked technician’s audit trail, without the address', async () => {
    for (let i = 0; i < 22; i += 1) await login('tess@reconi.nl', `wrong ${i}`, '198.51.100.9');
    expect(server.logs.filter((l) => l.startsWith('rate limit login-per-address: 198.51.100.9'))).toHaveLength(2);
    expect(server.logs.filter((l) => l.startsWith('rate limit login-account-slowed: 198.51.100.9'))).toHaveLength(15);
    const minute = new Date(server.clock.now).toISOString();
    server.clock.now += 61_000;
    await login('tess@reconi.nl', 'wrong again', '198.51.100.9');
    const events = await auditOf('tess@reconi.nl');
    const limited = events.filter((e) => e.kind === 'rate-limited').map((e) => e.detail);
    // The first hit of each limit and address at once; the rest of that minute as one row with their number.
    expect(limited.filter((d) => d === 'limit=login-per-address')).toHaveLength(2);
    expect(limited).toContain(`limit=login-per-address&more=1&since=${encodeURIComponent(minute)}`);
    // Signing in to read the audit was slowed too (another address, so a row of its own).
    expect(limited.filter((d) => d === 'limit=login-account-slowed')).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain('198.51.100.9');
  });
});

describe('LimitReporter', () => {
  it('writes the first hit of a minute at once and the rest of it as one counted row when the minute has closed', async () => {
    const logs: string[] = [];
    const reporter = new LimitReporter({ db: server.db, now: () => server.clock.now, log: (m) => logs.push(m) });
    const start = new Date(server.clock.now).toISOString();
    for (let i = 0; i < 15; i += 1) await reporter.hit({ limit: 'login-account-slowed', address: '198.51.100.9', technicianId: null });
    await reporter.flush();
    const rows = async () =>
      (await server.db.selectFrom('audit_events').select('detail').where('kind', '=', 'rate-limited').orderBy('id').execute()).map((r) => r.detail);
    expect(await rows()).toHaveLength(1);
    server.clock.now += 60_000;
    await reporter.flush();
    expect((await rows())[1]).toBe(`limit=login-account-slowed&more=14&since=${encodeURIComponent(start)}`);
    expect(logs).toHaveLength(15);
  });
});

describe('code limits', () => {
  it('100 wrong codes from 10 addresses do not close code entry: a customer at a fresh address redeems', async () => {
    const tess = await signIn(server, 'tess@reconi.nl');
    const created = await tess.createSession();
    const code = created.session.invite.code ?? '';
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 100; i += 1) expect((await redeem(wrong(i), `203.0.113.${i % 10}`)).status).toBe(404);
    expect((await redeem(code, '192.0.2.1')).status).toBe(200);
    // While the budget is spent, a fresh address gets one guess, then it is refused, even with the right code.
    expect((await redeem(wrong(500), '192.0.2.2')).status).toBe(404);
    expect((await redeem(code, '192.0.2.2')).status).toBe(429);
    expect(server.logs).toEqual(['rate limit code-global: 192.0.2.2']);
    // Every technician sees code-entry limits (they belong to no session and no account).
    await addTechnician(server, 'other@reconi.nl', 'Other');
    for (const email of ['tess@reconi.nl', 'other@reconi.nl']) {
      const agent = email === 'tess@reconi.nl' ? tess : await signIn(server, email);
      const events = auditResponseSchema.parse(await (await agent.get('/api/audit')).json()).events;
      expect(events.filter((e) => e.kind === 'rate-limited').map((e) => e.detail)).toEqual(['limit=code-global']);
    }
  });

  it('counts an IPv6 /64 as one address for wrong codes', async () => {
    const tess = await signIn(server, 'tess@reconi.nl');
    const created = await tess.createSession();
    const code = created.session.invite.code ?? '';
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 10; i += 1) expect((await redeem(wrong(i), `2001:db8:aa:bb::${(i + 1).toString(16)}`)).status).toBe(404);
    expect((await redeem(code, '2001:db8:aa:bb:1234::99')).status).toBe(429);
    expect(server.logs.at(-1)).toBe('rate limit code-per-address: 2001:db8:aa:bb::/64');
    expect((await redeem(code, '2001:db8:aa:bc::1')).status).toBe(200);
  });
});

describe('addressKey', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2::192.0.2.1', '2001:db8:1:2::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
