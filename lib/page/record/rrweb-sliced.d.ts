/**
 * The three exports scripts/rrweb-sliced-snapshot.ts adds to rrweb's bundle at build time (the extension's
 * build and the unit tests both apply it). lib/page/record/sliced-snapshot.ts is their only user.
 */
import type { serializedNodeWithId } from '@rrweb/types';

declare module 'rrweb' {
  /** What rrweb hands over, instead of serialising a parent's children at once, while a slicer is set. */
  export interface SnapshotSlicerHook {
    defer(container: Node, parent: serializedNodeWithId & { childNodes: serializedNodeWithId[] }, children: Node[], options: object): void;
  }
  export function __meekijkSetSlicer(slicer: SnapshotSlicerHook | null): void;
  /** Holds rrweb's mutation buffers (they collect, not emit); `false` releases them, each emitting at once. */
  export function __meekijkHoldMutations(hold: boolean): void;
  /** rrweb's own serialiser, with the options rrweb passed to `defer`. */
  export function __meekijkSerializeNodeWithId(node: Node, options: object): serializedNodeWithId | null;
}
