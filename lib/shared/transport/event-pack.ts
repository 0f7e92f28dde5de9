/**
 * A compact, lossless JSON form of rrweb events for the wire (`unpack(pack(x))` deep-equals `x`).
 *
 * rrweb's JSON spells out every node as `{"type":2,"tagName":"li","attributes":{…},"childNodes":[…],"id":812}`
 * and every cursor position as `{"x":…,"y":…,"id":…,"timeOffset":…}`. Deflate shrinks the repeated keys but
 * not the ids and timestamps, which differ every time. Packed:
 *
 * - an event is `[type, timestamp - previous timestamp, data]`;
 * - an element node is `[tagName, attributes | 0, children | 0, extras?]`, a plain text node is its text, and
 *   a node's id is left out when it is the previous node's id + 1, which rrweb's pre-order numbering makes
 *   true for nearly every node of a snapshot or an added subtree;
 * - cursor positions are one flat array `[x, y, id, timeOffset, x, y, …]`.
 *
 * Anything of another shape is passed through untouched, so the packer never has to understand all of
 * rrweb's types to be correct. The previous timestamp and node id are state shared by both ends for the
 * life of one deflate stream; both reset when a new stream starts.
 *
 * What it saves on the wire: docs/performance.md.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const POINTER_SOURCES = new Set([1, 6, 12]); // MouseMove, TouchMove, Drag
const ELEMENT = 2;
const TEXT = 3;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: Json): v is number => Number.isSafeInteger(v);
const hasOnly = (o: JsonObject, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));

export class PackError extends Error {
  override name = 'PackError';
}

/** State both ends keep in step: the previous event's timestamp and the previous node id. */
interface Sequence {
  timestamp: number;
  id: number;
}

export class EventPacker {
  #seq: Sequence = { timestamp: 0, id: 0 };

  reset() {
    this.#seq = { timestamp: 0, id: 0 };
  }

  pack(events: Json[]): Json[] {
    return events.map((event) => this.#event(event));
  }

  #event(event: Json): Json {
    if (!isObject(event) || !hasOnly(event, ['type', 'data', 'timestamp'])) return this.#passThrough(event);
    const { type, data, timestamp } = event;
    if (!isInt(type) || !isInt(timestamp) || !isObject(data)) return this.#passThrough(event);
    if (!packable(type, data)) return this.#passThrough(event);
    const delta = timestamp - this.#seq.timestamp;
    this.#seq.timestamp = timestamp;
    return [type, delta, this.#data(type, data)];
  }

  /** An event we do not pack still sets the clock, exactly as the unpacker will see it. */
  #passThrough(event: Json): Json {
    if (isObject(event) && isInt(event.timestamp)) this.#seq.timestamp = event.timestamp;
    return event;
  }

  #data(type: number, data: JsonObject): Json {
    if (type === FULL_SNAPSHOT) return { ...data, node: this.#node(data.node as JsonObject) };
    if (type !== INCREMENTAL) return data;
    if (data.source === MUTATION && Array.isArray(data.adds)) {
      return { ...data, adds: data.adds.map((add) => (isObject(add) && 'node' in add ? { ...add, node: this.#node(add.node as JsonObject) } : add)) };
    }
    if (POINTER_SOURCES.has(data.source as number) && Array.isArray(data.positions)) {
      const flat: number[] = [];
      for (const p of data.positions as JsonObject[]) flat.push(p.x as number, p.y as number, p.id as number, p.timeOffset as number);
      return { source: data.source, p: flat };
    }
    return data;
  }

  #node(node: JsonObject): Json {
    const { type, id } = node;
    if (!isInt(type) || !isInt(id) || '$raw' in node || ('childNodes' in node && !Array.isArray(node.childNodes))) return { $raw: node };
    const sequential = id === this.#seq.id + 1;
    this.#seq.id = id;
    const children = Array.isArray(node.childNodes) ? node.childNodes.map((c) => (isObject(c) ? this.#node(c) : { $raw: c })) : undefined;
    if (type === TEXT && hasOnly(node, ['type', 'textContent', 'id']) && typeof node.textContent === 'string' && sequential) return node.textContent;
    if (
      type === ELEMENT &&
      typeof node.tagName === 'string' &&
      isObject(node.attributes) &&
      children &&
      hasOnly(node, ['type', 'tagName', 'attributes', 'childNodes', 'id', 'isSVG', 'needBlock', 'isCustom'])
    ) {
      const extras: JsonObject = {};
      if (!sequential) extras.i = id;
      if ('isSVG' in node) extras.s = node.isSVG;
      if ('needBlock' in node) extras.b = node.needBlock;
      if ('isCustom' in node) extras.c = node.isCustom;
      const packed: Json[] = [node.tagName, Object.keys(node.attributes).length > 0 ? node.attributes : 0, children.length > 0 ? children : 0];
      if (Object.keys(extras).length > 0) packed.push(extras);
      else while (packed.length > 1 && packed[packed.length - 1] === 0) packed.pop();
      return packed;
    }
    // Another kind of node: keep every key; only the id (when sequential) and the children are packed.
    const generic: JsonObject = { ...node };
    if (sequential) delete generic.id;
    if (children) generic.childNodes = children;
    return generic;
  }
}

/**
 * Whether the unpacker will read this event's data back exactly as it is: the data it unpacks (a snapshot
 * node, added nodes, cursor positions) must have the shape the packer writes, or the event goes as it is.
 */
function packable(type: number, data: JsonObject): boolean {
  if (type === FULL_SNAPSHOT) return isObject(data.node);
  if (type !== INCREMENTAL) return true;
  if (data.source === MUTATION && Array.isArray(data.adds)) return data.adds.every((add) => !isObject(add) || !('node' in add) || isObject(add.node));
  if (POINTER_SOURCES.has(data.source as number) && 'p' in data) return false;
  if (POINTER_SOURCES.has(data.source as number) && Array.isArray(data.positions)) {
    return (
      hasOnly(data, ['source', 'positions']) &&
      data.positions.every((p) => isObject(p) && hasOnly(p, ['x', 'y', 'id', 'timeOffset']) && [p.x, p.y, p.id, p.timeOffset].every((n) => typeof n === 'number'))
    );
  }
  return true;
}

export class EventUnpacker {
  #seq: Sequence = { timestamp: 0, id: 0 };

  reset() {
    this.#seq = { timestamp: 0, id: 0 };
  }

  /** Throws PackError on anything that is not a packed form (the input is untrusted). */
  unpack(events: Json): Json[] {
    if (!Array.isArray(events)) throw new PackError('packed events are not an array');
    return events.map((event) => this.#event(event));
  }

  #event(event: Json): Json {
    if (!Array.isArray(event)) {
      if (isObject(event) && isInt(event.timestamp)) this.#seq.timestamp = event.timestamp;
      return event;
    }
    const [type, delta, data] = event;
    if (event.length !== 3 || !isInt(type) || !isInt(delta) || !isObject(data)) throw new PackError('malformed packed event');
    const timestamp = this.#seq.timestamp + delta;
    if (!isInt(timestamp)) throw new PackError('packed timestamp out of range');
    this.#seq.timestamp = timestamp;
    return { type, data: this.#data(type, data), timestamp };
  }

  #data(type: number, data: JsonObject): JsonObject {
    if (type === FULL_SNAPSHOT && 'node' in data) return { ...data, node: this.#node(data.node) };
    if (type !== INCREMENTAL) return data;
    if (data.source === MUTATION && Array.isArray(data.adds)) {
      return { ...data, adds: data.adds.map((add) => (isObject(add) && 'node' in add ? { ...add, node: this.#node(add.node) } : add)) };
    }
    if (POINTER_SOURCES.has(data.source as number) && Array.isArray(data.p) && hasOnly(data, ['source', 'p'])) {
      const flat = data.p;
      if (flat.length % 4 !== 0 || !flat.every((n) => typeof n === 'number')) throw new PackError('malformed packed positions');
      const positions: JsonObject[] = [];
      for (let i = 0; i < flat.length; i += 4) positions.push({ x: flat[i], y: flat[i + 1], id: flat[i + 2], timeOffset: flat[i + 3] });
      return { source: data.source, positions };
    }
    return data;
  }

  #node(packed: Json): Json {
    if (isObject(packed) && '$raw' in packed) return packed.$raw;
    if (typeof packed === 'string') return { type: TEXT, textContent: packed, id: this.#next() };
    if (Array.isArray(packed)) {
      const [tagName, attributes, children, extras] = packed;
      if (typeof tagName !== 'string' || packed.length > 4) throw new PackError('malformed packed element');
      if (attributes !== undefined && attributes !== 0 && !isObject(attributes)) throw new PackError('malformed packed attributes');
      if (children !== undefined && children !== 0 && !Array.isArray(children)) throw new PackError('malformed packed children');
      if (extras !== undefined && !isObject(extras)) throw new PackError('malformed packed element extras');
      const id = extras && 'i' in extras ? this.#explicit(extras.i) : this.#next();
      const node: JsonObject = {
        type: ELEMENT,
        tagName,
        attributes: isObject(attributes) ? attributes : {},
        childNodes: Array.isArray(children) ? children.map((c) => this.#node(c)) : [],
        id,
      };
      if (extras && 's' in extras) node.isSVG = extras.s;
      if (extras && 'b' in extras) node.needBlock = extras.b;
      if (extras && 'c' in extras) node.isCustom = extras.c;
      return node;
    }
    if (!isObject(packed)) throw new PackError('malformed packed node');
    const id = 'id' in packed ? this.#explicit(packed.id) : this.#next();
    const node: JsonObject = { ...packed, id };
    if ('childNodes' in packed) {
      if (!Array.isArray(packed.childNodes)) throw new PackError('malformed packed children');
      node.childNodes = packed.childNodes.map((c) => this.#node(c));
    }
    return node;
  }

  #next(): number {
    return ++this.#seq.id;
  }

  #explicit(id: Json): number {
    if (!isInt(id)) throw new PackError('malformed packed node id');
    this.#seq.id = id;
    return id;
  }
}
