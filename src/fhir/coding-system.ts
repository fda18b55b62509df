/**
 * The form in which a submitted code system is kept and compared (format, facility type, practice setting,
 * event codes, designation type). Until the value-set registry (src/terminology) lands, codings are kept as
 * submitted; this is the one place to map every spelling (MOS URL, `urn:oid:`, bare OID) to the canonical one.
 */
export function storedSystem(system: string): string {
  return system.trim();
}
