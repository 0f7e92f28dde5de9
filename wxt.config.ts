import { defineConfig } from 'wxt';

// The Meekijk extension. Permissions are kept to what a one-off session needs (terms art. 1.2):
// no standing host access; the shared tab is reached through activeTab, granted by the customer's own
// click on the toolbar button, and lost again when the session ends or the tab goes to another site.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  outDir: '.output',
  // Chrome refuses injected files that are not valid UTF-8; rrweb's bundle carries lone surrogates in
  // string literals, so every non-ASCII character is escaped.
  vite: () => ({ esbuild: { charset: 'ascii' } }),
  hooks: {
    // The content scripts are injected on demand into the consented tab only. WXT derives
    // host_permissions from their `matches`; drop that, so the extension holds no standing access.
    'build:manifestGenerated': (_wxt, manifest) => {
      delete manifest.host_permissions;
      if (manifest.content_scripts?.length === 0) delete manifest.content_scripts;
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
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'meekijk@reconi.nl', strict_min_version: '128.0' } } }
      : {}),
  }),
});
