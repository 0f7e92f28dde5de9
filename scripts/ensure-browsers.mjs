// Makes sure the browsers the end-to-end tests and the benchmarks drive are installed: Debian's `chromium`
// and `firefox-esr` packages (puppeteer's own browser downloads are not used).
// Usage: node scripts/ensure-browsers.mjs [chromium] [firefox]   (no argument: both)
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const BROWSERS = {
  chromium: { env: 'CHROMIUM_PATH', paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'], apt: 'chromium chromium-l10n' },
  firefox: { env: 'FIREFOX_PATH', paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'], apt: 'firefox-esr' },
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BROWSERS);
const unknown = wanted.filter((name) => !(name in BROWSERS));
if (unknown.length) {
  console.error(`meekijk: unknown browser ${unknown.join(', ')} (known: ${Object.keys(BROWSERS).join(', ')})`);
  process.exit(2);
}

const found = (browser) => [process.env[browser.env], ...browser.paths].filter(Boolean).find((p) => existsSync(p));
// The first-use tests run the popup in Dutch and in English: Debian's chromium ships only en-US, the other
// UI languages come in chromium-l10n.
const DEBIAN_LOCALES = '/usr/lib/chromium/locales';
const needsL10n = wanted.includes('chromium') && found(BROWSERS.chromium) === '/usr/bin/chromium' && existsSync(DEBIAN_LOCALES) && !existsSync(`${DEBIAN_LOCALES}/nl.pak`);
const missing = wanted.map((name) => BROWSERS[name]).filter((browser) => !found(browser));
if (needsL10n && !missing.includes(BROWSERS.chromium)) missing.push({ ...BROWSERS.chromium, apt: 'chromium-l10n' });
if (missing.length === 0) process.exit(0);

const packages = missing.flatMap((browser) => browser.apt.split(' '));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  for (const browser of missing) {
    console.error(`meekijk: ${browser.apt} not found. Install it (Debian: \`sudo apt-get install -y ${browser.apt}\`) or set ${browser.env}.`);
  }
  process.exit(2);
}
console.log(`meekijk: installing ${packages.join(' and ')} from Debian packages (apt-get install)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
const still = missing.filter((browser) => !found(browser));
if (still.length) {
  console.error(`meekijk: apt-get finished but ${still.map((b) => b.paths[0]).join(', ')} is missing.`);
  process.exit(2);
}
