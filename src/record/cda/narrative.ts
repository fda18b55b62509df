import type { NarrativeBlock } from './types.ts';
import { all, first, isText, kids, nameOf, type XmlNode } from './xml.ts';

const BLOCK_ELEMENTS = new Set(['paragraph', 'list', 'table']);
/** Elements that carry no readable text for the patient. */
const SKIPPED = new Set(['renderMultiMedia', 'footnoteRef', 'col', 'colgroup']);

/** Inline content (text, `content`, `sub`, `sup`, `linkHtml`, `br`…) as plain text; `br` becomes a line break. */
function inline(node: XmlNode): string {
  if (isText(node)) return String(node['#text']);
  const name = nameOf(node);
  if (name === 'br') return '\n';
  if (name === undefined || SKIPPED.has(name)) return '';
  const inner = kids(node).map(inline).join('');
  // Blocks nested in inline context (a list in a cell…) keep a separation from what surrounds them.
  return BLOCK_ELEMENTS.has(name) || name === 'item' || name === 'tr' ? ` ${inner} ` : inner;
}

/** Collapses blanks inside each line, keeps the lines `br` asked for, drops empty ones. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function cellsOf(row: XmlNode): string[] {
  return kids(row)
    .filter((k) => nameOf(k) === 'th' || nameOf(k) === 'td')
    .map((cell) => tidy(kids(cell).map(inline).join('')).replace(/\n/g, ' '));
}

function tableBlock(table: XmlNode): NarrativeBlock {
  const header: string[][] = [];
  const rows: string[][] = [];
  for (const part of kids(table)) {
    const name = nameOf(part);
    if (name === 'tr') rows.push(cellsOf(part));
    if (name === 'thead') for (const tr of all(part, 'tr')) header.push(cellsOf(tr));
    if (name === 'tbody' || name === 'tfoot') for (const tr of all(part, 'tr')) rows.push(cellsOf(tr));
  }
  const captionNode = first(table, 'caption');
  const caption = captionNode ? tidy(inline(captionNode)) || undefined : undefined;
  const filled = (row: string[]) => row.some((cell) => cell !== '');
  return { kind: 'table', caption, header: header.filter(filled), rows: rows.filter(filled) };
}

function listBlock(list: XmlNode): NarrativeBlock {
  const items = all(list, 'item')
    .map((item) => tidy(kids(item).map(inline).join('')).replace(/\n/g, ' '))
    .filter((item) => item !== '');
  const ordered = (list[':@'] as Record<string, string> | undefined)?.listType === 'ordered';
  return { kind: 'list', ordered, items };
}

/** The narrative `text` of a section as a small safe tree (plain strings, never markup). */
export function narrativeBlocks(text: XmlNode | undefined): NarrativeBlock[] {
  const blocks: NarrativeBlock[] = [];
  let pending = '';
  const flush = () => {
    const paragraph = tidy(pending);
    if (paragraph !== '') blocks.push({ kind: 'paragraph', text: paragraph });
    pending = '';
  };
  for (const node of kids(text)) {
    const name = nameOf(node);
    if (name === 'paragraph') {
      flush();
      pending = kids(node).map(inline).join('');
      flush();
    } else if (name === 'list') {
      flush();
      blocks.push(listBlock(node));
    } else if (name === 'table') {
      flush();
      blocks.push(tableBlock(node));
    } else {
      pending += inline(node);
    }
  }
  flush();
  return blocks.filter(
    (b) =>
      (b.kind !== 'list' || b.items.length > 0) &&
      (b.kind !== 'table' || b.header.length + b.rows.length > 0),
  );
}

/** Plain text of the blocks: paragraphs apart, `• ` bullets, table rows with ` | ` between cells. */
export function blocksToText(blocks: readonly NarrativeBlock[]): string {
  return blocks
    .map((block) => {
      if (block.kind === 'paragraph') return block.text;
      if (block.kind === 'list') {
        return block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `• ${item}`)).join('\n');
      }
      const lines = [...block.header, ...block.rows].map((row) => row.join(' | '));
      return [...(block.caption ? [block.caption] : []), ...lines].join('\n');
    })
    .join('\n\n');
}
