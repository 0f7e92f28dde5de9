import { describe, expect, it } from 'vitest';
import { EventPacker, EventUnpacker } from '@/lib/shared/transport/event-pack';

/** A small page as rrweb serialises it: ids in pre-order, as record() assigns them. */
function snapshot(timestamp: number) {
  let id = 0;
  const el = (tagName: string, attributes: Record<string, unknown>, ...childNodes: unknown[]) => ({ type: 2, tagName, attributes, childNodes, id: ++id });
  const text = (textContent: string) => ({ type: 3, textContent, id: ++id });
  const doc = { type: 0, childNodes: [] as unknown[], compatMode: 'CSS1Compat', id: ++id };
  doc.childNodes.push({ type: 1, name: 'html', publicId: '', systemId: '', id: ++id });
  const html = { type: 2, tagName: 'html', attributes: { lang: 'nl' }, childNodes: [] as unknown[], id: ++id };
  doc.childNodes.push(html);
  const head = el('head', {});
  head.childNodes.push(el('style', { _cssText: 'body { margin: 0 }' }));
  const body = { type: 2, tagName: 'body', attributes: {}, childNodes: [] as unknown[], id: ++id };
  body.childNodes.push(text('\n  '));
  body.childNodes.push(el('h1', { id: 'title', class: 'big' }));
  (body.childNodes[1] as { childNodes: unknown[] }).childNodes.push(text('Mijn account'));
  body.childNodes.push({ type: 5, textContent: ' a comment ', id: ++id });
  body.childNodes.push({ type: 2, tagName: 'svg', attributes: { viewBox: '0 0 10 10' }, childNodes: [], isSVG: true, id: ++id });
  body.childNodes.push({ type: 3, textContent: 'a { color: red }', isStyle: true, id: ++id });
  body.childNodes.push({ type: 2, tagName: 'input', attributes: { value: '••••••', type: 'password' }, childNodes: [], id: 500 });
  body.childNodes.push(text('after a jump in ids'));
  html.childNodes.push(head, body);
  return { type: 2, data: { node: doc, initialOffset: { left: 0, top: 120 } }, timestamp };
}

const t0 = 1_790_000_000_000;
const sample = [
  { type: 4, data: { href: 'http://127.0.0.1/shop.html', width: 1280, height: 720 }, timestamp: t0 },
  snapshot(t0 + 3),
  {
    type: 3,
    data: {
      source: 0,
      texts: [{ id: 12, value: 'Bijgewerkt' }],
      attributes: [{ id: 9, attributes: { class: 'open', 'data-probe': '1.3' } }],
      removes: [{ parentId: 9, id: 14 }],
      adds: [
        { parentId: 9, nextId: null, node: { type: 2, tagName: 'li', attributes: {}, childNodes: [], id: 600 } },
        { parentId: 600, nextId: null, node: { type: 3, textContent: 'printer (12)', id: 601 } },
        { parentId: 9, nextId: 600, node: { type: 2, tagName: 'li', attributes: { class: 'x' }, childNodes: [{ type: 3, textContent: 'y', id: 603 }], id: 602 } },
      ],
    },
    timestamp: t0 + 120,
  },
  { type: 3, data: { source: 1, positions: [{ x: 10, y: 20, id: 9, timeOffset: -32 }, { x: 11.5, y: 22, id: 9, timeOffset: 0 }] }, timestamp: t0 + 150 },
  { type: 3, data: { source: 3, id: 1, x: 0, y: 340 }, timestamp: t0 + 170 },
  { type: 3, data: { source: 2, type: 2, id: 40, x: 100, y: 200, pointerType: 0 }, timestamp: t0 + 171 },
  { type: 3, data: { source: 5, text: '••••••', isChecked: false, id: 500 }, timestamp: t0 + 180 },
];

function roundTrip(events: unknown[][]): { packed: unknown[][]; restored: unknown[][] } {
  const packer = new EventPacker();
  const unpacker = new EventUnpacker();
  const packed = events.map((batch) => packer.pack(structuredClone(batch)));
  const restored = JSON.parse(JSON.stringify(packed)).map((batch: unknown[]) => unpacker.unpack(batch));
  return { packed, restored };
}

describe('EventPacker / EventUnpacker', () => {
  it('restores exactly what rrweb emitted, across batches', () => {
    const batches = [sample.slice(0, 2), sample.slice(2, 4), sample.slice(4)];
    expect(roundTrip(batches).restored).toEqual(batches);
  });

  it('leaves out sequential ids, keys and absolute timestamps', () => {
    const { packed } = roundTrip([sample]);
    const json = JSON.stringify(packed);
    expect(json.length).toBeLessThan(JSON.stringify(sample).length * 0.6);
    expect(json).not.toContain('"tagName"');
    expect(json).not.toContain('"timeOffset"');
    expect(json).not.toContain(String(t0 + 120));
    // The snapshot's elements are arrays; a text node with the next id is just its text.
    expect(json).toContain('["h1",{"id":"title","class":"big"},["Mijn account"]]');
    // An id that breaks the sequence is kept.
    expect(json).toContain('"i":500');
  });

  it('passes through, untouched, whatever it does not know the shape of', () => {
    const odd = [
      { type: 3, data: { source: 1, positions: [{ x: 1, y: 2, id: 3, timeOffset: 0, extra: true }] }, timestamp: t0 },
      { type: 3, data: { source: 1, p: [1, 2, 3, 4] }, timestamp: t0 + 1 },
      { type: 2, data: { node: null }, timestamp: t0 + 2 },
      { type: 2, data: { node: { type: 2, tagName: 'div', attributes: {}, childNodes: 'nope', id: 1 } }, timestamp: t0 + 3 },
      { type: 2, data: { node: { type: 2, tagName: 'div', attributes: {}, childNodes: [{ $raw: 1, type: 3, id: 2 }], id: 1 } }, timestamp: t0 + 4 },
      { type: 5, data: { tag: 'x', payload: {} }, timestamp: 1.5 },
      { type: 3, data: { source: 0, adds: [{ parentId: 1, nextId: null, node: 'not a node' }] }, timestamp: t0 + 5 },
      { something: 'else' },
      'a string',
      { type: 3, data: { source: 0, texts: [], attributes: [], removes: [], adds: [] }, timestamp: t0 + 6, delay: 3 },
    ];
    expect(roundTrip([odd]).restored).toEqual([odd]);
  });

  it('keeps both ends in step after a reset', () => {
    const packer = new EventPacker();
    const unpacker = new EventUnpacker();
    const first = JSON.parse(JSON.stringify(packer.pack(sample)));
    expect(unpacker.unpack(first)).toEqual(sample);
    packer.reset();
    unpacker.reset();
    const again = JSON.parse(JSON.stringify(packer.pack(sample.slice(1, 3))));
    expect(unpacker.unpack(again)).toEqual(sample.slice(1, 3));
  });

  it('refuses malformed packed input with a PackError, never a crash', () => {
    const bad: unknown[] = [
      'not an array',
      [[3]],
      [[3, 'x', {}]],
      [[2, 0, { node: 42 }]],
      [[2, 0, { node: [5] }]],
      [[2, 0, { node: ['div', 'attrs'] }]],
      [[2, 0, { node: ['div', 0, 'kids'] }]],
      [[2, 0, { node: ['div', 0, 0, { i: 'x' }] }]],
      [[2, 0, { node: { type: 0, childNodes: 'x' } }]],
      [[3, 0, { source: 1, p: [1, 2, 3] }]],
      [[3, 0, { source: 1, p: [1, 2, 3, 'x'] }]],
      [[3, Number.MAX_SAFE_INTEGER, {}], [3, Number.MAX_SAFE_INTEGER, {}]],
    ];
    for (const input of bad) {
      expect(() => new EventUnpacker().unpack(input), JSON.stringify(input)).toThrow(/packed/);
    }
  });
});
