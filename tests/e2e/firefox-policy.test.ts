/**
 * The enterprise policy (issue 21): an installed extension pointed at the organisation's own server by IT,
 * without a rebuild. Firefox reads the add-on's managed storage (`serverUrl`) from a policy file; the test
 * server is not the one the extension was built for, and the tests' usual local setting is not made.
 */
import { describe, expect, it } from 'vitest';
import { useStack } from './support/suite';

const suite = useStack({}, [], { customer: 'firefox', serverByPolicy: true });

describe('server set by enterprise policy', () => {
  it('redeems codes at and connects to the policy server, and a local setting does not override it', async () => {
    const extension = suite.stack.launched.extension;
    expect(extension.engine).toBe('firefox');
    expect(await extension.evaluate('chrome.storage.managed.get("serverUrl")')).toEqual({ serverUrl: suite.stack.serverUrl });
    // A local setting pointing elsewhere: the session can only have found the server through the policy.
    await extension.evaluate(`chrome.storage.local.set({ serverUrl: 'http://127.0.0.1:9' })`);
    const s = await suite.invite('/shop.html');
    await s.customer.joinWithCode(s.code);
    await s.viewer.waitForTab('sharing');
    await s.viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    await s.viewer.endSession();
    await s.customer.waitForPhase('ended');
  });
});
