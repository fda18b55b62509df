import type { CodeableConcept } from '@medplum/fhirtypes';
import type { ConfidentialityChange, ConfidentialityFlag, ConfidentialityLevel } from '../record/index.ts';
import { CarnetError, invalid } from '../shared/index.ts';
import { arrayAt, isObject, objectAt, optionalString, unprocessable, type Json } from './fhir-input.ts';
import { readSecurityLabels } from './security-labels.ts';

/**
 * PATCH of a DocumentReference (PDSm masking): only `securityLabel` may change. Both patch formats are applied
 * to the current labels; the difference between the flags before and after is the change to make.
 */
const onlySecurityLabel = (expression: string) =>
  unprocessable(
    'patch-element-not-allowed',
    'Seuls les niveaux de confidentialité (securityLabel) peuvent être modifiés.',
    expression,
  );

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Index into the labels for a JSON Pointer below `/securityLabel` (`-` = the end, for `add`). */
function pointer(path: unknown, at: string): { index: number | '-' | undefined; rest: string[] } {
  if (typeof path !== 'string' || !/^\/securityLabel(\/|$)/.test(path)) throw onlySecurityLabel(at);
  const [, , index, ...rest] = path.split('/');
  if (index === undefined) return { index: undefined, rest: [] };
  if (index === '-') return { index: '-', rest };
  if (!/^\d+$/.test(index)) throw invalid('patch-path-invalid', 'Chemin de modification invalide.', at);
  return { index: Number(index), rest };
}

function applyJsonOp(labels: CodeableConcept[], op: Json, at: string): CodeableConcept[] {
  const { index, rest } = pointer(op.path, `${at}.path`);
  if (rest.length > 0)
    throw unprocessable(
      'patch-path-unsupported',
      'Modifiez un niveau de confidentialité entier.',
      `${at}.path`,
    );
  const value = op.value;
  switch (op.op) {
    case 'add':
    case 'replace': {
      if (index === undefined) return arrayAt(value, `${at}.value`) as CodeableConcept[];
      const label = objectAt(value, `${at}.value`) as CodeableConcept;
      const next = [...labels];
      if (index === '-') next.push(label);
      else if (index > labels.length || (op.op === 'replace' && index >= labels.length))
        throw unprocessable(
          'patch-index-invalid',
          'Ce niveau de confidentialité n’existe pas.',
          `${at}.path`,
        );
      else next.splice(index, op.op === 'replace' ? 1 : 0, label);
      return next;
    }
    case 'remove':
      if (index === undefined) return [];
      if (index === '-' || index >= labels.length)
        throw unprocessable(
          'patch-index-invalid',
          'Ce niveau de confidentialité n’existe pas.',
          `${at}.path`,
        );
      return labels.filter((_, i) => i !== index);
    case 'test': {
      const actual = index === undefined ? labels : index === '-' ? undefined : labels[index];
      if (JSON.stringify(actual) !== JSON.stringify(value))
        throw unprocessable('patch-test-failed', 'La condition de la modification n’est pas remplie.', at);
      return labels;
    }
    default:
      throw unprocessable(
        'patch-operation-unsupported',
        'Opération de modification non prise en charge.',
        `${at}.op`,
      );
  }
}

/** JSON Patch (RFC 6902, `application/json-patch+json`). */
export function applyJsonPatch(current: readonly CodeableConcept[], body: unknown): CodeableConcept[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw invalid('patch-invalid', 'Le corps d’un PATCH JSON est une liste d’opérations.', 'patch');
  }
  return body.reduce<CodeableConcept[]>(
    (labels, op, i) => applyJsonOp(labels, objectAt(op, `patch[${i}]`), `patch[${i}]`),
    clone([...current]),
  );
}

const labelCode = (label: CodeableConcept) => label.coding?.map((c) => c.code);

/** `DocumentReference.securityLabel[n]` or `...securityLabel.where(coding.code='X')` (or `coding.where(code='X').exists()`). */
function selectLabels(labels: CodeableConcept[], path: string, at: string): number[] {
  const base = 'DocumentReference.securityLabel';
  if (!path.startsWith(base)) throw onlySecurityLabel(at);
  const rest = path.slice(base.length);
  const index = /^\[(\d+)\]$/.exec(rest);
  if (index) return Number(index[1]) < labels.length ? [Number(index[1])] : [];
  const where =
    /^\.where\(coding\.code\s*=\s*'([^']+)'\)$/.exec(rest) ??
    /^\.where\(coding\.where\(code\s*=\s*'([^']+)'\)\.exists\(\)\)$/.exec(rest);
  if (!where) throw unprocessable('patch-path-unsupported', 'Chemin FHIRPath non pris en charge.', at);
  return labels.flatMap((l, i) => (labelCode(l)?.includes(where[1]) ? [i] : []));
}

function partsOf(operation: Json, at: string): Record<string, Json> {
  const parts = arrayAt(operation.part, `${at}.part`).map((p, i) => objectAt(p, `${at}.part[${i}]`));
  return Object.fromEntries(parts.map((p) => [String(p.name), p]));
}

function valueLabel(part: Json | undefined, at: string): CodeableConcept {
  if (isObject(part?.valueCodeableConcept)) return part.valueCodeableConcept as CodeableConcept;
  if (isObject(part?.valueCoding)) return { coding: [part.valueCoding] } as CodeableConcept;
  throw invalid('patch-value-required', 'Un niveau de confidentialité (valueCoding) est attendu.', at);
}

function applyFhirPathOp(labels: CodeableConcept[], operation: Json, at: string): CodeableConcept[] {
  const parts = partsOf(operation, at);
  const type = optionalString(parts.type?.valueCode, `${at}.type`);
  const path = optionalString(parts.path?.valueString, `${at}.path`) ?? '';
  const value = () => valueLabel(parts.value, `${at}.value`);
  switch (type) {
    case 'add':
      if (path !== 'DocumentReference' || parts.name?.valueString !== 'securityLabel')
        throw onlySecurityLabel(`${at}.path`);
      return [...labels, value()];
    case 'insert':
      if (path !== 'DocumentReference.securityLabel') throw onlySecurityLabel(`${at}.path`);
      return [...labels, value()];
    case 'delete': {
      const selected = selectLabels(labels, path, `${at}.path`);
      return labels.filter((_, i) => !selected.includes(i));
    }
    case 'replace': {
      const selected = selectLabels(labels, path, `${at}.path`);
      const label = value();
      return labels.map((l, i) => (selected.includes(i) ? label : l));
    }
    default:
      throw unprocessable(
        'patch-operation-unsupported',
        'Opération de modification non prise en charge.',
        `${at}.type`,
      );
  }
}

/** FHIRPath Patch (a `Parameters` resource of `operation`s). */
export function applyFhirPathPatch(current: readonly CodeableConcept[], body: unknown): CodeableConcept[] {
  const parameters = objectAt(body, 'Parameters');
  if (parameters.resourceType !== 'Parameters') {
    throw invalid('patch-invalid', 'Un PATCH FHIRPath est une ressource Parameters.', 'Parameters');
  }
  const operations = arrayAt(parameters.parameter, 'Parameters.parameter');
  if (operations.length === 0)
    throw invalid('patch-invalid', 'Aucune opération de modification.', 'Parameters.parameter');
  return operations.reduce<CodeableConcept[]>(
    (labels, op, i) => {
      const at = `Parameters.parameter[${i}]`;
      const operation = objectAt(op, at);
      if (operation.name !== 'operation')
        throw invalid('patch-invalid', 'Paramètre « operation » attendu.', `${at}.name`);
      return applyFhirPathOp(labels, operation, at);
    },
    clone([...current]),
  );
}

/** The flags to add and remove so that the document carries what the patched labels say. */
export function confidentialityChange(
  before: readonly ConfidentialityFlag[],
  labels: readonly CodeableConcept[],
  level: ConfidentialityLevel = 'N',
): ConfidentialityChange {
  const { flags: after, level: asked } = readSecurityLabels(labels, 'DocumentReference.securityLabel');
  // The HL7 level is the producer's, set at deposit; PATCH changes only the TRE_A07 visibility flags.
  if (asked !== level) {
    throw new CarnetError(
      'unprocessable',
      'confidentiality-level-immutable',
      'Le niveau de confidentialité (N, R, V) est fixé au dépôt ; seule la visibilité se modifie.',
      'DocumentReference.securityLabel',
    );
  }
  return {
    add: after.filter((f) => !before.includes(f)),
    remove: before.filter((f) => !after.includes(f)),
  };
}
