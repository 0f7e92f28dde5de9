import { defineConfig } from 'wxt';
import { inviteKeyDefine } from './scripts/invite-key';
import { rrwebRecordOnly } from './scripts/rrweb-record-only';
import { rrwebSlicedSnapshot } from './scripts/rrweb-sliced-snapshot';
import { rrwebUntaintedCheck } from './scripts/rrweb-untainted-check';

/**
 * The organisation's Meekijk server, baked in at build time (store builds set WXT_MEEKIJK_SERVER_URL).
 * Its join pages are the only pages the extension reads without a click on its button: the helpdesk link
 * hands over the invite there. The pattern has no port, so it matches the server on any port.
 */
const SERVER_URL = new URL(process.env.WXT_MEEKIJK_SERVER_URL ?? 'http://127.0.0.1:8080');
const JOIN_PAGES = `${SERVER_URL.protocol}//${SERVER_URL.hostname}/join/*`;

// The Meekijk extension. Permissions are kept to what a one-off session needs (terms art. 1.2):
// no standing host access; the shared tab is reached through activeTab, granted by the customer's own
// click on the toolbar button, and lost again when the session ends or the tab goes to another site.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  outDir: '.output',
  // Manifest V3 for Chrome and Firefox alike.
  manifestVersion: 3,
  // Chrome refuses injected files that are not valid UTF-8; rrweb's bundle carries lone surrogates in
  // string literals, so every non-ASCII character is escaped.
  // MEEKIJK_NO_MINIFY=1 keeps function names readable for `npm run bench:profile`.
  // rrwebRecordOnly: the recorder without the replayer's PostCSS (scripts/rrweb-record-only.ts).
  // rrwebSlicedSnapshot: rrweb's full snapshot in slices, not one long task (scripts/rrweb-sliced-snapshot.ts).
  // rrwebUntaintedCheck: no hidden iframe in the customer's page at each start (scripts/rrweb-untainted-check.ts).
  vite: () => ({
    plugins: [rrwebRecordOnly(), rrwebSlicedSnapshot(), rrwebUntaintedCheck()],
    esbuild: { charset: 'ascii' },
    ...(process.env.MEEKIJK_NO_MINIFY ? { build: { minify: false } } : {}),
  }),
  hooks: {
    // The invite key the extension trusts, pinned into the build (scripts/invite-key.ts says from where).
    // This hook runs for real builds only, not for `wxt prepare` on install.
    'vite:build:extendConfig': (_entrypoints, viteConfig) => {
      viteConfig.define = { ...viteConfig.define, ...inviteKeyDefine() };
    },
    // The content scripts are injected on demand into the consented tab only. WXT derives
    // host_permissions from their `matches`; drop that, so the extension holds no standing access.
    'build:manifestGenerated': (_wxt, manifest) => {
      delete manifest.host_permissions;
      // The one declared content script: the server's join page (lib/tab/join-page.ts), nowhere else.
      manifest.content_scripts = [{ matches: [JOIN_PAGES], js: ['content-scripts/join.js'], run_at: 'document_end' }];
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'nl',
    permissions: [
      'activeTab',
      'scripting',
      'storage',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    action: { default_title: '__MSG_extName__' },
    // A key that opens the popup (code, consent, stop) without finding the button (issue 23); the join
    // page names it. The browser leaves it unset if another extension holds it (the page then says so).
    commands: { _execute_action: { suggested_key: { default: 'Alt+Shift+M' }, description: '__MSG_commandOpenPopup__' } },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'meekijk@reconi.nl', strict_min_version: '128.0' } } }
      : {}),
  }),
});
