import { it } from 'vitest';
import { useStack } from './support/suite';
import { tapCustomerWire } from './support/privacy-wire';
const suite = useStack();
it('scratch', async () => {
  console.log('perms', JSON.stringify(await suite.stack.launched.extension.evaluate('chrome.permissions.getAll()')));
  console.log('contains', JSON.stringify(await suite.stack.launched.extension.evaluate(`chrome.permissions.contains({ origins: ['http://127.0.0.1/join/*'] })`)));
  const wire = tapCustomerWire(suite.stack.launched.browser, suite.stack.launched.extension);
  console.log('sent0', (await wire.sent()).length);
  const { viewer, customer, code } = await suite.invite('/shop.html');
  await customer.joinWithCode(code);
  await viewer.waitForTab('sharing');
  console.log('sent', (await wire.sent()).length);
});
