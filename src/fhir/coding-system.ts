import { canonicalSystem } from '../terminology/index.ts';

/**
 * The form in which a submitted code system is kept and compared (format, facility type, practice setting,
 * event codes, designation type): the spelling PDSm uses for a system src/terminology knows (MOS URL,
 * `urn:oid:` and bare OID are one system), the submitted one otherwise.
 */
export function storedSystem(system: string): string {
  return canonicalSystem(system.trim());
}
