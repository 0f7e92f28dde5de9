/**
 * Reaching Meekijk's own UI in the customer's tab from a test. It lives in closed shadow roots, which
 * page scripts cannot enter; the DevTools protocol can (DOM.getDocument with pierce), so a test finds a
 * button there and clicks it with a real, trusted mouse click at its position, as the customer would.
 */
import type { Page } from 'puppeteer-core';

interface DomNode {
  nodeId: number;
  backendNodeId: number;
  nodeName: string;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

function* walk(node: DomNode, insideUi = false): Generator<{ node: DomNode; insideUi: boolean }> {
  const ui = insideUi || node.nodeName === 'MEEKIJK-UI';
  yield { node, insideUi: ui };
  for (const child of node.children ?? []) yield* walk(child, ui);
  for (const root of node.shadowRoots ?? []) yield* walk(root, ui);
  if (node.contentDocument) yield* walk(node.contentDocument, ui);
}

const attr = (node: DomNode, name: string) => {
  const list = node.attributes ?? [];
  const at = list.indexOf(name);
  return at >= 0 && at % 2 === 0 ? list[at + 1] : undefined;
};
const text = (node: DomNode): string =>
  node.nodeName === '#text' ? (node.nodeValue ?? '') : (node.children ?? []).map(text).join('');

/** Nodes of our own UI (inside <meekijk-ui>), with their class and text. */
export async function uiNodes(tab: Page): Promise<Array<{ backendNodeId: number; className: string; text: string; style: string; name: string }>> {
  const cdp = await tab.createCDPSession();
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const found = [];
    for (const { node, insideUi } of walk(root)) {
      if (!insideUi || node.nodeName.startsWith('#')) continue;
      found.push({ backendNodeId: node.backendNodeId, className: attr(node, 'class') ?? '', text: text(node), style: attr(node, 'style') ?? '', name: node.nodeName });
    }
    return found;
  } finally {
    await cdp.detach();
  }
}

/** Clicks the button of ours whose text matches, with a trusted mouse click. */
export async function clickUi(tab: Page, label: RegExp): Promise<void> {
  await tab.bringToFront(); // the outline draws on animation frames, which a background tab does not get
  const button = (await uiNodes(tab)).find((n) => n.name === 'BUTTON' && label.test(n.text.trim()));
  if (!button) throw new Error(`no Meekijk button ${label}`);
  const cdp = await tab.createCDPSession();
  try {
    const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: button.backendNodeId })) as { model: { content: number[] } };
    const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
    await tab.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  } finally {
    await cdp.detach();
  }
}

/** Outline boxes currently drawn, by kind. */
export async function outlineBoxes(tab: Page): Promise<Record<'masked' | 'blocked' | 'hidden', number>> {
  await tab.bringToFront();
  const boxes = (await uiNodes(tab)).filter((n) => /(^| )box( |$)/.test(n.className) && !/display:\s*none/.test(n.style));
  const count = (kind: string) => boxes.filter((b) => b.className.split(' ').includes(kind)).length;
  return { masked: count('masked'), blocked: count('blocked'), hidden: count('hidden') };
}
