/** The benchmark's scenarios (issue 7): what page, and what happens on it. */
import type { Page } from 'puppeteer-core';
import { supportSession } from './session-script';

export type ScenarioId = 'nodes-5k' | 'nodes-50k' | 'mutations' | 'session' | 'photos' | 'session-pointer-jumps';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Path on the page server, and the exact title of that page (tab capture selects the tab by it). */
  path: string;
  pageTitle: string;
  /** The scripted activity, identical in every mode. */
  activity(page: Page): Promise<void>;
  /** Run only when named with --only (an analysis, not one of issue 7's scenarios). */
  optional?: boolean;
}

const probeLoop = (count: number) => async (page: Page) => {
  await page.evaluate(`window.__bench.probeLoop(${count}, 30, 90)`);
};

export const SCENARIOS: Scenario[] = [
  {
    id: 'nodes-5k',
    title: '5,000-element page',
    path: '/nodes.html?n=5000',
    pageTitle: 'Kantoorwinkel - 5000 elementen',
    activity: probeLoop(120),
  },
  {
    id: 'nodes-50k',
    title: '50,000-element page',
    path: '/nodes.html?n=50000',
    pageTitle: 'Kantoorwinkel - 50000 elementen',
    activity: probeLoop(80),
  },
  {
    id: 'mutations',
    title: 'Mutation-heavy (50 cells x 20/s)',
    path: '/ticker.html',
    pageTitle: 'Kantoorwinkel - live koersen',
    activity: async (page) => {
      await page.evaluate('window.__bench.startTicker()');
      await new Promise((r) => setTimeout(r, 10_000));
      await page.evaluate('window.__bench.stopTicker()');
    },
  },
  {
    id: 'session',
    title: '60-second support session',
    path: '/shop.html',
    pageTitle: 'Kantoorwinkel - Mijn account',
    activity: supportSession,
  },
  {
    // Issue 20: the photos travel with the session; the viewer fetches none of them.
    id: 'photos',
    title: 'Product list with 20 photos',
    path: '/photos.html',
    pageTitle: 'Kantoorwinkel - nieuw binnen',
    activity: async (page) => {
      await probeLoop(40)(page);
      // Down the list and back: the photos below the fold are sent when they come into view.
      for (const y of [600, 1200, 1800, 0]) {
        await page.evaluate(`window.scrollTo(0, ${y})`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    },
  },
  {
    id: 'session-pointer-jumps',
    title: 'Same session, pointer jumping (no cursor motion)',
    path: '/shop.html',
    pageTitle: 'Kantoorwinkel - Mijn account',
    activity: (page) => supportSession(page, { pointer: 'jumps' }),
    optional: true,
  },
];
