import { installPageAgent } from '@/lib/page/page-agent';

// Injected on demand (registration: runtime) into the shared tab's main world, see docs/decisions.
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  registration: 'runtime',
  main() {
    installPageAgent(window);
  },
});
