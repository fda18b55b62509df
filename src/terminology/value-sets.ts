import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The ANS value sets (JDV) Carnet checks document metadata against, as versioned data files
 * (`value-sets/*.json`, written by `scripts/import-value-sets.ts` from the official SVS and FHIR files).
 * Each concept names the editions it appears in; the code systems accept every spelling of
 * `code-systems.json` and answer in the canonical one (the spelling PDSm writes).
 */
export const valueSetFiles = {
  type: 'JDV_J07_XdsTypeCode_CISIS',
  class: 'JDV_J06_XdsClassCode_CISIS',
  format: 'JDV_J10_XdsFormatCode_CISIS',
  facility: 'JDV_J02_XdsHealthcareFacilityTypeCode_CISIS',
  practiceSetting: 'JDV_J04_XdsPracticeSettingCode_CISIS',
  authorSpecialty: 'JDV_J01_XdsAuthorSpecialty_CISIS',
  confidentiality: 'JDV_J08_XdsConfidentialityCode_CISIS',
  cdaConfidentiality: 'JDV_HL7_Confidentiality_CISIS',
} as const;

export type ValueSetName = keyof typeof valueSetFiles;

export interface Concept {
  readonly code: string;
  /** The code system in the spelling PDSm uses (`http://loinc.org`, the MOS URL of a TRE…). */
  readonly system: string;
  readonly display: string;
  /** The editions (ISO date of the ANS version) that list this concept, oldest first. */
  readonly editions: readonly string[];
}

export interface Edition {
  readonly edition: string;
  readonly version: string;
  readonly sources: readonly string[];
}

export interface ValueSet {
  readonly valueSet: ValueSetName;
  readonly name: string;
  readonly oid: string;
  readonly url: string;
  readonly editions: readonly Edition[];
  readonly concepts: readonly Concept[];
}

const editionSchema = z.object({
  edition: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  version: z.string().min(1),
  sources: z.array(z.string().min(1)).min(1),
});

const valueSetSchema = z.object({
  valueSet: z.string(),
  name: z.string().min(1),
  oid: z.string(),
  url: z.string().min(1),
  editions: z.array(editionSchema).min(1),
  concepts: z.array(
    z.object({
      code: z.string().min(1),
      system: z.string().min(1),
      display: z.string().optional(),
      editions: z.array(z.string()).min(1),
    }),
  ),
});

const codeSystemsSchema = z.object({
  source: z.string(),
  systems: z.array(
    z.object({
      name: z.string(),
      canonical: z.string().min(1),
      oid: z.string().optional(),
      aliases: z.array(z.string()).optional(),
    }),
  ),
});

const correspondenceSchema = z.object({
  name: z.string(),
  oid: z.string(),
  url: z.string(),
  editions: z.array(editionSchema).min(1),
  mappings: z.array(
    z.object({ code: z.string(), system: z.string(), class: z.string(), classSystem: z.string() }),
  ),
});

function readJson(relative: string): unknown {
  const url = new URL(relative, import.meta.url);
  try {
    return JSON.parse(readFileSync(url, 'utf8'));
  } catch (error) {
    throw new Error(`terminology file ${relative}: ${(error as Error).message}`, { cause: error });
  }
}

function parse<T>(schema: z.ZodType<T>, relative: string): T {
  const parsed = schema.safeParse(readJson(relative));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`terminology file ${relative}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

export const codeSystems = parse(codeSystemsSchema, './code-systems.json').systems;

/** Every accepted spelling (canonical URL, alias, bare OID, `urn:oid:`) → the canonical one. */
const spellings = new Map<string, string>();
for (const s of codeSystems) {
  for (const spelling of [s.canonical, ...(s.aliases ?? []), ...(s.oid ? [s.oid, `urn:oid:${s.oid}`] : [])])
    spellings.set(spelling.toLowerCase(), s.canonical);
}

/** The canonical (PDSm) spelling of a code system given in any known spelling; unknown ones come back unchanged. */
export function canonicalSystem(anySpelling: string): string {
  return spellings.get(anySpelling.trim().toLowerCase()) ?? anySpelling;
}

/** The OID of a code system given in any known spelling (CDA headers and XDS carry OIDs). */
export function systemOid(anySpelling: string): string | undefined {
  const canonical = canonicalSystem(anySpelling);
  return codeSystems.find((s) => s.canonical === canonical)?.oid;
}

export const valueSets: Readonly<Record<ValueSetName, ValueSet>> = Object.freeze(
  Object.fromEntries(
    (Object.entries(valueSetFiles) as [ValueSetName, string][]).map(([name, file]) => {
      const raw = parse(valueSetSchema, `./value-sets/${file}.json`);
      if (raw.valueSet !== name) throw new Error(`terminology file ${file}: valueSet is ${raw.valueSet}`);
      const concepts = raw.concepts.map((c) =>
        Object.freeze({ ...c, system: canonicalSystem(c.system), display: c.display ?? c.code }),
      );
      return [name, Object.freeze({ ...raw, valueSet: name, concepts: Object.freeze(concepts) })];
    }),
  ) as unknown as Record<ValueSetName, ValueSet>,
);

export const typeClassCorrespondence = parse(
  correspondenceSchema,
  './value-sets/ASS_X04-CorrespondanceType-Classe-CISIS.json',
);
