/**
 * The scripted 60-second support session, driven with real (trusted) input on a fixed timeline, so that
 * the run without recording, the run through Meekijk and the run as a video do exactly the same thing at
 * the same moments. The customer is on the phone with the technician: looks for something, opens menus,
 * fills in a form (masked fields), scrolls, opens two FAQ answers, goes to the order page, asks a question.
 */
import type { Page } from 'puppeteer-core';

export const SESSION_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * `pointer: 'jumps'` runs the same session with the pointer jumping to where it goes next instead of
 * gliding there a display frame at a time: what the stream costs without a moving cursor (an upper bound
 * for anything that sends the cursor less often).
 */
export async function supportSession(page: Page, { pointer = 'glides' }: { pointer?: 'glides' | 'jumps' } = {}): Promise<void> {
  const t0 = Date.now();
  const at = (ms: number) => sleep(t0 + ms - Date.now());
  let cursor = { x: 640, y: 400 };
  await page.mouse.move(cursor.x, cursor.y);

  /** Moves the cursor like a hand does: one step per display frame. */
  const glide = async (x: number, y: number, ms: number) => {
    if (pointer === 'jumps') {
      await page.mouse.move(x, y);
      cursor = { x, y };
      return sleep(ms);
    }
    const steps = Math.max(1, Math.round(ms / 16));
    const from = cursor;
    for (let i = 1; i <= steps; i++) {
      const k = i / steps;
      const ease = k < 0.5 ? 2 * k * k : 1 - (-2 * k + 2) ** 2 / 2;
      await page.mouse.move(from.x + (x - from.x) * ease, from.y + (y - from.y) * ease);
      await sleep(16);
    }
    cursor = { x, y };
  };
  const centre = async (selector: string) => {
    const handle = await page.waitForSelector(selector);
    await handle!.scrollIntoView();
    const box = await handle!.boundingBox();
    if (!box) throw new Error(`${selector} is not visible`);
    return { x: Math.round(box.x + Math.min(box.width / 2, 60)), y: Math.round(box.y + box.height / 2) };
  };
  const glideTo = async (selector: string, ms: number) => {
    const p = await centre(selector);
    await glide(p.x, p.y, ms);
  };
  const click = async (selector: string, ms = 500) => {
    await glideTo(selector, ms);
    await page.mouse.click(cursor.x, cursor.y);
  };
  const wheel = async (deltaY: number, times: number, everyMs: number) => {
    for (let i = 0; i < times; i++) {
      await page.mouse.wheel({ deltaY });
      await sleep(everyMs);
    }
  };

  // Looking for ink: the search box suggests as the customer types.
  await at(500);
  await click('#search', 1000);
  await page.keyboard.type('inkt', { delay: 150 });
  // Opens the product menu and runs the cursor down its items, then switches to the service menu.
  await at(3_500);
  await click('#menu-0 > button', 600);
  await glide(cursor.x + 20, cursor.y + 200, 1500);
  await at(6_500);
  await click('#menu-1 > button', 500);
  await at(8_000);
  await click('#title', 500); // a click outside closes the menu
  // Fills in the account form: every field is masked in the recording.
  await at(9_500);
  await click('#name', 600);
  await page.keyboard.type('Jan de Vries', { delay: 110 });
  await at(11_500);
  await page.keyboard.press('Tab');
  await page.keyboard.type('jan@example.nl', { delay: 100 });
  await at(13_500);
  await page.keyboard.press('Tab');
  await page.keyboard.type('0612345678', { delay: 110 });
  await at(15_500);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Geheim!2026', { delay: 110 });
  await at(17_500);
  await click('#street', 600);
  await page.keyboard.type('Dorpsstraat 12', { delay: 100 });
  await at(19_500);
  await page.keyboard.press('Tab');
  await page.keyboard.type('1234 AB', { delay: 120 });
  await at(20_500);
  await click('#note', 500);
  await page.keyboard.type('Graag bellen na vijf uur', { delay: 90 });
  // The technician explains; the customer scrolls through the recommendations.
  await at(25_000);
  await glide(800, 500, 500);
  await wheel(250, 16, 400);
  // Opens two FAQ answers.
  await at(32_500);
  await click('details:nth-of-type(1) > summary', 700);
  await at(34_500);
  await click('details:nth-of-type(3) > summary', 700);
  // Back to the top and on to the order page.
  await at(38_000);
  await wheel(-400, 14, 200);
  await at(42_000);
  await Promise.all([page.waitForNavigation(), click('#next', 700)]);
  // Second page: looks over the orders, opens the account menu, scrolls, asks a question.
  await at(44_000);
  await glideTo('table.orders tbody tr:nth-child(4)', 1200);
  await glide(cursor.x + 300, cursor.y + 120, 800);
  await at(47_000);
  await click('#menu-3 > button', 600);
  await at(48_500);
  await click('#title', 500);
  await at(50_000);
  await glide(700, 450, 400);
  await wheel(250, 8, 400);
  await at(54_000);
  await click('#question', 600);
  await page.keyboard.type('Waar blijft mijn pakket?', { delay: 100 });
  await at(SESSION_MS);
}
