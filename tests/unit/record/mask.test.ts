// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { buildMaskRules, createPasswordMemory, MASK, maskText, maskValue, type MaskRules } from '@/lib/shared/mask';

function field(html: string): HTMLElement {
  document.body.innerHTML = html;
  const found = document.querySelector<HTMLElement>('#f');
  if (!found) throw new Error(`no #f in ${html}`);
  return found;
}

let rules: MaskRules;
beforeEach(() => {
  rules = buildMaskRules();
  document.body.innerHTML = '';
});

const mask = (element: HTMLElement, value: string) => maskValue(value, element, rules, createPasswordMemory());

describe('maskValue', () => {
  it('gives the same output for 1 and for 100 characters, so the length never shows', () => {
    for (const html of ['<input id="f" type="password">', '<input id="f">', '<textarea id="f"></textarea>']) {
      const element = field(html);
      expect(mask(element, 'a')).toBe(mask(element, 'a'.repeat(100)));
      expect(new Set(['x', '12', '4111 1111 1111 1111', 'p'.repeat(10_000)].map((v) => mask(element, v)))).toEqual(new Set([MASK]));
    }
  });

  it('uses a mask that carries nothing of the input', () => {
    expect(MASK).toMatch(/^•+$/);
    const masked = mask(field('<input id="f" type="email">'), 'SENTINEL-jan@example.nl');
    expect(masked).not.toMatch(/[0-9A-Za-z@]/);
  });

  it('masks every kind of field', () => {
    const kinds = [
      '<input id="f" type="password">',
      '<input id="f" type="text">',
      '<input id="f" type="email">',
      '<input id="f" type="tel">',
      '<input id="f" type="hidden">',
      '<input id="f" type="search">',
      '<input id="f" type="made-up">',
      '<textarea id="f"></textarea>',
      '<select id="f"><option>a</option></select>',
    ];
    for (const html of kinds) expect(mask(field(html), 'SENTINEL'), html).toBe(MASK);
    // Values that must parse get the empty value (the mask text would be an error in the viewer).
    for (const html of ['<input id="f" type="number">', '<input id="f" type="date">']) expect(mask(field(html), '42'), html).toBe('');
  });

  it('never reveals a password or a secret-looking field, even where the site unmasks', () => {
    const secrets = [
      '<input id="f" type="password" data-meekijk-unmask>',
      '<input id="f" autocomplete="cc-number" data-meekijk-unmask>',
      '<input id="f" autocomplete="one-time-code" data-meekijk-unmask>',
      '<input id="f" name="wachtwoord" data-meekijk-unmask>',
      '<input id="f" name="pin" data-meekijk-unmask>',
      '<div data-meekijk-unmask><input id="f" type="password"></div>',
      '<div data-meekijk-unmask data-meekijk-mask><input id="f"></div>',
    ];
    for (const html of secrets) expect(mask(field(html), 'SENTINEL'), html).toBe(MASK);
  });

  it('keeps a field masked after a script turns a password field into a text field', () => {
    const element = field('<input id="f" type="password" data-meekijk-unmask>') as HTMLInputElement;
    const passwords = createPasswordMemory();
    expect(maskValue('SENTINEL', element, rules, passwords)).toBe(MASK);
    element.type = 'text';
    expect(maskValue('SENTINEL', element, rules, passwords)).toBe(MASK);
  });

  it('reveals an ordinary field only where the site unmasked it', () => {
    expect(mask(field('<input id="f" name="city">'), 'Utrecht')).toBe(MASK);
    expect(mask(field('<input id="f" name="city" data-meekijk-unmask>'), 'Utrecht')).toBe('Utrecht');
  });
});

describe('maskText', () => {
  it('gives the same output for 1 and for 100 characters', () => {
    expect(maskText('a')).toBe(MASK);
    expect(maskText('a'.repeat(100))).toBe(MASK);
    expect(maskText('  IBAN NL91 ABNA 0417 1643 00\n')).toBe(MASK);
  });

  it('keeps text that is only whitespace, so the layout stays readable', () => {
    for (const blank of ['', ' ', '\n  \t']) expect(maskText(blank)).toBe(blank);
  });
});

describe('buildMaskRules', () => {
  it('blocks what a site marks private and our own UI, and masks what it marks for masking', () => {
    document.body.innerHTML = `
      <div id="blocked" data-meekijk-block></div>
      <meekijk-ui id="ui"></meekijk-ui>
      <p id="masked" data-meekijk-mask>x</p>
      <p id="editable" contenteditable>x</p>
      <p id="plain" class="data-meekijk-block">y</p>`;
    const byId = (id: string) => document.getElementById(id)!;
    expect(byId('blocked').matches(rules.blockSelector)).toBe(true);
    expect(byId('ui').matches(rules.blockSelector)).toBe(true);
    expect(byId('masked').matches(rules.maskTextSelector)).toBe(true);
    expect(byId('editable').matches(rules.maskTextSelector)).toBe(true);
    expect(byId('plain').matches(rules.blockSelector)).toBe(false);
    expect(byId('plain').matches(rules.maskTextSelector)).toBe(false);
  });

  it('adds the site rules and leaves out, and reports, selectors the browser rejects', () => {
    const rejected: string[] = [];
    const built = buildMaskRules(
      { mask: ['.price', '!!bad'], block: ['#card'], unmask: ['.city'] },
      (selector) => !selector.startsWith('!!'),
      (selector) => rejected.push(selector),
    );
    expect(built.maskTextSelector).toContain('.price');
    expect(built.maskTextSelector).not.toContain('!!bad');
    expect(built.blockSelector).toContain('#card');
    expect(built.unmaskSelector).toContain('.city');
    expect(rejected).toEqual(['!!bad']);
  });
});
