// @vitest-environment happy-dom
/**
 * The event filter (lib/page/privacy/event-filter.ts) as the last gate: fed events from a naive serializer that
 * masks nothing at all (as if rrweb missed every case), it must still let no sentinel through.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { EventType, IncrementalSource, NodeType, type eventWithTime, type serializedNodeWithId } from '@rrweb/types';
import { createEventFilter } from '@/lib/page/privacy/event-filter';
import { createGate } from '@/lib/page/privacy/gate';
import { MASK, buildMaskRules, createPasswordMemory } from '@/lib/shared/mask';
import { createSecretScrubber } from '@/lib/page/privacy/secrets';

let ids: Map<number, Node>;
let idOf: Map<Node, number>;

function idFor(node: Node): number {
  let id = idOf.get(node);
  if (id === undefined) {
    id = idOf.size + 1;
    idOf.set(node, id);
    ids.set(id, node);
  }
  return id;
}

/** Serialises like rrweb but masks nothing: every value, checked state and text as it is. */
function raw(node: Node): serializedNodeWithId {
  const id = idFor(node);
  if (node.nodeType === 3) return { type: NodeType.Text, textContent: node.textContent ?? '', id };
  if (node.nodeType === 8) return { type: NodeType.Comment, textContent: node.textContent ?? '', id };
  if (node.nodeType === 9) return { type: NodeType.Document, childNodes: [...node.childNodes].map(raw), id };
  const element = node as HTMLElement;
  const attributes: Record<string, string | true> = {};
  for (const attr of element.attributes) attributes[attr.name] = attr.value;
  if ('value' in element && /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName)) attributes.value = String((element as HTMLInputElement).value);
  if ((element as HTMLInputElement).checked) attributes.checked = true;
  if ((element as HTMLOptionElement).selected) attributes.selected = true;
  const children = [...element.childNodes].map(raw);
  if (element.shadowRoot) children.push(...[...element.shadowRoot.childNodes].map((c) => ({ ...raw(c), isShadow: true })));
  return { type: NodeType.Element, tagName: element.localName, attributes, childNodes: children, id };
}

function setup(page = { mask: [] as string[], block: [] as string[], unmask: [] as string[] }) {
  const rules = buildMaskRules(page);
  const secrets = createSecretScrubber();
  return createEventFilter({ rules, passwords: createPasswordMemory(), secrets, gate: createGate(secrets), nodeOf: (id) => ids.get(id) ?? null });
}

const full = (): eventWithTime => ({ type: EventType.FullSnapshot, timestamp: 1, data: { node: raw(document), initialOffset: { top: 0, left: 0 } } });
const mutation = (data: Partial<{ adds: unknown[]; texts: unknown[]; attributes: unknown[]; removes: unknown[] }>): eventWithTime =>
  ({ type: EventType.IncrementalSnapshot, timestamp: 2, data: { source: IncrementalSource.Mutation, adds: [], texts: [], attributes: [], removes: [], ...data } }) as eventWithTime;
const input = (node: Node, text: string, isChecked = false): eventWithTime => ({
  type: EventType.IncrementalSnapshot,
  timestamp: 3,
  data: { source: IncrementalSource.Input, id: idFor(node), text, isChecked },
});
const json = (value: unknown) => JSON.stringify(value);

beforeEach(() => {
  ids = new Map();
  idOf = new Map();
  document.body.innerHTML = '';
});

describe('full snapshots', () => {
  it('masks every kind of value even when the serializer masked nothing', () => {
    document.body.innerHTML = `
      <input id="t" value="S-PREFILLED"><input type="hidden" value="S-HIDDEN"><input type="password" value="S-PASSWORD">
      <textarea id="ta">S-TEXTAREA-DEFAULT</textarea><select id="sel"><option>a</option><option selected value="optie-b">Optie B</option></select>
      <input type="checkbox" id="cb" checked><input type="radio" name="r" checked>
      <div contenteditable="true">S-EDITABLE <b>S-EDITABLE-BOLD</b></div>
      <p data-meekijk-mask title="S-TITLE" data-user="S-DATA">S-MASKED-TEXT</p>
      <div data-meekijk-block id="blk" class="card">S-BLOCKED <input value="S-IN-BLOCK"></div>
      <iframe srcdoc="&lt;input value=S-SRCDOC&gt;"></iframe>
      <!-- S-COMMENT -->`;
    (document.querySelector('#t') as HTMLInputElement).value = 'S-TYPED';
    (document.querySelector('#ta') as HTMLTextAreaElement).value = 'S-TEXTAREA-TYPED';
    const out = json(setup()(full()));
    expect(out.match(/S-[A-Z-]+/g)).toBeNull();
    expect(out).toContain(MASK);
    expect(out).not.toContain('"checked"');
    expect(out).not.toContain('"selected"');
    expect(out).toContain('"rr_width"'); // the block is a placeholder
    expect(out).toContain('Optie B'); // the page's own option labels stay
  });

  it('masks inside shadow roots under a masked host, and blocks them under a blocked host', () => {
    document.body.innerHTML = '<div id="m" data-meekijk-mask></div><div id="b" data-meekijk-block></div><div id="o"></div>';
    document.querySelector('#m')!.attachShadow({ mode: 'open' }).innerHTML = '<span>S-SHADOW-MASKED</span>';
    document.querySelector('#b')!.attachShadow({ mode: 'open' }).innerHTML = '<span>S-SHADOW-BLOCKED</span>';
    document.querySelector('#o')!.attachShadow({ mode: 'open' }).innerHTML = '<input value="S-SHADOW-INPUT">';
    expect(json(setup()(full())).match(/S-[A-Z-]+/g)).toBeNull();
  });

  it('applies site rules', () => {
    document.body.innerHTML = '<p class="klant">S-NAME</p><section id="saldo">S-BALANCE</section><input id="q" value="zichtbaar">';
    const out = json(setup({ mask: ['.klant'], block: ['#saldo'], unmask: ['#q'] })(full()));
    expect(out.match(/S-[A-Z-]+/g)).toBeNull();
    expect(out).toContain('zichtbaar');
  });
});

describe('incremental events', () => {
  it('masks value and checked attribute changes, and drops option selected', () => {
    document.body.innerHTML = '<input id="t"><input id="cb" type="checkbox"><select><option id="o">x</option></select><input type="hidden" id="h">';
    const filter = setup();
    filter(full());
    const [t, cb, o, h] = ['#t', '#cb', '#o', '#h'].map((s) => document.querySelector(s)!) as [Element, Element, Element, Element];
    const out = json(
      filter(
        mutation({
          attributes: [
            { id: idFor(t), attributes: { value: 'S-MIRRORED', 'data-value': 'plain' } },
            { id: idFor(cb), attributes: { checked: '' } },
            { id: idFor(o), attributes: { selected: '' } },
            { id: idFor(h), attributes: { value: 'S-HIDDEN-SET' } },
          ],
        }),
      ),
    );
    expect(out.match(/S-[A-Z-]+/g)).toBeNull();
    expect(out).not.toContain('checked');
    expect(out).not.toContain('selected');
  });

  it('masks input events and never reports a ticked box', () => {
    document.body.innerHTML = '<input id="t"><input id="cb" type="checkbox"><input type="submit" id="s" value="Verstuur">';
    const filter = setup();
    filter(full());
    const typed = filter(input(document.querySelector('#t')!, 'S-TYPED'));
    const ticked = filter(input(document.querySelector('#cb')!, 'on', true));
    const label = filter(input(document.querySelector('#s')!, 'Verstuur'));
    expect(json(typed)).not.toContain('S-TYPED');
    expect(json(ticked)).toContain('"isChecked":false');
    expect(json(label)).toContain('Verstuur');
  });

  it('masks text changes in editable and masked regions, drops textarea text and anything under a block', () => {
    document.body.innerHTML = '<div contenteditable>a</div><p data-meekijk-mask>b</p><textarea>c</textarea><div data-meekijk-block>d</div><p>e</p>';
    const filter = setup();
    filter(full());
    const texts = ['div[contenteditable]', 'p[data-meekijk-mask]', 'textarea', 'div[data-meekijk-block]', 'p:last-child'].map((s) => document.querySelector(s)!.firstChild!);
    const values = ['S-EDIT', 'S-MASK', 'S-TA', 'S-BLOCK', 'openbaar'];
    const out = filter(mutation({ texts: texts.map((node, i) => ({ id: idFor(node), value: values[i] })) }));
    expect(json(out).match(/S-[A-Z-]+/g)).toBeNull();
    expect(json(out)).toContain('openbaar');
  });

  it('masks added nodes, and drops nodes added inside a blocked part', () => {
    document.body.innerHTML = '<div id="blk" data-meekijk-block></div><div id="free"></div>';
    const filter = setup();
    filter(full());
    const blocked = document.createElement('span');
    blocked.textContent = 'S-ADDED-BLOCKED';
    document.querySelector('#blk')!.append(blocked);
    const form = document.createElement('div');
    form.innerHTML = '<input value="S-ADDED-INPUT"><span contenteditable>S-ADDED-EDITABLE</span>';
    document.querySelector('#free')!.append(form);
    const out = filter(
      mutation({
        adds: [
          { parentId: idFor(document.querySelector('#blk')!), nextId: null, node: raw(blocked) },
          { parentId: idFor(document.querySelector('#free')!), nextId: null, node: raw(form) },
        ],
      }),
    );
    expect(json(out).match(/S-[A-Z-]+/g)).toBeNull();
    expect((out?.data as { adds: unknown[] }).adds).toHaveLength(1);
  });

  it('scrubs a typed value wherever the page echoes it, and masks the query string of the page URL', () => {
    document.body.innerHTML = '<input id="mail"><p id="echo">x</p>';
    const filter = setup();
    const meta = filter({ type: EventType.Meta, timestamp: 0, data: { href: 'https://shop.example/zoek?q=S-QUERY&page=2#token=S-FRAGMENT', width: 1, height: 1 } });
    expect(json(meta)).not.toMatch(/S-QUERY|S-FRAGMENT/);
    expect(json(meta)).toContain('https://shop.example/zoek?q=');
    filter(full());
    document.querySelector<HTMLInputElement>('#mail')!.value = 'S-ECHOED@example.nl';
    filter(mutation({ attributes: [{ id: idFor(document.querySelector('#mail')!), attributes: { value: 'S-ECHOED@example.nl' } }] }));
    const echo = filter(
      mutation({
        texts: [{ id: idFor(document.querySelector('#echo')!.firstChild!), value: 'Adres s-echoed@EXAMPLE.nl is onbekend; zoekterm S-QUERY' }],
        attributes: [{ id: idFor(document.querySelector('#echo')!), attributes: { 'aria-label': 'S-ECHOED@example.nl', href: 'https://x/?m=S-ECHOED%40example.nl' } }],
      }),
    );
    expect(json(echo).match(/S-[A-Z]+/gi)).toBeNull();
    expect(json(echo)).toContain('is onbekend');
  });
});

describe('the gate on every channel (issue 18)', () => {
  const typeInto = (filter: ReturnType<typeof setup>, field: Element, value: string) => {
    for (let i = 1; i <= value.length; i++) filter(input(field, value.slice(0, i)));
  };
  const styleRule = (id: number, rule: string): eventWithTime =>
    ({ type: EventType.IncrementalSnapshot, timestamp: 3, data: { source: IncrementalSource.StyleSheetRule, id, adds: [{ rule, index: 0 }] } }) as eventWithTime;

  it('remembers a typed value from the snapshot and scrubs it from styles, rules, adopted sheets, labels and custom hosts', () => {
    document.body.innerHTML = '<input id="t" value="Qwibble Zorptang"><p id="p" style="--x:1">x</p><input type="button" id="b" value="Go"><x-field id="x"></x-field>';
    const filter = setup();
    filter(full());
    const [p, b, x] = ['#p', '#b', '#x'].map((s) => document.querySelector(s)!) as [Element, Element, Element];
    const out = json([
      filter(mutation({ attributes: [{ id: idFor(p), attributes: { style: "--preview:'QWIBBLE ZORPTANG'" } }, { id: idFor(x), attributes: { value: 'anything', 'aria-label': 'qwibble-zorptang' } }] })),
      filter(styleRule(idFor(p), '#p::after { content: "Qwibble  Zorptang" }')),
      filter({ type: EventType.IncrementalSnapshot, timestamp: 3, data: { source: IncrementalSource.AdoptedStyleSheet, id: 1, styleIds: [1], styles: [{ styleId: 1, rules: [{ rule: '.a::before{content:"qwibble zorptang"}' }] }] } } as eventWithTime),
      filter({ type: EventType.IncrementalSnapshot, timestamp: 3, data: { source: IncrementalSource.StyleDeclaration, id: 1, index: [0], set: { property: 'content', value: '"Qwibble.Zorptang"' } } } as eventWithTime),
      filter(input(b, 'Betaal Qwibble Zorptang')),
    ]);
    expect(out).not.toMatch(/qwibble|zorptang/i);
    expect(out).toContain('--preview');
    expect(out).toContain('Betaal');
  });

  it('masks the typed value where a page split it over several nodes of one element', () => {
    document.body.innerHTML = '<input id="t"><p id="preview">Voorbeeld: <span>Glorp</span> <em>Wendax</em> klaar</p><p id="other">Glorp is een woord</p>';
    const filter = setup();
    filter(full());
    typeInto(filter, document.querySelector('#t')!, 'Glorp Wendax');
    const out = json(filter(full()));
    expect(out).not.toMatch(/"textContent":"(Glorp|Wendax)"/);
    expect(out).toContain('Voorbeeld: ');
    expect(out).toContain('klaar');
    expect(out).toContain('Glorp is een woord');
  });

  it('masks personal numbers anywhere by default, leaves ordinary numbers', () => {
    document.body.innerHTML =
      '<p>Kaart 4111 1111 1111 1111</p><p title="NL91 ABNA 0417 1643 00">BSN 111.222.333</p><p>Order 123456789, € 1.299,95, 03-12-2026</p><a href="/pay?card=4111111111111111">x</a>';
    const out = json(setup()(full()));
    expect(out).not.toMatch(/4111|ABNA|111\.222/);
    expect(out).toContain('Order 123456789, € 1.299,95, 03-12-2026');
  });

  it('gives number and date fields a value the viewer can parse', () => {
    document.body.innerHTML = '<input id="n" type="number" value="42"><input id="d" type="date" value="2026-12-03">';
    const filter = setup();
    const out = json([filter(full()), filter(input(document.querySelector('#n')!, '43')), filter(input(document.querySelector('#d')!, '2026-12-04'))]);
    expect(out).not.toMatch(/42|43|2026-12/);
    expect(out).not.toContain(MASK);
  });
});

describe('style attribute changes (rrweb sends the changed properties as an object)', () => {
  it('scrubs typed values inside them', () => {
    document.body.innerHTML = '<input id="t" value="Blorvik Quandel"><p id="p">x</p>';
    const filter = setup();
    filter(full());
    const p = document.querySelector('#p')!;
    const out = json(filter(mutation({ attributes: [{ id: idFor(p), attributes: { style: { '--preview': ["'BLORVIK-QUANDEL'", ''], color: 'red' } } }] })));
    expect(out).not.toMatch(/blorvik|quandel/i);
    expect(out).toContain('red');
  });
});
