import browser from 'webextension-polyfill';
import { startTabAgent } from '@/lib/tab/tab-agent';
import { showIndicator } from '@/lib/tab/indicator';
import { showPrivacyTools } from '@/lib/tab/hide-tools';
import { startTabControl } from '@/lib/tab/control/tab-control';
import { showControlPrompt } from '@/lib/tab/control/prompt';
import { showOverlay } from '@/lib/tab/control/overlay';

// Injected on demand into the shared tab only (registration: runtime; no standing host access).
export default defineContentScript({
  matches: ['<all_urls>'],
  registration: 'runtime',
  main(ctx) {
    const stop = startTabAgent({
      connect: (name) => browser.runtime.connect({ name }),
      showIndicator,
      showPrivacyTools,
      startControl: (wiring) => startTabControl({ ...wiring, showPrompt: (o) => showControlPrompt(o), showOverlay: (name) => showOverlay(name) }),
    });
    ctx.onInvalidated(stop);
  },
});
