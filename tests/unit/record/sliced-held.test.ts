/**
 * What the recorder does with the events rrweb emitted while a snapshot was taken in slices
 * (lib/page/record/sliced-held.ts, `sortHeld`): DOM and stylesheet-rule changes become nodes to serialise
 * again; everything else goes after the snapshot, in order.
 */
import { describe, expect, it } from 'vitest';
import { EventType, IncrementalSource, NodeType, type eventWithTime } from '@rrweb/types';
import { sortHeld } from '@/lib/page/record/sliced-held';

const at = (data: unknown, type: EventType = EventType.IncrementalSnapshot): eventWithTime => ({ type, data, timestamp: 1 }) as eventWithTime;
const element = (id: number) => ({ type: NodeType.Element, tagName: 'div', attributes: {}, childNodes: [], id });

describe('sortHeld', () => {
  it('keeps state events in order and turns DOM changes into nodes to serialise again', () => {
    const meta = at({ href: 'https://example.test/', width: 1, height: 1 }, EventType.Meta);
    const full = at({ node: { type: NodeType.Document, childNodes: [], id: 1 }, initialOffset: { left: 0, top: 0 } }, EventType.FullSnapshot);
    const input = at({ source: IncrementalSource.Input, id: 7, text: '***', isChecked: false });
    const scroll = at({ source: IncrementalSource.Scroll, id: 1, x: 0, y: 40 });
    const mutation = at({
      source: IncrementalSource.Mutation,
      texts: [{ id: 11, value: 'x' }],
      attributes: [{ id: 12, attributes: { class: 'a' } }],
      removes: [{ parentId: 3, id: 13 }],
      adds: [{ parentId: 3, nextId: null, node: element(14) }],
    });
    const rule = at({ source: IncrementalSource.StyleSheetRule, id: 9, adds: [{ rule: 'p{}', index: 0 }] });
    const declaration = at({ source: IncrementalSource.StyleDeclaration, id: 10, index: [0], set: { property: 'color', value: 'red' } });
    const constructedSheet = at({ source: IncrementalSource.StyleSheetRule, styleId: 2, adds: [{ rule: 'p{}', index: 0 }] });
    const { keep, changed } = sortHeld([meta, full, input, mutation, rule, scroll, declaration, constructedSheet]);
    expect(keep).toEqual([meta, full, input, scroll, constructedSheet]);
    expect([...changed.contents].sort((a, b) => a - b)).toEqual([9, 10, 11, 12]);
    expect([...changed.subtrees]).toEqual([14]);
    expect(changed.structure).toBe(true);
  });

  it('says whether the tree changed at all: not for text and attributes only', () => {
    const contentOnly = at({ source: IncrementalSource.Mutation, texts: [{ id: 11, value: 'x' }], attributes: [], removes: [], adds: [] });
    const removal = at({ source: IncrementalSource.Mutation, texts: [], attributes: [], removes: [{ parentId: 3, id: 13 }], adds: [] });
    expect(sortHeld([contentOnly]).changed.structure).toBe(false);
    expect(sortHeld([contentOnly, removal]).changed.structure).toBe(true);
  });

  it('keeps an iframe document that loaded meanwhile: it is not in the snapshot', () => {
    const attach = at({ source: IncrementalSource.Mutation, isAttachIframe: true, texts: [], attributes: [], removes: [], adds: [{ parentId: 5, nextId: null, node: { type: NodeType.Document, childNodes: [], id: 20 } }] });
    expect(sortHeld([attach]).keep).toEqual([attach]);
  });
  it("sets our own UI hosts apart: an empty <meekijk-ui> added is not a change to the page's tree", () => {
    const ui = { type: NodeType.Element, tagName: 'meekijk-ui', attributes: { rr_width: '0px', rr_height: '0px' }, childNodes: [], id: 30 };
    const ours = { parentId: 4, nextId: null, node: ui };
    const indicator = at({ source: IncrementalSource.Mutation, texts: [], attributes: [], removes: [], adds: [ours] });
    expect(sortHeld([indicator]).changed).toMatchObject({ structure: false, ours: [ours] });
    // With anything inside it, or any other addition, the tree is walked as for any change.
    const filled = at({ source: IncrementalSource.Mutation, texts: [], attributes: [], removes: [], adds: [{ parentId: 4, nextId: null, node: { ...ui, childNodes: [element(31)] } }] });
    expect(sortHeld([filled]).changed.structure).toBe(true);
    const alongside = at({ source: IncrementalSource.Mutation, texts: [], attributes: [], removes: [], adds: [ours, { parentId: 4, nextId: null, node: element(32) }] });
    expect(sortHeld([alongside]).changed.structure).toBe(true);
  });
});
