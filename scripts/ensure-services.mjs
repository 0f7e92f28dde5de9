// Makes sure the engines the tests start for themselves are installed (Debian packages): PostgreSQL and
// Redis (tests/server, server-scaled project), haproxy and coturn (tests/e2e/scaled, npm run load), and
// systemd's systemd-analyze, which checks deploy/meekijk@.service (tests/unit/deploy; nothing is started), and
// iptables (tests/e2e/resilience drops its own browser's traffic). Each
// test starts its own throwaway instance on a free port; nothing here starts a service. Quick when all are
// present (a few file checks); installs only what is missing.
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const postgres = () => {
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/initdb`));
};
const needed = [
  { pkg: 'postgresql', present: postgres },
  { pkg: 'redis-server', present: () => existsSync('/usr/bin/redis-server') },
  { pkg: 'haproxy', present: () => existsSync('/usr/sbin/haproxy') },
  { pkg: 'coturn', present: () => existsSync('/usr/bin/turnserver') },
  { pkg: 'systemd', present: () => existsSync('/usr/bin/systemd-analyze') },
  // The fault tests (tests/e2e/resilience.test.ts) drop their own browsers' UDP on loopback.
  { pkg: 'iptables', present: () => existsSync('/usr/sbin/iptables') && existsSync('/usr/sbin/ip6tables') },
];
const missing = needed.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`meekijk: missing ${missing.join(', ')}. Install (Debian): sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(2);
}
console.log(`meekijk: installing ${missing.join(', ')} from Debian packages (apt-get install)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
const still = needed.filter((n) => !n.present()).map((n) => n.pkg);
if (still.length > 0) {
  console.error(`meekijk: apt-get finished but ${still.join(', ')} still missing.`);
  process.exit(2);
}
