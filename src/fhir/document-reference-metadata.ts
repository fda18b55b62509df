import { PROFESSIONAL_ID_OID } from '../identity/index.ts';
import type {
  DocumentCoding,
  DocumentCustodian,
  RelatedIdentifier,
  SourcePatientInfo,
} from '../record/index.ts';
import { storedSystem } from './coding-system.ts';
import { arrayAt, isObject, objectAt, optionalString, unprocessable, type Json } from './fhir-input.ts';

/**
 * Readers of the PDSm metadata beyond the core of a submitted DocumentReference: codes, contained resources
 * (author, source patient, custodian), related identifiers. Structure only; each fails with its FHIRPath.
 */

/** The first coding that has a code and a system, kept as submitted (system normalised by storedSystem). */
export function codingOf(value: unknown, path: string): DocumentCoding | undefined {
  if (value === undefined || value === null) return undefined;
  const coding = objectAt(value, path);
  const code = optionalString(coding.code, `${path}.code`);
  const system = optionalString(coding.system, `${path}.system`);
  if (!code) return undefined;
  if (!system) throw unprocessable('coding-system-required', 'Un code doit préciser son système.', path);
  const display = optionalString(coding.display, `${path}.display`);
  return { system: storedSystem(system), code, ...(display ? { display } : {}) };
}

/** The first usable coding of a CodeableConcept. */
export function conceptOf(value: unknown, path: string): DocumentCoding | undefined {
  if (value === undefined || value === null) return undefined;
  const concept = objectAt(value, path);
  const codings = arrayAt(concept.coding, `${path}.coding`);
  for (const [i, c] of codings.entries()) {
    const read = codingOf(c, `${path}.coding[${i}]`);
    if (read) return read;
  }
  return undefined;
}

/** A contained resource by its local reference (`#id`), or undefined when the reference is not local. */
export function containedOf(
  resource: Json,
  reference: unknown,
  path: string,
  base: string,
): { resource: Json; path: string } | undefined {
  const ref = isObject(reference) ? optionalString(reference.reference, `${path}.reference`) : undefined;
  if (!ref?.startsWith('#')) return undefined;
  const contained = arrayAt(resource.contained, `${base}.contained`);
  const index = contained.findIndex((c) => isObject(c) && c.id === ref.slice(1));
  if (index < 0) {
    throw unprocessable(
      'contained-missing',
      `La ressource contenue « ${ref.slice(0, 64)} » est introuvable.`,
      `${path}.reference`,
    );
  }
  return { resource: contained[index] as Json, path: `${base}.contained[${index}]` };
}

function identifiers(value: unknown, path: string): RelatedIdentifier[] {
  return arrayAt(value, path).flatMap((id, i) => {
    const o = objectAt(id, `${path}[${i}]`);
    const v = optionalString(o.value, `${path}[${i}].value`);
    return v ? [{ system: optionalString(o.system, `${path}[${i}].system`), value: v }] : [];
  });
}

/** `context.sourcePatientInfo`: the patient as the producer's software knew them (a contained Patient). */
export function sourcePatientOf(
  resource: Json,
  reference: unknown,
  path: string,
  base: string,
): SourcePatientInfo | undefined {
  const found = containedOf(resource, reference, path, base);
  if (!found) return undefined;
  const { resource: patient, path: at } = found;
  if (patient.resourceType !== 'Patient') {
    throw unprocessable(
      'source-patient-invalid',
      'sourcePatientInfo désigne un Patient.',
      `${path}.reference`,
    );
  }
  const name = arrayAt(patient.name, `${at}.name`)[0];
  const n = isObject(name) ? name : {};
  return {
    identifiers: identifiers(patient.identifier, `${at}.identifier`),
    family: optionalString(n.family, `${at}.name[0].family`),
    given: arrayAt(n.given, `${at}.name[0].given`).filter((g): g is string => typeof g === 'string'),
    birthDate: optionalString(patient.birthDate, `${at}.birthDate`),
    gender: optionalString(patient.gender, `${at}.gender`),
  };
}

/** `context.related`: the referenceIdList identifiers (order, accession, study…). */
export function relatedOf(value: unknown, path: string): RelatedIdentifier[] {
  return arrayAt(value, path).flatMap((r, i) => {
    const at = `${path}[${i}]`;
    const ref = objectAt(r, at);
    if (!isObject(ref.identifier)) return [];
    const id = ref.identifier;
    const v = optionalString(id.value, `${at}.identifier.value`);
    if (!v) return [];
    const type = conceptOf(id.type, `${at}.identifier.type`)?.code;
    return [
      { system: optionalString(id.system, `${at}.identifier.system`), value: v, ...(type ? { type } : {}) },
    ];
  });
}

/** `custodian`: a contained Organization, or a logical reference (identifier, display). */
export function custodianOf(
  resource: Json,
  value: unknown,
  path: string,
  base: string,
): DocumentCustodian | undefined {
  if (!isObject(value)) return undefined;
  const found = containedOf(resource, value, path, base);
  const org = found?.resource ?? {};
  const at = found?.path ?? path;
  const id = found
    ? identifiers(org.identifier, `${at}.identifier`)[0]
    : isObject(value.identifier)
      ? identifiers([value.identifier], `${path}.identifier`)[0]
      : undefined;
  const name = found
    ? optionalString(org.name, `${at}.name`)
    : optionalString(value.display, `${path}.display`);
  if (!id && !name) return undefined;
  return { system: id?.system, value: id?.value, name };
}

/** What the submitted author says: the professional's national id (IDNPS) and their role. */
export interface SubmittedAuthor {
  readonly nationalId: string | undefined;
  readonly role: DocumentCoding | undefined;
  /** The FHIRPath of the author reference, for a refusal. */
  readonly path: string;
}

const PROFESSIONAL_SYSTEMS = [`urn:oid:${PROFESSIONAL_ID_OID}`, PROFESSIONAL_ID_OID];

function nationalIdOf(practitioner: Json, path: string): string | undefined {
  return identifiers(practitioner.identifier, `${path}.identifier`).find(
    (id) => id.system !== undefined && PROFESSIONAL_SYSTEMS.includes(id.system),
  )?.value;
}

/**
 * The first professional author: a contained PractitionerRole (PDSm: role, specialty, institution, and its
 * Practitioner), a contained Practitioner, or a logical reference by IDNPS. Devices and patients say nothing of
 * a professional and are left to the depositor.
 */
export function submittedAuthorOf(resource: Json, base: string): SubmittedAuthor | undefined {
  const authors = arrayAt(resource.author, `${base}.author`);
  for (const [i, ref] of authors.entries()) {
    const path = `${base}.author[${i}]`;
    const r = objectAt(ref, path);
    const found = containedOf(resource, r, path, base);
    if (!found) {
      const id = isObject(r.identifier) ? identifiers([r.identifier], `${path}.identifier`)[0] : undefined;
      if (id?.system && PROFESSIONAL_SYSTEMS.includes(id.system)) {
        return { nationalId: id.value, role: undefined, path };
      }
      continue;
    }
    const { resource: target, path: at } = found;
    if (target.resourceType === 'Practitioner') {
      return { nationalId: nationalIdOf(target, at), role: undefined, path };
    }
    if (target.resourceType === 'PractitionerRole') {
      const role = conceptOf(arrayAt(target.code, `${at}.code`)[0], `${at}.code[0]`);
      const practitioner = containedOf(resource, target.practitioner, `${at}.practitioner`, base);
      const direct =
        isObject(target.practitioner) && isObject(target.practitioner.identifier)
          ? identifiers([target.practitioner.identifier], `${at}.practitioner.identifier`)[0]
          : undefined;
      const nationalId = practitioner
        ? nationalIdOf(practitioner.resource, practitioner.path)
        : direct?.system && PROFESSIONAL_SYSTEMS.includes(direct.system)
          ? direct.value
          : undefined;
      return { nationalId, role, path };
    }
  }
  return undefined;
}
