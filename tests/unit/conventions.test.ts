/**
 * The house rules, read from the tree (refined-github's way): where code runs is the folder it is in, and
 * each execution context imports only what it may load there; content scripts load zod/mini only; the
 * page's main world loads no extension API; no product file is over 300 lines; nothing is exported from
 * shipped code for the tests alone. docs/architecture.md draws the same map.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const PRODUCT = ['lib', 'entrypoints', 'components', 'viewer', 'server'];
const MAX_LINES = 300;

const walk = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : [path];
  });
const sources = PRODUCT.flatMap(walk).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
const text = new Map(sources.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

type Context = 'background' | 'tab' | 'page' | 'peer' | 'ui' | 'shared' | 'protocol' | 'viewer' | 'server';

/** Which context a file runs in: its folder says so. */
function contextOf(file: string): Context {
  const lib = /^lib\/(background|tab|page|peer|ui|shared|protocol)\//.exec(file);
  if (lib) return lib[1] as Context;
  if (file === 'entrypoints/background.ts') return 'background';
  if (file === 'entrypoints/tab.content.ts' || file === 'entrypoints/join.content.ts') return 'tab';
  if (file === 'entrypoints/recorder.content.ts') return 'page';
  if (file.startsWith('entrypoints/offscreen/')) return 'peer';
  if (file.startsWith('entrypoints/popup/') || file.startsWith('components/')) return 'ui';
  if (file.startsWith('viewer/')) return 'viewer';
  if (file.startsWith('server/')) return 'server';
  throw new Error(`${file}: no execution context; put it in the folder of the context it runs in`);
}

/** What each context may import from the product's own code. */
const MAY_IMPORT: Record<Context, Context[]> = {
  protocol: ['protocol'],
  shared: ['shared', 'protocol'],
  page: ['page', 'shared', 'protocol'],
  tab: ['tab', 'shared', 'protocol'],
  peer: ['peer', 'shared', 'protocol'],
  // In Firefox the background page is the peer host itself (lib/background/session/peer-host-client.ts).
  background: ['background', 'peer', 'shared', 'protocol'],
  ui: ['ui', 'shared', 'protocol'],
  // The technician's end of the same wire (lib/peer/peer-end.ts, wire-link.ts).
  viewer: ['viewer', 'peer', 'shared', 'protocol'],
  server: ['server', 'shared', 'protocol'],
};

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The file's imports: repo paths for our own modules, package names (with subpath) for the rest. */
function importsOf(file: string): Array<{ spec: string; target: string; typeOnly: boolean }> {
  const out: Array<{ spec: string; target: string; typeOnly: boolean }> = [];
  for (const match of text.get(file)!.matchAll(IMPORT)) {
    const spec = (match[1] ?? match[2])!.split('?')[0]!;
    const typeOnly = /^\s*;?\s*(import|export)\s+type\s/.test(match[0]);
    if (spec.startsWith('@/')) out.push({ spec, target: resolveFile(spec.slice(2)), typeOnly });
    else if (spec.startsWith('.')) out.push({ spec, target: resolveFile(normalize(join(dirname(file), spec))), typeOnly });
    else out.push({ spec, target: spec, typeOnly });
  }
  return out;
}

function resolveFile(path: string): string {
  for (const candidate of [path, `${path}.ts`, `${path}.tsx`, join(path, 'index.ts')]) {
    if (existsSync(join(ROOT, candidate)) && statSync(join(ROOT, candidate)).isFile()) return relative(ROOT, join(ROOT, candidate));
  }
  return path;
}

const isOurs = (target: string) => sources.includes(target);

/** Every module a bundle starting at `entry` loads (type-only imports load nothing). */
function bundleOf(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  for (let file = todo.pop(); file; file = todo.pop()) {
    if (modules.has(file)) continue;
    modules.add(file);
    for (const { target, typeOnly } of importsOf(file)) {
      if (typeOnly) continue;
      if (isOurs(target)) todo.push(target);
      else if (!target.startsWith('lib/') && !target.startsWith('terms/')) packages.add(target);
    }
  }
  return { modules, packages };
}

describe('the tree says where code runs', () => {
  it('every product file sits in the folder of one execution context', () => {
    const homeless = sources.filter((file) => {
      try {
        contextOf(file);
        return false;
      } catch {
        return true;
      }
    });
    expect(homeless).toEqual([]);
  });

  it('each context imports only what it may load', () => {
    const crossings: string[] = [];
    for (const file of sources) {
      const from = contextOf(file);
      for (const { spec, target } of importsOf(file)) {
        if (!isOurs(target)) continue;
        const to = contextOf(target);
        if (!MAY_IMPORT[from].includes(to)) crossings.push(`${file} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('the rule sees a crossing when there is one', () => {
    // The check above is only worth something if it can fail: the page may not load the background's code.
    expect(MAY_IMPORT.page).not.toContain(contextOf('lib/background/session/machine.ts'));
    expect(importsOf('entrypoints/recorder.content.ts').map((i) => i.target)).toContain('lib/page/page-agent.ts');
  });
});

describe('what the content scripts load', () => {
  const contentScripts = readdirSync(join(ROOT, 'entrypoints')).filter((name) => name.endsWith('.content.ts')).map((name) => `entrypoints/${name}`);

  it('there are the three we know of', () => {
    expect(contentScripts.sort()).toEqual(['entrypoints/join.content.ts', 'entrypoints/recorder.content.ts', 'entrypoints/tab.content.ts']);
  });

  it.each(contentScripts)('%s loads zod/mini only, never the whole of zod', (entry) => {
    const { packages, modules } = bundleOf(entry);
    expect([...packages].filter((p) => p === 'zod' || (p.startsWith('zod/') && p !== 'zod/mini'))).toEqual([]);
    expect(modules.size).toBeGreaterThan(1);
  });

  it("the page's main world loads no extension API (it has none)", () => {
    const { packages } = bundleOf('entrypoints/recorder.content.ts');
    expect([...packages].filter((p) => p.startsWith('webextension-polyfill') || p.startsWith('wxt'))).toEqual([]);
    expect(packages).toContain('rrweb');
  });
});

describe('one of each', () => {
  it('one peer-end set-up: only lib/peer/peer-end.ts makes a PeerJS peer (the customer\'s link and the viewer use it)', () => {
    expect(sources.filter((file) => file !== 'lib/peer/peer-end.ts' && /new Peer\(/.test(text.get(file)!))).toEqual([]);
    expect(text.get('lib/peer/customer-link.ts')).toContain('createPeerEnd');
    expect(text.get('viewer/lib/viewer-host.ts')).toContain('createPeerEnd');
  });

  it('one page bridge: nothing crosses between the page world and the isolated script by postMessage', () => {
    const worlds = sources.filter((file) => file.startsWith('lib/page/') || file.startsWith('lib/tab/'));
    expect(worlds.filter((file) => /\b(win|window|self|top|parent)\.postMessage\(/.test(text.get(file)!))).toEqual([]);
    expect(worlds.filter((file) => /addEventListener\(\s*'message'/.test(text.get(file)!))).toEqual([]);
  });
});

describe('size and seams', () => {
  it(`no product file is over ${MAX_LINES} lines`, () => {
    const long = sources.map((file) => ({ file, lines: text.get(file)!.split('\n').length - 1 })).filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('nothing is exported from shipped code for the tests alone: every exported value is used by product code', () => {
    const shipped = sources.filter((f) => f.startsWith('lib/') || f.startsWith('viewer/lib/'));
    const unused: string[] = [];
    for (const file of shipped) {
      const own = text.get(file)!;
      for (const [, name] of own.matchAll(/^export (?:async )?(?:function|const|let|class) (\w+)/gm)) {
        const word = new RegExp(`\\b${name}\\b`, 'g');
        const usedInside = (own.match(word) ?? []).length > 1;
        const usedElsewhere = sources.some((other) => other !== file && word.test(text.get(other)!));
        if (!usedInside && !usedElsewhere) unused.push(`${file}: ${name}`);
      }
    }
    expect(unused).toEqual([]);
  });

  it('no test or bench hook is left in shipped code', () => {
    const shipped = sources.filter((f) => !f.startsWith('server/'));
    // The seams issue 16 took out, so they do not come back: a bench mark, state written for the tests to
    // read, a frame hook nobody passed, a getter only a test harness read.
    const hooks = /performance\.mark\(|\bonFrame\?:|\bwalkedTree\b|SNAPSHOT_IN_MARK/;
    expect(shipped.filter((file) => hooks.test(text.get(file)!))).toEqual([]);
    // storage.session only where the background keeps what must outlive its worker (issue 17), read back by itself.
    expect(shipped.filter((file) => /storage\.session\b/.test(text.get(file)!))).toEqual(['lib/background/background.ts']);
  });
});
