/**
 * Non-text contrast as the browser draws it (WCAG 1.4.11: focus rings and input borders at 3:1 or more
 * against what is next to them), which axe does not check: the computed outline of the element that has
 * keyboard focus (through open shadow roots) and the computed border of each visible text input, each
 * against the first opaque background behind it, with WCAG's relative luminance.
 */
import type { Page } from 'puppeteer-core';

export interface Measured {
  what: string;
  ratio: number;
  fg: string;
  bg: string;
}

const IN_PAGE = `
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; const [r, g, b, a = '1'] = m[1].split(/[ ,\\/]+/).filter(Boolean); return { r: +r, g: +g, b: +b, a: +a }; };
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const parentOf = (el) => el.parentElement ?? (el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host : null);
  const behind = (el) => { for (let e = el; e; e = parentOf(e)) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' "' + (el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('name') ?? '').trim().slice(0, 30) + '"';
  const fmt = (c) => 'rgb(' + c.r + ',' + c.g + ',' + c.b + ')';
`;

/** The focus ring of the element with focus now, against the background around it; null when nothing is focused. */
export async function focusRing(page: Page): Promise<Measured | null> {
  return (await page.evaluate(`(() => {
    ${IN_PAGE}
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = parse(style.outlineColor);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0 || !ring) return { what: name(el) + ' (no outline)', ratio: 0, fg: style.outlineStyle, bg: '' };
    // The ring is drawn outside the element (outline-offset): what is behind it is the parent's background.
    const bg = behind(parentOf(el) ?? el);
    return { what: name(el), ratio: ratio(ring, bg), fg: fmt(ring), bg: fmt(bg) };
  })()`)) as Measured | null;
}

/** The border of every visible text input (and text area), against the background around it. */
export async function inputBorders(page: Page): Promise<Measured[]> {
  return (await page.evaluate(`(() => {
    ${IN_PAGE}
    return [...document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        // Next to the border: the page outside and the field's own fill inside; the lower ratio counts.
        const border = parse(getComputedStyle(el).borderTopColor);
        const [outside, inside] = [behind(parentOf(el) ?? el), behind(el)];
        const worst = ratio(border, outside) <= ratio(border, inside) ? outside : inside;
        return { what: name(el), ratio: ratio(border, worst), fg: fmt(border), bg: fmt(worst) };
      });
  })()`)) as Measured[];
}

/** Readable in a failed expectation: only what is under 3:1. */
export const under3 = (list: Array<Measured | null>): string[] =>
  list.filter((m): m is Measured => m !== null && m.ratio < 3).map((m) => `${m.what}: ${m.fg} on ${m.bg} = ${m.ratio.toFixed(2)}:1`);
