/**
 * The snapshot's tree next to the page, for lib/page/record/sliced-snapshot.ts: which serialised nodes
 * hold children, how the page lists a node's children, and whether the tree lists them the same.
 */
import { NodeType, type serializedNodeWithId } from '@rrweb/types';

export type SerializedParent = serializedNodeWithId & { childNodes: serializedNodeWithId[] };

/** What the slices need of rrweb's mirror (`record.mirror`). */
export interface MirrorView {
  /** -1: never serialised; -2: left out on purpose (slimDOM, whitespace). */
  getId(node: Node | null | undefined): number;
  getNode(id: number): Node | null;
  add(node: Node, serialized: serializedNodeWithId): void;
}

export const NOT_SERIALISED = -1;
export const LEFT_OUT = -2;
export const NO_IDS: ReadonlySet<number> = new Set();

export const hasChildren = (serialized: serializedNodeWithId): serialized is SerializedParent =>
  serialized.type === NodeType.Document || serialized.type === NodeType.Element;

/**
 * Whether rrweb records this node's children: not for a blocked element (a placeholder with its size)
 * nor for a textarea whose text is its value.
 */
export const recordsChildren = (serialized: serializedNodeWithId): serialized is SerializedParent => {
  if (serialized.type === NodeType.Document) return true;
  if (serialized.type !== NodeType.Element) return false;
  if (serialized.attributes.rr_width !== undefined) return false;
  return !(serialized.tagName === 'textarea' && serialized.attributes.value !== undefined);
};

/** The element, document or iframe document itself, for a shadow root its host. */
export const ownerOf = (container: Node): Node => (container.nodeType === 11 && (container as ShadowRoot).host ? (container as ShadowRoot).host : container);

/** The node's children in the page, as rrweb lists them: light children, then a shadow root's. */
export const liveChildren = (node: Node): Node[] => {
  const children = Array.from(node.childNodes);
  const shadow = node.nodeType === 1 ? (node as Element).shadowRoot : null;
  return shadow ? children.concat(Array.from(shadow.childNodes)) : children;
};

/** Whether the tree lists the node's children as the page has them (none of them to be renewed). */
export const sameChildren = (mirror: Pick<MirrorView, 'getId'>, live: Node[], parent: SerializedParent, renew: ReadonlySet<number>): boolean => {
  let index = 0;
  for (const child of live) {
    const id = mirror.getId(child);
    if (id === LEFT_OUT) continue;
    if (parent.childNodes[index]?.id !== id || renew.has(id)) return false;
    index++;
  }
  return index === parent.childNodes.length;
};

/** Every node of the trees under `roots`, by id. */
export const indexTree = (roots: serializedNodeWithId[]): Map<number, serializedNodeWithId> => {
  const byId = new Map<number, serializedNodeWithId>();
  const todo = [...roots];
  for (let next = todo.pop(); next; next = todo.pop()) {
    byId.set(next.id, next);
    if (hasChildren(next)) for (const child of next.childNodes) todo.push(child);
  }
  return byId;
};

/** rrweb's `isShadowHost` as the page has it now (rrweb's replay builds a shadow root only where it is set). */
export const markShadowHost = (node: Node, serialized: serializedNodeWithId): void => {
  if (serialized.type !== NodeType.Element) return;
  if (node.nodeType === 1 && (node as Element).shadowRoot) serialized.isShadowHost = true;
  else delete serialized.isShadowHost;
};

/** `markShadowHost` for every node of the trees under `roots` whose children rrweb records. */
export const markShadowHosts = (roots: serializedNodeWithId[], nodeOf: (serialized: serializedNodeWithId) => Node | null | undefined): void => {
  const todo = [...roots];
  for (let next = todo.pop(); next; next = todo.pop()) {
    if (!recordsChildren(next)) continue;
    const node = nodeOf(next);
    if (node) markShadowHost(node, next);
    for (const child of next.childNodes) todo.push(child);
  }
};
