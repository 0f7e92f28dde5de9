import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { rrwebSlicedSnapshot } from './scripts/rrweb-sliced-snapshot';
import { rrwebUntaintedCheck } from './scripts/rrweb-untainted-check';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  // The recorder's rrweb is patched at build time (scripts/rrweb-sliced-snapshot.ts,
  // scripts/rrweb-untainted-check.ts); tests run it so too, which needs rrweb to go through Vite rather
  // than be loaded by Node as it is.
  plugins: [rrwebSlicedSnapshot(), rrwebUntaintedCheck()],
  resolve: { alias: { '@': root.replace(/\/$/, '') } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx', 'tests/server/**/*.test.ts'],
          environment: 'node',
          server: { deps: { inline: [/[\\/]node_modules[\\/]rrweb[\\/]/] } },
        },
      },
      {
        extends: true,
        test: {
          // The server suite again on PostgreSQL + Redis (started by the setup, thrown away after).
          name: 'server-scaled',
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/server/scaled-setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          // Firefox-only files run in the e2e-firefox project.
          exclude: ['tests/e2e/firefox.test.ts', 'tests/e2e/firefox-policy.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // A real browser on a busy 2-core machine now and then misses a 30 s wait; one retry, and a
          // failure that repeats is real.
          retry: 1,
        },
      },
      {
        extends: true,
        test: {
          // The same end-to-end files with the customer in Firefox (ESR, over WebDriver BiDi) and the
          // technician's viewer in Chromium; tests/e2e/firefox.test.ts runs the viewer in Firefox too.
          name: 'e2e-firefox',
          include: [
            'tests/e2e/live-mirror.test.ts',
            'tests/e2e/consent.test.ts',
            'tests/e2e/privacy.test.ts',
            'tests/e2e/control.test.ts',
            'tests/e2e/helpdesk.test.ts',
            'tests/e2e/firefox.test.ts',
            'tests/e2e/firefox-policy.test.ts',
            'tests/e2e/replay-assets.test.ts',
            'tests/e2e/fidelity.test.ts',
            'tests/e2e/resilience.test.ts',
            'tests/e2e/reconnect-grace.test.ts',
          ],
          env: { MEEKIJK_E2E_CUSTOMER: 'firefox' },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          retry: 1,
        },
      },
    ],
  },
});
