/**
 * The build patch that lets the recorder take rrweb's snapshot in slices (scripts/rrweb-sliced-snapshot.ts),
 * checked against the rrweb actually installed. What the patched rrweb then does in a page is tested in
 * real Chromium (tests/e2e/sliced-snapshot.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transform } from 'esbuild';
import { addSnapshotSlicer, RrwebPatchError } from '@/scripts/rrweb-sliced-snapshot';

const rrwebSource = readFileSync(new URL('../../../node_modules/rrweb/dist/rrweb.js', import.meta.url), 'utf8');

describe('addSnapshotSlicer', () => {
  it('patches the installed rrweb into valid JavaScript with the three exports', async () => {
    const code = addSnapshotSlicer(rrwebSource);
    await expect(transform(code, { format: 'esm', loader: 'js' })).resolves.toBeTruthy();
    expect(code).toContain('export { __meekijkSetSlicer, __meekijkHoldMutations, serializeNodeWithId as __meekijkSerializeNodeWithId };');
    // Both child loops hand over to the slicer when one is set, and run as before when not.
    expect(code.match(/if \(__meekijkSlicer\) __meekijkSlicer\.defer\(/g)).toHaveLength(2);
    expect(code).toContain('__meekijkSlicer.defer(shadowRootEl, serializedNode,');
    expect(code.match(/else for \(const childN of /g)).toHaveLength(2);
    expect(code).toContain('if (__meekijkHold) { __meekijkHeldBuffers.add(this); return; }');
  });

  it('refuses a bundle without the expected shape, with a message that says what to update', () => {
    const withoutShadowLoop = rrwebSource.replace(/\(shadowRootEl = /, '(shadowRootElement = ');
    expect(() => addSnapshotSlicer(withoutShadowLoop)).toThrow(RrwebPatchError);
    expect(() => addSnapshotSlicer(withoutShadowLoop)).toThrow(/0 shadow child loops where one was expected: scripts\/rrweb-sliced-snapshot\.ts/);
    expect(() => addSnapshotSlicer('export const x = 1;')).toThrow(/serializeNodeWithId/);
  });

  it('refuses a bundle in which a loop appears twice', () => {
    const serializer = rrwebSource.indexOf('function serializeNodeWithId(n, options) {');
    const doubled = rrwebSource + '\n' + rrwebSource.slice(serializer, serializer + 20000).replace('function serializeNodeWithId(', 'function copy(');
    expect(() => addSnapshotSlicer(doubled)).toThrow(/2 light child loops/);
  });
});
