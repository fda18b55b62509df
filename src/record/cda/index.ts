export { parseCda, CdaError } from './parse.ts';
export { decodeXml, HL7_V3_NAMESPACE } from './detect.ts';
export { masterIdentifierOf } from './header.ts';
export { hl7TimeToIso } from './dates.ts';
export { cdaSectionTitles } from './section-titles.ts';
export type {
  CdaDocument,
  CdaHeader,
  CdaCode,
  CdaAuthor,
  CdaPatient,
  CdaSection,
  CdaEntry,
  CdaEntryKind,
  CdaCoding,
  CdaValue,
  CdaQuantity,
  CdaPeriod,
  CdaProduct,
  NarrativeBlock,
  CdaMedia,
  NonXmlBody,
} from './types.ts';
