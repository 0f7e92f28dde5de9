// @vitest-environment happy-dom
/**
 * The one in-page UI shell (lib/tab/ui-host.ts) that the indicator, the control prompt, the overlay and
 * the privacy outline and panel all live in: closed to the page, blocked from the recording by its tag,
 * and put back when the page drops it, until it is removed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountUiHost } from '@/lib/tab/ui-host';
import { UI_TAG } from '@/lib/shared/mask';

vi.mock('webextension-polyfill', () => ({ default: { i18n: { getMessage: (key: string) => (key === 'uiLocale' ? 'en' : key) } } }));

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  document.documentElement.innerHTML = '<head></head><body></body>';
});

describe('the in-page UI host', () => {
  it('is a <meekijk-ui> with a closed root holding the style and the children', () => {
    const child = document.createElement('div');
    child.className = 'card';
    const ui = mountUiHost(document, '.card { color: red; }', child);
    expect(ui.host.tagName.toLowerCase()).toBe(UI_TAG);
    expect(ui.host.parentNode).toBe(document.body);
    expect(ui.host.shadowRoot).toBeNull();
    // In the extension's language, not the page's.
    expect(ui.host.lang).toBe('en');
    const style = ui.root.querySelector('style')!;
    expect(style.textContent).toContain(':host { all: initial; }');
    expect(style.textContent).toContain('.card { color: red; }');
    expect(ui.root.querySelector('.card')).toBe(child);
    ui.remove();
  });

  it('comes back when the page empties <body> or puts in a new one, and not after remove()', async () => {
    const ui = mountUiHost(document, '');
    document.body.innerHTML = '<p>rebuilt</p>';
    await settle();
    expect(ui.host.isConnected).toBe(true);
    document.documentElement.replaceChild(document.createElement('body'), document.body);
    await settle();
    expect(ui.host.isConnected).toBe(true);
    expect(ui.host.parentNode).toBe(document.body);
    ui.remove();
    document.body.append(document.createElement('div'));
    await settle();
    expect(ui.host.isConnected).toBe(false);
  });
});

describe('every piece of our in-page UI uses it', () => {
  it('only lib/tab/ui-host.ts attaches a shadow root or makes a <meekijk-ui>', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const offenders = walk('lib')
      .filter((file) => file.endsWith('.ts') && file !== join('lib', 'tab', 'ui-host.ts'))
      .filter((file) => /attachShadow\(|createElement\((UI_TAG|'meekijk-ui')\)/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
