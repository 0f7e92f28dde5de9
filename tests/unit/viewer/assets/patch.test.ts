// @vitest-environment happy-dom
/**
 * Late assets (issue 20): what the replay already shows with a pending mark gets the asset's blob: URL when
 * it arrives (attributes, srcset, inline styles, style elements' rules, adopted stylesheets, shadow roots),
 * images whose asset will not come get the placeholder, and CSS keeps loading nothing for them.
 */
import { describe, expect, it } from 'vitest';
import { patchReplay } from '@/viewer/lib/assets/patch';
import { MISSING_IMAGE, pendingUrl, type AssetState } from '@/viewer/lib/assets/urls';

const BLOB = 'blob:http://viewer.test/5f0e2a7c-0000-4000-8000-00000000000a';

function replay() {
  const doc = document.implementation.createHTMLDocument('replay');
  doc.body.innerHTML = `
    <img id="img" src="${pendingUrl('photo')}">
    <img id="set" srcset="${pendingUrl('photo')} 1x, ${pendingUrl('other')} 2x">
    <img id="gone" src="${pendingUrl('gone')}">
    <div id="styled" style="background-image: url(&quot;${pendingUrl('photo')}&quot;)"></div>
    <div id="styled-gone" style="background-image: url(&quot;${pendingUrl('gone')}&quot;)"></div>
    <style id="sheet">.a { background-image: url("${pendingUrl('photo')}"); } .b { color: red; }</style>
    <div id="host"></div>`;
  const host = doc.getElementById('host')!;
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.innerHTML = `<img id="inner" src="${pendingUrl('photo')}">`;
  const adopted = new CSSStyleSheet();
  adopted.replaceSync(`.c { background-image: url("${pendingUrl('photo')}"); }`);
  shadow.adoptedStyleSheets = [adopted];
  return { doc, shadow, adopted };
}

describe('patching late assets into the replay', () => {
  it('does nothing while the keys are unknown', () => {
    const { doc } = replay();
    const before = doc.documentElement.outerHTML;
    expect(patchReplay(doc, () => undefined)).toBe(0);
    expect(doc.documentElement.outerHTML).toBe(before);
  });

  it('puts the blob: URL in attributes, srcset, inline styles, shadow roots and stylesheets; placeholder for a missing image', () => {
    const { doc, shadow, adopted } = replay();
    const states: Record<string, AssetState> = { photo: { url: BLOB }, gone: 'missing' };
    const patched = patchReplay(doc, (key) => states[key]);
    expect(doc.getElementById('img')!.getAttribute('src')).toBe(BLOB);
    expect(doc.getElementById('set')!.getAttribute('srcset')).toBe(`${BLOB} 1x, ${pendingUrl('other')} 2x`);
    expect(doc.getElementById('gone')!.getAttribute('src')).toBe(MISSING_IMAGE);
    expect(doc.getElementById('styled')!.getAttribute('style')).toContain(BLOB);
    // A background whose asset will not come stays nothing (no placeholder pattern in CSS).
    expect(doc.getElementById('styled-gone')!.getAttribute('style')).toContain(pendingUrl('gone'));
    expect(shadow.getElementById('inner')!.getAttribute('src')).toBe(BLOB);
    const sheet = (doc.getElementById('sheet') as HTMLStyleElement).sheet!;
    expect(sheet.cssRules[0]!.cssText).toContain(BLOB);
    expect(sheet.cssRules[1]!.cssText).toContain('red');
    expect(sheet.cssRules).toHaveLength(2);
    expect(adopted.cssRules[0]!.cssText).toContain(BLOB);
    expect(patched).toBe(7);
    // Patched once: a second pass finds nothing more for the same keys.
    expect(patchReplay(doc, (key) => states[key])).toBe(0);
  });
});
