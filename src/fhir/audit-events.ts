import type { AuditEvent } from '@medplum/fhirtypes';
import { queryPlace, type AuditEntry } from '../audit/index.ts';
import { toAuditEventResource } from './audit-event-resource.ts';
import type { Config } from '../config/index.ts';
import { openField } from '../storage/index.ts';

/**
 * A trace as a FHIR AuditEvent for a reader the policy already let in (the patient, a representative, an auditor):
 * the query of a search is opened here, since only the server holds the document key that sealed it.
 */
export function auditEventOf(config: Pick<Config, 'documentKey' | 'baseUrl'>, entry: AuditEntry): AuditEvent {
  return toAuditEventResource(entry, config.baseUrl, { query: openedQuery(config, entry) });
}

function openedQuery(config: Pick<Config, 'documentKey'>, entry: AuditEntry): string | undefined {
  const sealed = entry.channel?.sealedQuery;
  if (sealed === undefined) return undefined;
  try {
    return openField(config, entry.chain, queryPlace(entry.id), sealed);
  } catch {
    // An altered row is `carnet audit verify`'s to report; the event is still shown, without its query.
    return undefined;
  }
}
