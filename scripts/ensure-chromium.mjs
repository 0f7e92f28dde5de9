// Makes sure a Chromium the end-to-end tests and the benchmark can drive is installed.
// Debian's `chromium` package is used (puppeteer's own browser download is not required).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
// The first-use tests run the popup in Dutch and in English: Debian's chromium ships only en-US, the other
// UI languages come in chromium-l10n.
const DEBIAN_LOCALES = '/usr/lib/chromium/locales';
const needsL10n = found === '/usr/bin/chromium' && existsSync(DEBIAN_LOCALES) && !existsSync(`${DEBIAN_LOCALES}/nl.pak`);
if (found && !needsL10n) {
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error('meekijk: Chromium not found. Install it (Debian: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH.');
  process.exit(2);
}
console.log('meekijk: installing Chromium from Debian packages (apt-get install chromium chromium-l10n)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'chromium-l10n'], { stdio: 'inherit', env });
if (!existsSync('/usr/bin/chromium')) {
  console.error('meekijk: apt-get finished but /usr/bin/chromium is missing.');
  process.exit(2);
}
