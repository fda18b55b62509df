import { canonicalTypeSystem } from '../record/document-types.ts';

/**
 * The one spelling of a code system that searches compare with the stored one: a bare OID and its `urn:oid:` form
 * are the same system, and the known aliases of src/record/document-types.ts (LOINC by OID) are folded. The single
 * place where search normalises a system, to be pointed at src/terminology's canonical form when it lands.
 */
export function searchSystem(system: string): string {
  const oid = /^(?:urn:oid:)?([0-2](?:\.(?:0|[1-9]\d*))+)$/.exec(system)?.[1];
  return canonicalTypeSystem(oid ? `urn:oid:${oid}` : system);
}
