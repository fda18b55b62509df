export { importInsured } from './import-insured.ts';
export type { ImportReport } from './import-insured.ts';
export { parseInsuredFile, ImportFormatError, importFields } from './import-format.ts';
export type { LineProblem, RawRecord } from './import-format.ts';
export { validateInsuredRecord } from './insured-record.ts';
export type { InsuredRecord } from './insured-record.ts';
