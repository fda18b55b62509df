/**
 * The ANS terminologies Carnet speaks (JDV J07 types, J06 classes, J10 formats, J02 facility types,
 * J04 practice settings, J01 author specialties, J08 confidentiality), as versioned data.
 */
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import {
  canonicalSystem,
  typeClassCorrespondence,
  valueSets,
  type Concept,
  type ValueSetName,
} from './value-sets.ts';

export {
  canonicalSystem,
  codeSystems,
  systemOid,
  valueSets,
  type Concept,
  type Edition,
  type ValueSet,
  type ValueSetName,
} from './value-sets.ts';

export const LOINC_SYSTEM = 'http://loinc.org';
export const TRE_A05_SYSTEM = canonicalSystem('1.2.250.1.213.1.1.4.12');
export const TRE_A03_SYSTEM = canonicalSystem('1.2.250.1.213.1.1.4.1');

const indexes = new Map<ValueSetName, Map<string, Concept[]>>();
function byCode(valueSet: ValueSetName): Map<string, Concept[]> {
  let index = indexes.get(valueSet);
  if (!index) {
    index = new Map();
    for (const concept of valueSets[valueSet].concepts) {
      index.set(concept.code, [...(index.get(concept.code) ?? []), concept]);
    }
    indexes.set(valueSet, index);
  }
  return index;
}

/**
 * The concept of a value set for a code, given its system in any spelling (MOS URL, `urn:oid:`, bare OID,
 * `http://loinc.org`…). Without a system, the code alone decides when it is unambiguous in the value set.
 */
export function lookupConcept(
  valueSet: ValueSetName,
  system: string | undefined,
  code: string,
): Concept | undefined {
  const candidates = byCode(valueSet).get(code) ?? [];
  if (system === undefined || system === '') return candidates.length === 1 ? candidates[0] : undefined;
  const wanted = canonicalSystem(system);
  return candidates.find((c) => c.system === wanted);
}

/** Every concept of a value set, in the order of its newest edition. */
export function valueSetConcepts(valueSet: ValueSetName): readonly Concept[] {
  return valueSets[valueSet].concepts;
}

/** The newest edition a value set was loaded from (ISO date). */
export function newestEdition(valueSet: ValueSetName): string {
  return valueSets[valueSet].editions.at(-1)!.edition;
}

/** Whether the newest edition of its value set still lists a concept (older-only codes are withdrawn). */
export function isCurrent(valueSet: ValueSetName, concept: Concept): boolean {
  return concept.editions.includes(newestEdition(valueSet));
}

export interface TypeClass {
  readonly classCode: string;
  /** TRE_A03 for every type but the signature (ASTM E1762), whose class is a TRE_A10 URN. */
  readonly classSystem: string;
  /** `ASS_X04`: the ANS correspondence; `carnet`: our documented default for a type it does not map yet. */
  readonly basis: 'ASS_X04' | 'carnet';
}

const defaultsSchema = z.object({
  source: z.string(),
  classes: z.record(z.string(), z.object({ class: z.string(), note: z.string() })),
});
const classDefaults = defaultsSchema.parse(
  JSON.parse(readFileSync(new URL('./type-class-defaults.json', import.meta.url), 'utf8')),
).classes;

const officialClass = new Map(
  typeClassCorrespondence.mappings.map((m) => [`${canonicalSystem(m.system)}|${m.code}`, m]),
);

/** The class (TRE_A03 code) of a document type: the ANS correspondence ASS_X04, else Carnet's documented default. */
export function classOfType(system: string, code: string): TypeClass | undefined {
  const official = officialClass.get(`${canonicalSystem(system)}|${code}`);
  if (official)
    return {
      classCode: official.class,
      classSystem: canonicalSystem(official.classSystem),
      basis: 'ASS_X04',
    };
  const ours = classDefaults[code];
  return ours ? { classCode: ours.class, classSystem: TRE_A03_SYSTEM, basis: 'carnet' } : undefined;
}

/** Types the ANS correspondence still knows but no J07 edition lists any more (withdrawn codes). */
export function withdrawnTypes(): readonly { code: string; system: string; classCode: string }[] {
  return typeClassCorrespondence.mappings
    .filter((m) => !lookupConcept('type', m.system, m.code))
    .map((m) => ({ code: m.code, system: canonicalSystem(m.system), classCode: m.class }));
}

export { clinicalCodeSystems, isKnownCode, type ClinicalCodeSystem } from './code-lists.ts';
