/**
 * What rrweb emitted while a snapshot was taken in slices (lib/page/record/sliced-snapshot.ts): DOM and
 * stylesheet-rule changes are not sent but say which nodes to serialise again; everything else goes after
 * the snapshot, in order.
 */
import { UI_TAG } from '@/lib/shared/mask';
import { EventType, IncrementalSource, NodeType, type eventWithTime, type mutationData, type serializedNodeWithId } from '@rrweb/types';

/** What the held DOM events say changed, by rrweb id. */
export interface Changed {
  /** Text or attributes (a stylesheet's rules are its `_cssText`): serialised again. */
  contents: Set<number>;
  /**
   * Added or moved: the whole subtree serialised again. rrweb leaves out a change inside a node added in
   * the same batch (the addition carries it), so an old copy of such a subtree cannot be patched.
   */
  subtrees: Set<number>;
  /** Whether any node was added, moved or removed at all, other than the additions in `ours`. */
  structure: boolean;
  /**
   * Additions of Meekijk's own UI hosts (`<meekijk-ui>`, the indicator and the outlines, which the tab
   * draws while the snapshot is taken): empty leaves the recorder blocks, put in place directly.
   */
  ours: mutationData['adds'];
}

/** Meekijk's own UI host, as rrweb serialised it when it was added: an element with nothing recorded inside. */
const isOwnLeaf = (node: serializedNodeWithId): boolean =>
  node.type === NodeType.Element && node.tagName === UI_TAG && node.childNodes.length === 0;

/**
 * Sorts held events: DOM changes and stylesheet rule changes of a `<style>` or `<link>` are not sent; what
 * they changed is returned, to be serialised again. Everything else is kept, in order.
 */
export function sortHeld(held: eventWithTime[]): { keep: eventWithTime[]; changed: Changed } {
  const changed: Changed = { contents: new Set(), subtrees: new Set(), structure: false, ours: [] };
  const keep: eventWithTime[] = [];
  for (const event of held) {
    if (event.type !== EventType.IncrementalSnapshot) {
      keep.push(event);
      continue;
    }
    const data = event.data;
    if (data.source === IncrementalSource.Mutation && !data.isAttachIframe) {
      const mutation: mutationData = data;
      for (const text of mutation.texts) changed.contents.add(text.id);
      for (const attribute of mutation.attributes) changed.contents.add(attribute.id);
      for (const add of mutation.adds) {
        changed.subtrees.add(add.node.id);
        if (isOwnLeaf(add.node)) changed.ours.push(add);
        else changed.structure = true;
      }
      if (mutation.removes.length > 0) changed.structure = true;
    } else if ((data.source === IncrementalSource.StyleSheetRule || data.source === IncrementalSource.StyleDeclaration) && data.id !== undefined) {
      changed.contents.add(data.id);
    } else {
      keep.push(event);
    }
  }
  return { keep, changed };
}
