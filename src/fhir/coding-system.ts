import { canonicalSystem } from '../terminology/index.ts';

/**
 * The one spelling in which a code system is stored and compared (type, format, facility type, practice setting,
 * event codes, designation type, search tokens): the spelling PDSm uses for a system src/terminology knows (its MOS
 * URL, `urn:oid:` and bare OID are one system); for another, a bare OID becomes its `urn:oid:` form.
 */
export function storedSystem(system: string): string {
  const trimmed = system.trim();
  const oid = /^(?:urn:oid:)?([0-2](?:\.(?:0|[1-9]\d*))+)$/.exec(trimmed)?.[1];
  return canonicalSystem(oid ? `urn:oid:${oid}` : trimmed);
}
