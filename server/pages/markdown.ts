/**
 * Just enough Markdown for the terms: headings (#..######), paragraphs, and line breaks inside a paragraph.
 * Everything is escaped first, so the terms file cannot inject markup.
 */
import { escapeHtml } from './html';

export function markdownToHtml(markdown: string): string {
  const blocks = markdown.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  // The document's highest heading becomes <h1>, so the page has exactly one top-level heading.
  const levels = blocks.map((b) => /^(#{1,6})\s/.exec(b.trim())?.[1]?.length ?? 7);
  const shift = Math.min(...levels, 7) === 7 ? 0 : Math.min(...levels) - 1;
  const html: string[] = [];
  for (const block of blocks) {
    const text = block.trim();
    if (text.length === 0) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(text);
    if (heading && !text.includes('\n')) {
      const level = Math.max(1, (heading[1]?.length ?? 1) - shift);
      html.push(`<h${level}>${inline(heading[2] ?? '')}</h${level}>`);
    } else {
      html.push(`<p>${text.split('\n').map(inline).join('<br>\n')}</p>`);
    }
  }
  return html.join('\n');
}

function inline(text: string): string {
  return escapeHtml(text.trim()).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
}
