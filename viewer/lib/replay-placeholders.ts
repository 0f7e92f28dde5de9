/**
 * The look and the label of the placeholders the customer's side puts in the replay where it sends
 * nothing (lib/protocol/placeholders.ts): a hatched box of the part's size with a short label in the
 * technician's language. The events carry no words for it; the words are ours, written into the replay's
 * document as CSS generated content (the replay runs no script, and its nodes are rrweb's).
 */
import { PLACEHOLDER_ATTRIBUTE, type PlaceholderKind } from '@/lib/protocol/placeholders';

export type PlaceholderLabels = Record<PlaceholderKind, string>;

/** A CSS string literal: quotes, backslashes and line breaks escaped. */
const cssString = (text: string): string => `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, '\\a ')}"`;

export function placeholderCss(labels: PlaceholderLabels): string {
  const kinds = Object.entries(labels) as Array<[PlaceholderKind, string]>;
  return [
    `[${PLACEHOLDER_ATTRIBUTE}] { display: inline-flex; align-items: center; justify-content: center; box-sizing: border-box;` +
      ` overflow: hidden; padding: 4px; border: 1px dashed #7a8494; vertical-align: bottom;` +
      ` background: repeating-linear-gradient(135deg, #eef0f3 0 10px, #e3e6eb 10px 20px); color: #2d3440;` +
      ` font: 13px/1.35 system-ui, sans-serif; text-align: center; }`,
    ...kinds.map(([kind, label]) => `[${PLACEHOLDER_ATTRIBUTE}="${kind}"]::before { content: ${cssString(label)}; }`),
  ].join('\n');
}

/** Our style element in each replay document (not found by id: the recorded page chooses the ids there). */
const styles = new WeakMap<Document, HTMLStyleElement>();

/** Puts (or updates) the placeholders' style in the replay's document. */
export function stylePlaceholders(doc: Document | null | undefined, labels: PlaceholderLabels): void {
  const parent = doc?.head ?? doc?.documentElement;
  if (!doc || !parent) return;
  let style = styles.get(doc);
  if (!style || !style.isConnected) {
    style = doc.createElement('style');
    styles.set(doc, style);
    parent.append(style);
  }
  style.textContent = placeholderCss(labels);
}
