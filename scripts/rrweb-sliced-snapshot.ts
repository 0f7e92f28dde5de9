/**
 * A build plugin: lets the recorder take rrweb's full snapshot in slices instead of one long task.
 *
 * rrweb serialises the whole document in one synchronous recursion (`serializeNodeWithId` calls itself
 * for every child). On a 5,000-element page that is one task of 100 ms and more in the customer's page,
 * during which the page cannot answer input or paint (bench: `npm run bench:snapshot-cost`).
 * This plugin changes rrweb's bundle in three places and adds three exports:
 * - in the two child loops of `serializeNodeWithId` (light children and shadow-root children), when a
 *   slicer is set, the children are handed to it (`slicer.defer(container, serializedParent, children,
 *   options)`) instead of being serialised at once; with no slicer set, rrweb runs exactly as before;
 * - rrweb's mutation buffers can be held: while held, a buffer keeps collecting the page's DOM changes but
 *   does not emit them (its own `lock`, which rrweb uses during a snapshot, from outside);
 * - `__meekijkSetSlicer(slicer | null)` sets or clears the slicer;
 * - `__meekijkHoldMutations(hold)` holds the buffers, or releases them: each held buffer emits at once,
 *   against the mirror as it is then (with the whole snapshot in it);
 * - `__meekijkSerializeNodeWithId` is rrweb's own serialiser (same id counter, same masking), so the
 *   slicer serialises the deferred children later with exactly what rrweb would have used.
 * lib/page/record/sliced-snapshot.ts is the slicer. The recorder sets it only around its own calls, so every
 * other serialisation (mutations, iframes and stylesheets that load later) stays synchronous.
 */
import { RrwebPatchError, rrwebBundlePlugin } from './rrweb-bundle';

export { RrwebPatchError };

const SLICER = '__meekijkSlicer';
const HOLD = '__meekijkHold';
const HELD = '__meekijkHeldBuffers';

/** `for (const childN of Array.from(src_default$2.childNodes(n))) {` */
const LIGHT_CHILDREN = /for \(const childN of Array\.from\((src_default(?:\$\d+)?)\.childNodes\(n\)\)\) \{/g;
/** `if (isElement(n) && (shadowRootEl = src_default$2.shadowRoot(n))) for (const childN of Array.from(src_default$2.childNodes(shadowRootEl))) {` */
const SHADOW_CHILDREN =
  /if \(isElement\(n\) && \(shadowRootEl = (src_default(?:\$\d+)?)\.shadowRoot\(n\)\)\) for \(const childN of Array\.from\(\1\.childNodes\(shadowRootEl\)\)\) \{/g;
/** The start of MutationBuffer's `emit`: `emit = () => {\n\t\tif (this.frozen || this.locked) return;` */
const MUTATION_EMIT = /emit = \(\) => \{(\s*)if \(this\.frozen \|\| this\.locked\) return;/g;
/** `function serializeNodeWithId(n, options) {`: exactly one in the bundle. */
const SERIALIZER = /^function serializeNodeWithId\(n, options\) \{$/gm;

function replaceOnce(source: string, pattern: RegExp, what: string, replace: (...groups: string[]) => string): string {
  let count = 0;
  const code = source.replace(pattern, (...args: string[]) => {
    count++;
    return replace(...args);
  });
  if (count !== 1) {
    throw new RrwebPatchError(
      `rrweb's bundle has ${count} ${what} where one was expected: scripts/rrweb-sliced-snapshot.ts must be updated for this rrweb version`,
    );
  }
  return code;
}

/** rrweb's bundle with the slicer hook. Throws when the bundle does not have the expected shape. */
export function addSnapshotSlicer(source: string): string {
  let code = replaceOnce(source, SERIALIZER, 'serializeNodeWithId functions', () => `var ${SLICER} = null;\nfunction serializeNodeWithId(n, options) {`);
  code = replaceOnce(
    code,
    LIGHT_CHILDREN,
    'light child loops',
    (loop, untainted) => `if (${SLICER}) ${SLICER}.defer(n, serializedNode, Array.from(${untainted}.childNodes(n)), bypassOptions); else ${loop}`,
  );
  code = replaceOnce(code, SHADOW_CHILDREN, 'shadow child loops', (_loop, untainted) => {
    const shadowChildren = `Array.from(${untainted}.childNodes(shadowRootEl))`;
    return (
      `if (isElement(n) && (shadowRootEl = ${untainted}.shadowRoot(n))) ` +
      `if (${SLICER}) ${SLICER}.defer(shadowRootEl, serializedNode, ${shadowChildren}, bypassOptions); ` +
      `else for (const childN of ${shadowChildren}) {`
    );
  });
  code = replaceOnce(
    code,
    MUTATION_EMIT,
    'mutation buffer emits',
    (_start, space) =>
      `emit = () => {${space}if (this.frozen || this.locked) return;${space}if (${HOLD}) { ${HELD}.add(this); return; }`,
  );
  return (
    `var ${HOLD} = false;\nvar ${HELD} = new Set();\n` +
    code +
    `\nfunction __meekijkSetSlicer(slicer) { ${SLICER} = slicer; }` +
    `\nfunction __meekijkHoldMutations(hold) { ${HOLD} = hold; if (!hold) { const held = [...${HELD}]; ${HELD}.clear(); for (const buffer of held) buffer.emit(); } }` +
    `\nexport { __meekijkSetSlicer, __meekijkHoldMutations, serializeNodeWithId as __meekijkSerializeNodeWithId };\n`
  );
}

export function rrwebSlicedSnapshot() {
  return rrwebBundlePlugin('meekijk:rrweb-sliced-snapshot', addSnapshotSlicer);
}
