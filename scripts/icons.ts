/**
 * `npm run icons`: renders store-assets/icon.svg to the extension's PNG icons (public/icon/<size>.png, which
 * WXT puts in the manifest) and the 128 px store icon, with the same Chromium the tests use.
 */
import { readFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { chromiumPath } from '../tests/e2e/support/browser';

const svg = readFileSync('store-assets/icon.svg', 'utf8');
const browser = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, pipe: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const size of [16, 32, 48, 96, 128]) {
    await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
    await page.screenshot({ path: `public/icon/${size}.png`, omitBackground: true });
  }
  await page.setViewport({ width: 128, height: 128 });
  await page.screenshot({ path: 'store-assets/icon-128.png', omitBackground: true });
} finally {
  await browser.close();
}
console.log('icons written to public/icon/ and store-assets/icon-128.png');
