/**
 * rrweb's full snapshot, taken in slices of a few milliseconds instead of one long task.
 *
 * rrweb serialises a document in one synchronous recursion: on a large page one long task, in which the
 * customer's page neither answers input nor paints (docs/performance.md has the figures). With rrweb's bundle patched at build time (scripts/rrweb-sliced-snapshot.ts), the serialiser
 * hands each parent's children to us instead of recursing; we serialise them later, depth first in
 * document order, with rrweb's own serialiser and the options it passed, a slice at a time.
 *
 * rrweb's observers run from the start, and the page keeps changing between slices:
 * - rrweb's mutation buffers are held meanwhile (they collect, they do not emit): rrweb works out an
 *   added node's place from its neighbours' ids, and a neighbour still waiting for its slice has none, so
 *   rrweb would drop the addition and keep stale state for later. Released at the end, they emit once,
 *   against the whole snapshot.
 * - the recorder holds everything rrweb emits until the snapshot is complete; then `finish(held)` makes
 *   the snapshot the page as it is at that moment and says which held events still go after it.
 * - DOM mutation events (and stylesheet rule events of `<style>` and `<link>` elements) describe changes
 *   the finished tree may already have: replayed on it they could remove a node twice or delete the wrong
 *   rule. They are not sent. Instead, every parent in the tree has its children compared with the page
 *   and, where they differ, rebuilt (children still in place are kept; anything new, moved in or added
 *   meanwhile is serialised anew), and every node whose text or attributes changed is serialised again.
 * - everything else (input values, scroll, cursor, iframe contents that loaded, constructed stylesheets)
 *   sets state rather than changing the tree, and goes after the snapshot as it came.
 * Every node rrweb serialises anew is masked as rrweb masks, and the recorder's event filter checks the
 * finished snapshot against the page before it leaves (lib/page/privacy/event-filter.ts).
 *
 * Tested against rrweb's own snapshot and replay with random changes between slices in real Chromium
 * (tests/e2e/sliced-snapshot.test.ts). Measured: `npm run bench:snapshot-cost`, `npm run bench`.
 */
import { __meekijkHoldMutations, __meekijkSerializeNodeWithId, __meekijkSetSlicer, type SnapshotSlicerHook } from 'rrweb';

import { EventType, IncrementalSource, type eventWithTime, type serializedNodeWithId } from '@rrweb/types';
import { sortHeld, type Changed } from './sliced-held';
import {
  indexTree,
  LEFT_OUT,
  liveChildren,
  markShadowHost,
  markShadowHosts,
  NO_IDS,
  NOT_SERIALISED,
  ownerOf,
  recordsChildren,
  sameChildren,
  type MirrorView,
  type SerializedParent,
} from './sliced-tree';

export type { MirrorView } from './sliced-tree';

export interface SliceDeps {
  mirror: MirrorView;
  serialize?: (node: Node, options: object) => serializedNodeWithId | null;
  setSlicer?: (slicer: SnapshotSlicerHook | null) => void;
  holdMutations?: (hold: boolean) => void;
  now?: () => number;
}

interface Deferred {
  /** The element, shadow root or document whose children these are. */
  container: Node;
  parent: SerializedParent;
  children: Node[];
  next: number;
  /** rrweb's options for these children (masking inherited from the parent, whitespace, ...). */
  options: object;
}


export interface SnapshotSlices {
  /** Runs `take` (anything that makes rrweb take a full snapshot) with children deferred. True when work is left. */
  capture(take: () => void): boolean;
  /** Serialises deferred children until `deadline` (a `now()` time) has passed. True when none are left. */
  work(deadline: number): boolean;
  /**
   * After `work` is done: brings the snapshot in line with the page as it is now, using what rrweb emitted
   * in the meantime (`held`, the snapshot's own events included); returns the events to send, in order.
   */
  finish(held: eventWithTime[]): eventWithTime[];
  /** Forgets the deferred work (the recording stopped, or a slice failed). */
  cancel(): void;
}

export function createSnapshotSlices({
  mirror,
  serialize = __meekijkSerializeNodeWithId,
  setSlicer = __meekijkSetSlicer,
  holdMutations = __meekijkHoldMutations,
  now = () => performance.now(),
}: SliceDeps): SnapshotSlices {
  /** Parents whose children are still to do, the deepest last. */
  let stack: Deferred[] = [];
  /** Whether `work` skipped a child that had left its parent. */
  let skipped = false;
  /** The first parent handed over: the document, the root of the tree. */
  let root: SerializedParent | undefined;
  /** rrweb's options as it passed them for the document's children; masking is worked out again per node. */
  let baseOptions: object | undefined;
  /**
   * The page node behind each parent in the tree. Not only rrweb's mirror: rrweb drops the ids of a
   * removed node's subtree (and one put back gets new ones), so an old copy can no longer be found by id.
   */
  const nodeOf = new WeakMap<serializedNodeWithId, Node>();
  /** The other way: the tree's parent for a page node whose children were handed over. */
  const parentOf = new WeakMap<Node, SerializedParent>();
  /** Children deferred during one serialiser call, in the order rrweb handed them over (light, then shadow). */
  const handed: Deferred[] = [];
  const hook: SnapshotSlicerHook = {
    defer(container, parent, children, options) {
      handed.push({ container, parent, children, next: 0, options });
    },
  };

  /** Runs `fn` with the hook set; what it deferred goes on the stack so that it is done next, in order. */
  const deferring = <T>(fn: () => T): T => {
    handed.length = 0;
    setSlicer(hook);
    try {
      return fn();
    } finally {
      setSlicer(null);
      for (let i = handed.length - 1; i >= 0; i--) stack.push(handed[i]!);
      for (const deferred of handed) {
        if (!root) {
          root = deferred.parent;
          baseOptions = deferred.options;
        }
        const owner = ownerOf(deferred.container);
        nodeOf.set(deferred.parent, owner);
        parentOf.set(owner, deferred.parent);
      }
      handed.length = 0;
    }
  };

  /** Drops the snapshot being taken: no work left, no tree. */
  const forget = () => {
    stack = [];
    root = undefined;
  };

  /** Subtrees `finish` serialised anew: the page as it is, nothing below them to check. */
  let fresh = new WeakSet<serializedNodeWithId>();

  /** rrweb's options for serialising any node anew: masking from the node's ancestors in the page, as rrweb's mutation path does. */
  const freshOptions = (shallow: boolean): object => ({ ...baseOptions, needsMask: undefined, cssCaptured: false, skipChild: shallow });

  const reconcileChildren = (node: Node, parent: SerializedParent, renew: Set<number>) => {
    const live = liveChildren(node);
    if (sameChildren(mirror, live, parent, renew)) return;
    const kept = new Map(parent.childNodes.map((child) => [child.id, child]));
    const rebuilt: serializedNodeWithId[] = [];
    for (const child of live) {
      const id = mirror.getId(child);
      if (id === LEFT_OUT) continue;
      // Still here from the snapshot: kept (its own changes are handled on their own). New, moved in or
      // added meanwhile: serialised anew, as rrweb's mutation path does with a moved node, so its masking
      // and shadow flag follow its new place.
      let serialized = id === NOT_SERIALISED || renew.has(id) ? undefined : kept.get(id);
      if (!serialized) {
        serialized = serialize(child, freshOptions(false)) ?? undefined;
        if (serialized) fresh.add(serialized);
      }
      if (serialized) rebuilt.push(serialized);
    }
    parent.childNodes.splice(0, parent.childNodes.length, ...rebuilt);
  };

  /** Text, attributes and a stylesheet's rules serialised anew, into the object the tree holds. */
  const refreshContents = (node: Node, current: serializedNodeWithId) => {
    const again = serialize(node, freshOptions(true));
    if (again && again.type === current.type) {
      const { childNodes: _children, ...contents } = again as Partial<SerializedParent>;
      Object.assign(current, contents);
    }
    // The serialiser registered `again`; the tree holds `current`.
    mirror.add(node, current);
  };

  /**
   * Puts our own UI hosts where rrweb's additions say they went, and checks each parent they went into
   * against the page. False when one cannot be placed so, or the parent does not match the page: then
   * the whole tree is walked, as for any other change.
   */
  const placeOurs = (adds: Changed['ours']): boolean => {
    const touched = new Set<SerializedParent>();
    // rrweb lists additions in no particular order: one may go before a sibling listed after it.
    let waiting = adds;
    while (waiting.length > 0) {
      const later: Changed['ours'] = [];
      for (const add of waiting) {
        const live = mirror.getNode(add.node.id);
        const liveParent = mirror.getNode(add.parentId);
        const parent = liveParent ? parentOf.get(liveParent) : undefined;
        if (!live || !parent || live.parentNode !== liveParent || !recordsChildren(parent)) return false;
        touched.add(parent);
        // Added before its parent's turn came: serialised with the others, in place already.
        if (parent.childNodes.some((child) => child.id === add.node.id)) continue;
        const at = add.nextId === null ? parent.childNodes.length : parent.childNodes.findIndex((child) => child.id === add.nextId);
        if (at < 0) {
          later.push(add);
          continue;
        }
        parent.childNodes.splice(at, 0, add.node);
      }
      if (later.length === waiting.length) return false;
      waiting = later;
    }
    for (const parent of touched) {
      if (!sameChildren(mirror, liveChildren(nodeOf.get(parent)!), parent, NO_IDS)) return false;
    }
    return true;
  };

  return {
    capture(take) {
      forget();
      skipped = false;
      holdMutations(true);
      try {
        deferring(take);
      } catch (error) {
        forget();
        throw error;
      } finally {
        if (stack.length === 0) holdMutations(false);
      }
      return stack.length > 0;
    },
    work(deadline) {
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.next >= top.children.length) {
          stack.pop();
          continue;
        }
        const child = top.children[top.next++]!;
        // Moved or removed since rrweb listed it: `finish` puts the parent in line with the page.
        if (child.parentNode !== top.container) {
          skipped = true;
          continue;
        }
        const serialized = deferring(() => serialize(child, top.options));
        if (serialized) top.parent.childNodes.push(serialized);
        if (now() >= deadline) break;
      }
      while (stack.length > 0 && stack[stack.length - 1]!.next >= stack[stack.length - 1]!.children.length) stack.pop();
      return stack.length === 0;
    },
    finish(held) {
      // rrweb's mutation buffers say now, with the whole snapshot in the mirror, what changed meanwhile
      // (into `held`, through the recorder's emit).
      holdMutations(false);
      const { keep, changed } = sortHeld(held);
      if (!root) return keep;
      // The snapshot's tree and the iframe documents that loaded into it meanwhile (kept events).
      const roots: serializedNodeWithId[] = [root];
      for (const event of keep) {
        if (event.type === EventType.IncrementalSnapshot && event.data.source === IncrementalSource.Mutation) {
          for (const add of event.data.adds) roots.push(add.node);
        }
      }
      // Every parent's children against the page, top down through the tree as it becomes: a node moved
      // during the slices can have been serialised under its old parent and again under its new one; the
      // old parent's list drops it before anything below is visited. Every parent, not only those rrweb's
      // events name: a child that left before its turn was skipped, and one added meanwhile can sit among
      // children rrweb had already listed.
      // Nothing added, moved or removed meanwhile (the usual case on a page that is not busy) but our own
      // UI: every list of children is the page's once that is in place, and the walk (the
      // longest part of `finish` on a large page) is skipped.
      const walk = changed.structure || skipped || !placeOurs(changed.ours);
      const todo = walk ? [...roots] : [];
      for (let next = todo.pop(); next; next = todo.pop()) {
        if (!recordsChildren(next) || fresh.has(next)) continue;
        const node = nodeOf.get(next) ?? mirror.getNode(next.id);
        if (node?.isConnected) reconcileChildren(node, next, changed.subtrees);
        if (node) markShadowHost(node, next);
        for (const child of next.childNodes) todo.push(child);
      }
      // A shadow root attached meanwhile to an element already serialised (a component upgraded during the
      // slices, as Lit and Shoelace do on connect) changes no list of children while it is empty: without
      // rrweb's mark the replay gives the element no shadow root, its adopted stylesheets nowhere to go.
      if (!walk) markShadowHosts(roots, (serialized) => nodeOf.get(serialized) ?? mirror.getNode(serialized.id));
      if (changed.contents.size > 0) {
        const tree = indexTree(roots);
        for (const id of changed.contents) {
          const node = mirror.getNode(id);
          const serialized = node?.isConnected ? tree.get(id) : undefined;
          if (node && serialized && !fresh.has(serialized)) refreshContents(node, serialized);
        }
      }
      fresh = new WeakSet();
      root = undefined;
      return keep;
    },
    cancel() {
      holdMutations(false);
      forget();
    },
  };
}
