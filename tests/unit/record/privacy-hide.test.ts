// @vitest-environment happy-dom
/**
 * The customer's "hide this" state and the outline's targets (lib/tab/hide-*.ts, lib/tab/outline-targets.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { buildMaskRules, createPasswordMemory, HIDDEN_ATTRIBUTE } from '@/lib/shared/mask';
import { selectorFor } from '@/lib/tab/hide-selector';
import { createHideState } from '@/lib/tab/hide-state';
import { findTargets } from '@/lib/tab/outline-targets';

const tick = () => new Promise((r) => setTimeout(r, 0));
const $ = (s: string) => document.querySelector(s)!;

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('selectorFor', () => {
  it('uses a unique id, else a path from the nearest unique id, and finds the element again', () => {
    document.body.innerHTML = '<main id="app"><div><p>a</p><p class="x">b</p></div><div id="dup"></div><div id="dup"></div></main>';
    expect(selectorFor($('#app'))).toBe('#app');
    const second = document.querySelectorAll('p')[1]!;
    const selector = selectorFor(second)!;
    expect(selector).toBe('#app > div:nth-of-type(1) > p:nth-of-type(2)');
    expect(document.querySelector(selector)).toBe(second);
    const dup = document.querySelectorAll('#dup')[1]!;
    expect(document.querySelector(selectorFor(dup)!)).toBe(dup);
  });

  it('gives none for an element in a shadow root (the mark on the element covers it)', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<span>x</span>';
    expect(selectorFor(root.querySelector('span')!)).toBeNull();
  });
});

describe('hide state', () => {
  it('marks what the customer hid, reports the selectors, and unmarks on unhide', () => {
    document.body.innerHTML = '<section id="notes"><p id="t">x</p></section>';
    const reported: string[][] = [];
    const state = createHideState({ onChange: (s) => reported.push(s) });
    state.hide($('#notes'));
    expect($('#notes').hasAttribute(HIDDEN_ATTRIBUTE)).toBe(true);
    expect(reported.at(-1)).toEqual(['#notes']);
    expect(state.hiddenPartOf($('#t'))).toBe($('#notes'));
    state.hide($('#t')); // already inside a hidden part
    expect(state.count).toBe(1);
    state.unhide($('#t'));
    expect($('#notes').hasAttribute(HIDDEN_ATTRIBUTE)).toBe(false);
    expect(reported.at(-1)).toEqual([]);
  });

  it('puts the mark back when a page script removes it, and carries it to a re-rendered copy', async () => {
    document.body.innerHTML = '<section id="notes">x</section>';
    const reported: string[][] = [];
    const state = createHideState({ onChange: (s) => reported.push(s) });
    state.hide($('#notes'));
    $('#notes').removeAttribute(HIDDEN_ATTRIBUTE);
    await tick();
    expect($('#notes').hasAttribute(HIDDEN_ATTRIBUTE)).toBe(true);
    const copy = document.createElement('section');
    copy.id = 'notes';
    $('#notes').replaceWith(copy);
    await tick();
    expect(copy.hasAttribute(HIDDEN_ATTRIBUTE)).toBe(true);
    expect(state.hiddenPartOf(copy)).toBe(copy);
    state.stop();
    expect(copy.hasAttribute(HIDDEN_ATTRIBUTE)).toBe(false);
  });
});

describe('outline targets', () => {
  it('finds masked fields and text, site-blocked and customer-hidden parts, and leaves out what the technician sees', () => {
    document.body.innerHTML = `
      <input id="name"><input type="submit" value="Go"><input id="search" data-meekijk-unmask><textarea id="ta"></textarea>
      <p data-meekijk-mask id="m"><b>inner</b></p><div contenteditable id="ce"></div>
      <div data-meekijk-block id="b"><input id="in-block"></div><div data-meekijk-hidden id="h"></div>
      <meekijk-ui><input id="ours"></meekijk-ui><p id="plain">x</p>`;
    const targets = findTargets(document, { rules: buildMaskRules(), passwords: createPasswordMemory(), isHidden: () => false });
    const byKind = (kind: string) => targets.filter((t) => t.kind === kind).map((t) => t.element.id).sort();
    expect(byKind('masked')).toEqual(['ce', 'm', 'name', 'ta']);
    expect(byKind('blocked')).toEqual(['b']);
    expect(byKind('hidden')).toEqual(['h']);
  });
});
