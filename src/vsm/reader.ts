import { CdaError, type CdaDocument, type CdaSection } from '../record/cda/index.ts';
import { CarnetError } from '../shared/errors.ts';
import { VSM_TYPE_CODE } from './cda-builder.ts';
import { sectionKeyByCode } from './layout.ts';
import {
  emptyVsmSection,
  mapVsmSections,
  normalizeLine,
  type VsmContent,
  type VsmSectionKey,
} from './model.ts';

/** LOINC 60591-5, or TRE_A05 `SYNTH` (the type of the ANS example and of older producers). */
export const vsmTypeCodes = [VSM_TYPE_CODE, 'SYNTH'] as const;

export const isVsmType = (code: string): boolean => (vsmTypeCodes as readonly string[]).includes(code);

const flatten = (sections: readonly CdaSection[]): CdaSection[] =>
  sections.flatMap((s) => [s, ...flatten(s.sections)]);

/** One section's narrative as items (list items, table rows with ` | ` between cells) and free text (paragraphs). */
function itemsAndNote(section: CdaSection): { items: string[]; lines: string[] } {
  const items: string[] = [];
  const lines: string[] = [];
  for (const block of section.blocks) {
    if (block.kind === 'paragraph') lines.push(...block.text.split('\n'));
    else if (block.kind === 'list') items.push(...block.items);
    else {
      // A header row names the columns; the data rows are the items.
      const rows = block.rows.length > 0 ? block.rows : block.header;
      for (const row of rows) items.push(row.filter((cell) => cell !== '').join(' | '));
    }
  }
  return { items: items.map(normalizeLine).filter(Boolean), lines: lines.map(normalizeLine).filter(Boolean) };
}

/**
 * The VSM content of a parsed CDA (Carnet's or another producer's, e.g. the ANS example): sections found by their
 * LOINC code at any depth; sections of other codes are left out (the generic CDA view shows them).
 */
export function readVsmContent(document: CdaDocument | CdaError): VsmContent {
  if (document instanceof CdaError) throw document.toCarnetError();
  if (!isVsmType(document.header.type.code)) {
    throw new CarnetError('unprocessable', 'not-vsm', 'Ce document n’est pas un volet de synthèse médicale.');
  }
  const found = new Map<VsmSectionKey, { items: string[]; lines: string[] }>();
  for (const section of flatten(document.sections)) {
    const key = section.code && sectionKeyByCode.get(section.code.code);
    if (!key) continue;
    const part = itemsAndNote(section);
    const sofar = found.get(key) ?? { items: [], lines: [] };
    found.set(key, { items: [...sofar.items, ...part.items], lines: [...sofar.lines, ...part.lines] });
  }
  return mapVsmSections((k) => {
    const part = found.get(k);
    return part ? { items: part.items, note: part.lines.join('\n') } : emptyVsmSection;
  });
}
