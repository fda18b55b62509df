import { CarnetError, invalid } from '../shared/index.ts';

/** Small readers of untrusted JSON, each failing with the FHIRPath of what is wrong. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function objectAt(value: unknown, path: string): Json {
  if (!isObject(value)) throw invalid('resource-invalid', 'La ressource est mal formée.', path);
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid('resource-invalid', 'Une valeur texte est attendue.', path);
  return value;
}

export function arrayAt(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('resource-invalid', 'Une liste est attendue.', path);
  return value;
}

export function expectResourceType(resource: Json, type: string, path: string): void {
  if (resource.resourceType !== type) {
    throw invalid('resource-type-invalid', `Une ressource ${type} est attendue.`, `${path}.resourceType`);
  }
}

/** Strict base64 (FHIR `base64Binary`); Node's decoder would silently skip garbage. */
export function base64Bytes(value: unknown, path: string): Uint8Array {
  if (typeof value === 'string' && value.length % 4 === 0) {
    // The usual case, canonical base64 without whitespace, is checked by encoding back: cheaper than the
    // patterns below on a content of megabytes. Anything else takes the full check.
    const bytes = Buffer.from(value, 'base64');
    if (bytes.toString('base64') === value) return bytes;
  }
  const text = typeof value === 'string' ? value.replace(/\s+/g, '') : undefined;
  if (text === undefined || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw invalid('base64-invalid', 'Le contenu n’est pas un encodage base64 valide.', path);
  }
  return Buffer.from(text, 'base64');
}

export const unprocessable = (code: string, message: string, expression: string) =>
  new CarnetError('unprocessable', code, message, expression);
