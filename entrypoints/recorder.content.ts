import { installPageAgent } from '@/lib/page/page-agent';
import { installNodeResolver } from '@/lib/page/page-resolver';

// Injected on demand (registration: runtime) into the shared tab's main world, see docs/decisions.
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  registration: 'runtime',
  main() {
    // Remote control (issue 6): rrweb node id -> node, for the isolated world's decisions. Both are removed
    // at the session's end.
    const removeResolver = installNodeResolver(window);
    installPageAgent(window, removeResolver);
  },
});
