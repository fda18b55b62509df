/**
 * The document type registry, derived from data: every type of the ANS value set JDV_J07 (both editions
 * loaded by src/terminology), its French label, its class (ASS_X04 correspondence) and who produces it.
 * A code of an older J07 edition only, or one the ANS correspondence still maps but no J07 edition lists
 * (the codes withdrawn in 2017), is deprecated: readable, refused for new deposits. Unknown codes are refused.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProfessionCode } from '../identity/index.ts';
import {
  LOINC_SYSTEM,
  TRE_A03_SYSTEM,
  TRE_A05_SYSTEM as TRE_A05,
  canonicalSystem,
  classOfType,
  isCurrent,
  valueSetConcepts,
  withdrawnTypes,
} from './concepts.ts';

/** Logical statuses: nothing is ever physically removed (docs/fhir.md, "Document metadata"). */
export type DocumentStatus = 'current' | 'superseded' | 'archived' | 'deleted';

export interface DocumentType {
  code: string;
  /** The code system in the spelling PDSm uses. */
  system: string;
  display: string;
  /** TRE_A03 class code (JDV_J06), or the TRE_A10 URN for the signature type. */
  classCode: string;
  classSystem: string;
  deprecated: boolean;
  /** `official`: in JDV_J07; `withdrawn`: only in ASS_X04; `carnet`: Carnet's extension (document-type-extensions.json). */
  origin: 'official' | 'withdrawn' | 'carnet';
  producer: 'professional' | 'patient' | 'insurer';
  /**
   * For a professional's type, the professions (TRE_G15) that may produce it; undefined: any profession. The
   * habilitation matrix says who reads a type; this says who files one (the VSM is the médecin traitant's).
   */
  producerProfessions: readonly ProfessionCode[] | undefined;
}

export const LOINC = LOINC_SYSTEM;
export const TRE_A05_SYSTEM = TRE_A05;

const productionSchema = z.object({
  source: z.string(),
  producers: z.object({
    patient: z.object({ prefixes: z.array(z.string()), note: z.string() }),
    insurer: z.object({ codes: z.array(z.string()), note: z.string() }),
  }),
  producedOnlyBy: z.record(
    z.string(),
    z.object({ professions: z.array(z.string()).min(1), note: z.string() }),
  ),
});
const extensionsSchema = z.object({
  source: z.string(),
  types: z.array(z.object({ code: z.string(), system: z.string(), display: z.string(), class: z.string() })),
});
const readData = (file: string) =>
  JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as unknown;
const production = productionSchema.parse(readData('./document-production.json'));
const extensions = extensionsSchema.parse(readData('./document-type-extensions.json'));

const producerOf = (code: string): DocumentType['producer'] =>
  production.producers.patient.prefixes.some((p) => code.startsWith(p))
    ? 'patient'
    : production.producers.insurer.codes.includes(code)
      ? 'insurer'
      : 'professional';

function makeType(
  code: string,
  system: string,
  display: string,
  classCode: string,
  deprecated: boolean,
  origin: DocumentType['origin'],
  classSystem: string = TRE_A03_SYSTEM,
): DocumentType {
  return Object.freeze({
    code,
    system,
    display,
    classCode,
    classSystem,
    deprecated,
    origin,
    producer: producerOf(code),
    producerProfessions: production.producedOnlyBy[code]?.professions as ProfessionCode[] | undefined,
  });
}

function officialTypes(): DocumentType[] {
  return valueSetConcepts('type').map((concept) => {
    const typeClass = classOfType(concept.system, concept.code);
    if (!typeClass)
      throw new Error(`document type ${concept.code}: no class (ASS_X04 or type-class-defaults)`);
    return makeType(
      concept.code,
      concept.system,
      concept.display,
      typeClass.classCode,
      !isCurrent('type', concept),
      'official',
      typeClass.classSystem,
    );
  });
}

export const documentTypes: readonly DocumentType[] = Object.freeze([
  ...officialTypes(),
  ...withdrawnTypes().map((t) =>
    makeType(t.code, t.system, `Ancien type de document (${t.code}, retiré)`, t.classCode, true, 'withdrawn'),
  ),
  ...extensions.types.map((t) =>
    makeType(t.code, canonicalSystem(t.system), t.display, t.class, false, 'carnet'),
  ),
]);

const byCode = new Map<string, DocumentType[]>();
for (const type of documentTypes) byCode.set(type.code, [...(byCode.get(type.code) ?? []), type]);

/** Class code → French label (JDV_J06). */
export const documentClasses: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(valueSetConcepts('class').map((c) => [c.code, c.display])),
);

/** The type for a code (and, when given, its system in any known spelling: MOS URL, `urn:oid:`, bare OID). */
export function findDocumentType(code: string, system?: string): DocumentType | undefined {
  const types = byCode.get(code) ?? [];
  if (system === undefined || system === '') return types[0];
  const wanted = canonicalSystem(system);
  return types.find((t) => t.system === wanted);
}
