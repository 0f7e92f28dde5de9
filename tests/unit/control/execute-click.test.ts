// @vitest-environment happy-dom
/**
 * The isolated world's executor (issue 6): which targets it refuses, what a click fires, and how the
 * clicked element is described for the record (tag and role, never content).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { describeElement, executeClick, executeScroll, refusalFor } from '@/lib/tab/control/execute-click';
import { buildMaskRules } from '@/lib/shared/mask';

const BLOCK = buildMaskRules({ mask: [], block: ['.secret-panel'], unmask: [] }).blockSelector;
const $ = (selector: string) => document.querySelector(selector)!;

/** happy-dom lays nothing out: give an element a box, and make it what is under the pointer. */
function place(element: Element, box = { left: 100, top: 50, width: 80, height: 20 }) {
  element.getBoundingClientRect = () => ({ ...box, x: box.left, y: box.top, right: box.left + box.width, bottom: box.top + box.height, toJSON: () => box }) as DOMRect;
  document.elementFromPoint = () => element;
}

beforeEach(() => {
  document.body.innerHTML = `
    <button id="ok" type="button"><span id="label">Eén erbij</span></button>
    <button id="pay" data-meekijk-no-control>Betalen</button>
    <div data-meekijk-no-control><a id="inner" href="#x">Rekening</a></div>
    <div class="secret-panel"><button id="blocked">Geheim</button></div>
    <div data-meekijk-hidden><button id="hidden">Verborgen</button></div>
    <meekijk-ui id="ui"></meekijk-ui>
    <input id="box" type="checkbox" /><input id="name" value="Jan Jansen" /><div role="tab" id="tab">Tab</div>`;
});

describe('refusalFor', () => {
  it('refuses no-control elements and zones, blocked and hidden parts, our own UI and detached nodes', () => {
    expect(refusalFor($('#ok'), BLOCK)).toBeNull();
    expect(refusalFor($('#label'), BLOCK)).toBeNull();
    expect(refusalFor($('#pay'), BLOCK)).toBe('no-control-zone');
    expect(refusalFor($('#inner'), BLOCK)).toBe('no-control-zone');
    expect(refusalFor($('#blocked'), BLOCK)).toBe('blocked');
    expect(refusalFor($('#hidden'), BLOCK)).toBe('blocked');
    expect(refusalFor($('#ui'), BLOCK)).toBe('own-ui');
    const gone = $('#ok');
    gone.remove();
    expect(refusalFor(gone, BLOCK)).toBe('stale-node');
  });

  it('sees a no-control zone from inside a shadow root', () => {
    const host = document.createElement('div');
    host.setAttribute('data-meekijk-no-control', '');
    document.body.append(host);
    const button = document.createElement('button');
    host.attachShadow({ mode: 'open' }).append(button);
    expect(refusalFor(button, BLOCK)).toBe('no-control-zone');
  });
});

describe('describeElement', () => {
  it('gives the tag and role only', () => {
    expect(describeElement($('#ok'))).toEqual({ tag: 'button', role: 'button' });
    expect(describeElement($('#inner'))).toEqual({ tag: 'a', role: 'link' });
    expect(describeElement($('#box'))).toEqual({ tag: 'input', role: 'checkbox' });
    expect(describeElement($('#name'))).toEqual({ tag: 'input', role: 'textbox' });
    expect(describeElement($('#tab'))).toEqual({ tag: 'div', role: 'tab' });
    const odd = document.createElement('div');
    odd.setAttribute('role', 'Jan Jansen 06-12345678');
    expect(describeElement(odd)).toEqual({ tag: 'div', role: null });
    expect(JSON.stringify(describeElement($('#name')))).not.toContain('Jan');
  });
});

describe('executeClick', () => {
  it('fires pointer and mouse events and the click at the point, and names the operated element', () => {
    const seen: string[] = [];
    const label = $('#label');
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
      $('#ok').addEventListener(type, (e) => seen.push(`${type}@${(e as MouseEvent).clientX},${(e as MouseEvent).clientY}`));
    }
    place($('#ok'));
    document.elementFromPoint = () => label;
    const result = executeClick($('#ok'), 0.25, 0.5, BLOCK);
    expect(result).toEqual({ ok: true, target: { tag: 'button', role: 'button' }, point: { x: 120, y: 60 } });
    expect(seen).toEqual(['pointerdown@120,60', 'mousedown@120,60', 'pointerup@120,60', 'mouseup@120,60', 'click@120,60']);
  });

  it('toggles a checkbox and focuses a field', () => {
    place($('#box'));
    expect(executeClick($('#box'), 0.5, 0.5, BLOCK).ok).toBe(true);
    expect(($('#box') as HTMLInputElement).checked).toBe(true);
    place($('#name'));
    executeClick($('#name'), 0.5, 0.5, BLOCK);
    expect(document.activeElement).toBe($('#name'));
  });

  it('refuses what it may not click and what has no box, and fires nothing then', () => {
    let clicks = 0;
    document.addEventListener('click', () => clicks++, true);
    place($('#pay'));
    expect(executeClick($('#pay'), 0.5, 0.5, BLOCK)).toEqual({ ok: false, reason: 'no-control-zone' });
    $('#ok').getBoundingClientRect = () => ({ left: 0, top: 0, width: 0, height: 0 }) as DOMRect;
    expect(executeClick($('#ok'), 0.5, 0.5, BLOCK)).toEqual({ ok: false, reason: 'not-visible' });
    // Something inside the target, under the pointer, that the site forbids.
    const inner = document.createElement('span');
    inner.setAttribute('data-meekijk-no-control', '');
    $('#ok').append(inner);
    place($('#ok'));
    document.elementFromPoint = () => inner;
    expect(executeClick($('#ok'), 0.5, 0.5, BLOCK)).toEqual({ ok: false, reason: 'no-control-zone' });
    expect(clicks).toBe(0);
  });
});

describe('executeScroll', () => {
  it('scrolls the window when nothing under the pointer scrolls', () => {
    const calls: unknown[] = [];
    window.scrollBy = ((options: ScrollToOptions) => void calls.push(options)) as typeof window.scrollBy;
    document.elementFromPoint = () => $('#ok');
    expect(executeScroll(0.5, 0.5, 0, 300, BLOCK)).toBe(true);
    expect(calls).toEqual([{ left: 0, top: 300, behavior: 'instant' }]);
  });
});
