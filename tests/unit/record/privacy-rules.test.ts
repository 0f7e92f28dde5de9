// @vitest-environment happy-dom
/**
 * The masking rules (lib/shared/mask.ts) one by one: what is masked by default, what a site can add, and
 * what no setting can reveal (issue 5: "Defaults, not options").
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  MASK,
  buildMaskRules,
  createPasswordMemory,
  isSensitiveField,
  isTextAttribute,
  isTypedValue,
  maskText,
  maskValue,
  mayReveal,
} from '@/lib/shared/mask';
import { composedClosest } from '@/lib/shared/dom';

const html = (markup: string) => {
  document.body.innerHTML = markup;
};
const el = <T extends Element = HTMLInputElement>(selector: string): T => {
  const found = document.querySelector(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found as unknown as T;
};

beforeEach(() => html(''));

describe('defaults', () => {
  const rules = buildMaskRules();

  it('masks every field type, hidden and file included, with one constant that hides the length', () => {
    const types = ['text', 'email', 'tel', 'number', 'search', 'url', 'date', 'color', 'range', 'hidden', 'password', 'month', 'week', 'time', 'datetime-local', 'file', 'nonsense'];
    html(types.map((t) => `<input type="${t}" id="f-${t}">`).join('') + '<textarea id="ta"></textarea><select id="sel"><option>a</option></select>');
    const passwords = createPasswordMemory();
    for (const field of document.querySelectorAll('input, textarea, select')) {
      // Number, date, time and range fields get the empty value, colour fields black: the mask text would
      // not parse in the viewer (an error in its console). The same for every value, so nothing shows.
      const expected = field.id === 'f-color' ? '#000000' : /^f-(number|range|date|datetime-local|month|week|time)$/.test(field.id) ? '' : MASK;
      for (const value of ['', 'x', 'SENTINEL-1', 'p'.repeat(10_000)]) expect(maskValue(value, field, rules, passwords), field.id).toBe(expected);
    }
    expect(MASK).toMatch(/^•+$/);
  });

  it('leaves the labels of button-like inputs: page text, not something typed', () => {
    html('<input type="submit" value="Verstuur"><input type="button" value="Annuleer"><input type="reset" value="Leeg">');
    for (const button of document.querySelectorAll('input')) expect(maskValue(button.value, button, rules, createPasswordMemory())).toBe(button.value);
  });

  it('masks text but keeps whitespace-only text for the layout', () => {
    expect(maskText('IBAN NL91 ABNA 0417 1643 00')).toBe(MASK);
    expect(maskText('a')).toBe(maskText('a'.repeat(500)));
    for (const blank of ['', ' ', '\n\t ']) expect(maskText(blank)).toBe(blank);
  });

  it('blocks data-meekijk-block, parts the customer hid, and our own UI; masks data-meekijk-mask and contenteditable', () => {
    html(`<div id="b" data-meekijk-block></div><div id="h" data-meekijk-hidden></div><meekijk-ui id="u"></meekijk-ui>
      <p id="m" data-meekijk-mask>x</p><div id="ce" contenteditable="true"><b id="ce-child">y</b></div>
      <div id="cf" contenteditable="false">z</div><p id="plain">w</p>`);
    for (const id of ['b', 'h', 'u']) expect(el(`#${id}`).matches(rules.blockSelector), id).toBe(true);
    for (const id of ['m', 'ce']) expect(el(`#${id}`).matches(rules.maskTextSelector), id).toBe(true);
    expect(el('#ce-child').closest(rules.maskTextSelector)).not.toBeNull();
    for (const id of ['cf', 'plain']) {
      expect(el(`#${id}`).matches(rules.maskTextSelector), id).toBe(false);
      expect(el(`#${id}`).matches(rules.blockSelector), id).toBe(false);
    }
  });

  it('treats text-bearing attributes as text (title, alt, aria-label, data-*) but not structure', () => {
    for (const name of ['title', 'alt', 'placeholder', 'aria-label', 'aria-valuetext', 'data-value', 'DATA-User']) expect(isTextAttribute(name), name).toBe(true);
    for (const name of ['class', 'id', 'style', 'href', 'src', 'data-meekijk-mask', 'data-rr-is-password', 'rr_width']) expect(isTextAttribute(name), name).toBe(false);
  });
});

describe('site rules', () => {
  it('add masked and blocked selectors to the defaults', () => {
    const rules = buildMaskRules({ mask: ['.naam'], block: ['#iban'], unmask: [] });
    html('<p class="naam">Jan</p><div id="iban">NL91</div><div data-meekijk-block></div>');
    expect(el('.naam').matches(rules.maskTextSelector)).toBe(true);
    expect(el('#iban').matches(rules.blockSelector)).toBe(true);
    expect(el('[data-meekijk-block]').matches(rules.blockSelector)).toBe(true);
  });

  it('skip selectors the browser rejects and report them, instead of breaking the recording', () => {
    const rejected: string[] = [];
    const isValid = (selector: string) => {
      try {
        document.createDocumentFragment().querySelector(selector);
        return true;
      } catch {
        return false;
      }
    };
    const rules = buildMaskRules({ mask: ['p[', '.ok'], block: ['###'], unmask: [] }, isValid, (s) => rejected.push(s));
    expect(rejected.sort()).toEqual(['###', 'p[']);
    html('<p class="ok">x</p>');
    expect(el('.ok').matches(rules.maskTextSelector)).toBe(true);
    expect(() => document.body.matches(rules.blockSelector)).not.toThrow();
  });
});

describe('unmask: a site may reveal ordinary fields, never a password or a sensitive field', () => {
  const rules = buildMaskRules({ mask: [], block: [], unmask: ['#zoek', '.reveal'] });

  it('reveals a field the site marked, by attribute or by site rule', () => {
    html('<input id="zoek" value="fietsbel"><input id="qty" data-meekijk-unmask value="3"><form data-meekijk-unmask><input id="inner"></form>');
    const passwords = createPasswordMemory();
    expect(maskValue('fietsbel', el('#zoek'), rules, passwords)).toBe('fietsbel');
    expect(maskValue('3', el('#qty'), rules, passwords)).toBe('3');
    expect(mayReveal(el('#inner'), rules, passwords)).toBe(true);
    expect(isTypedValue(el('#zoek'), rules, passwords)).toBe(false);
  });

  it('never reveals a password, not even after a script turned it into a text field', () => {
    html('<input id="pw" type="password" class="reveal" data-meekijk-unmask>');
    const passwords = createPasswordMemory();
    const field = el('#pw');
    expect(maskValue('hunter2', field, rules, passwords)).toBe(MASK);
    field.type = 'text'; // "show password"
    expect(maskValue('hunter2', field, rules, passwords)).toBe(MASK);
    // A field we never saw as a password, but that rrweb saw change type, is still a password.
    html('<input id="pw2" type="text" data-rr-is-password="true" data-meekijk-unmask>');
    expect(maskValue('hunter2', el('#pw2'), rules, createPasswordMemory())).toBe(MASK);
  });

  it('never reveals fields with sensitive autocomplete hints or secret-like names', () => {
    const hints = ['cc-number', 'cc-csc', 'cc-exp', 'cc-name', 'one-time-code', 'current-password', 'new-password', 'billing cc-number', 'username webauthn'];
    html(hints.map((h, i) => `<input id="h${i}" autocomplete="${h}" data-meekijk-unmask>`).join(''));
    for (const field of document.querySelectorAll('input')) {
      expect(isSensitiveField(field, createPasswordMemory()), field.getAttribute('autocomplete')!).toBe(true);
      expect(maskValue('4111111111111111', field, rules, createPasswordMemory())).toBe(MASK);
    }
    const names = ['wachtwoord', 'userPassword', 'pin', 'card_pin', 'otp-code', 'iban', 'cvc', 'api_token', 'bsn'];
    html(names.map((n) => `<input name="${n}" data-meekijk-unmask>`).join(''));
    for (const field of document.querySelectorAll('input')) expect(mayReveal(field, rules, createPasswordMemory()), field.name).toBe(false);
    html('<input name="spinner" data-meekijk-unmask><input name="tandarts" data-meekijk-unmask>');
    for (const field of document.querySelectorAll('input')) expect(mayReveal(field, rules, createPasswordMemory()), field.name).toBe(true);
  });

  it('never reveals hidden or file inputs, or fields inside masked or blocked regions', () => {
    html(`<input id="hid" type="hidden" data-meekijk-unmask><input id="file" type="file" data-meekijk-unmask>
      <div data-meekijk-mask><input id="in-mask" data-meekijk-unmask></div>
      <div data-meekijk-block><input id="in-block" data-meekijk-unmask></div>`);
    for (const id of ['hid', 'file', 'in-mask', 'in-block']) expect(mayReveal(el(`#${id}`), rules, createPasswordMemory()), id).toBe(false);
  });
});

describe('across shadow roots', () => {
  it('a masked or blocked host covers its shadow tree (closest() alone stops at the shadow root)', () => {
    html('<div id="host" data-meekijk-mask></div>');
    const root = el<HTMLElement>('#host').attachShadow({ mode: 'open' });
    root.innerHTML = '<span id="inner">geheim</span>';
    const inner = root.querySelector('#inner')!;
    expect(inner.closest('[data-meekijk-mask]')).toBeNull();
    expect(composedClosest(inner, '[data-meekijk-mask]')).toBe(el('#host'));
    expect(composedClosest(inner.firstChild!, '[data-meekijk-mask]')).toBe(el('#host'));
  });
});
