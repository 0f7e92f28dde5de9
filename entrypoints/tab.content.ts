import browser from 'webextension-polyfill';
import { startTabAgent } from '@/lib/tab/tab-agent';
import { showIndicator } from '@/lib/tab/indicator';

// Injected on demand into the shared tab only (registration: runtime; no standing host access).
export default defineContentScript({
  matches: ['<all_urls>'],
  registration: 'runtime',
  main(ctx) {
    const stop = startTabAgent({ connect: (name) => browser.runtime.connect({ name }), showIndicator });
    ctx.onInvalidated(stop);
  },
});
