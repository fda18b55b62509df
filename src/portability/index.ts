/** The patient's right to portability: a PDF synthesis of the profile and a zip export of the whole record. */
export type { ExportFormat } from '../guard/index.ts';
export type { ExportedFile } from './synthesis.ts';
export { profileSynthesis } from './synthesis.ts';
export type { RecordExport } from './record-export.ts';
export { documentPath, exportRecord } from './record-export.ts';
export type { SynthesisInput } from './synthesis-pdf.ts';
export { renderSynthesisPdf } from './synthesis-pdf.ts';
export { accessHistoryPdf, HISTORY_PDF_MAX_ENTRIES } from './history-export.ts';
