import type { Bundle, Communication } from '@medplum/fhirtypes';
import type { PatientPrincipal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import { listCommunications, readAttachment, type MessageView } from '../messaging/index.ts';
import { forbidden, invalid, notFound } from '../shared/index.ts';
import { toCommunication } from './communication.ts';
import type { FhirCall } from './call.ts';
import { offsetPageLinks, readPage } from './paging.ts';
import type { QueryParams } from './search-params.ts';

/** A mailbox is read a page at a time when a whole scan is needed (read by id, `inResponseTo`). */
const SCAN_PAGE = 200;

/** Only the patient (or their representative) reads their messages: a professional's mailbox is elsewhere. */
function patientOf(call: FhirCall): PatientPrincipal {
  if (call.principal.kind !== 'patient')
    throw forbidden('role', 'Les messages d’un patient ne sont lisibles qu’avec un jeton de ce patient.');
  return call.principal;
}

function ownPatient(principal: PatientPrincipal, id: string): PatientId {
  const patientId = principal.actsFor.find((p) => p === id);
  if (!patientId) throw forbidden('not-own-mailbox', 'Ces messages ne sont pas les vôtres.');
  return patientId;
}

/** Every message of the patient's mailbox, newest first. */
async function allMessages(call: FhirCall, principal: PatientPrincipal, patientId: PatientId) {
  const messages: MessageView[] = [];
  for (let offset = 0; ; offset += SCAN_PAGE) {
    const page = await listCommunications(call.ctx, principal, patientId, { offset, count: SCAN_PAGE });
    messages.push(...page.messages);
    if (page.messages.length < SCAN_PAGE || messages.length >= page.total) return messages;
  }
}

/** Message-ID → message id, for `inResponseTo`: scans the mailbox only when a page answers an unseen message. */
async function idsOfMessageIds(
  call: FhirCall,
  principal: PatientPrincipal,
  patientId: PatientId,
  page: readonly MessageView[],
): Promise<Map<string, string>> {
  const ids = new Map(page.map((m) => [m.messageId, m.id]));
  if (page.every((m) => !m.inReplyTo || ids.has(m.inReplyTo))) return ids;
  return new Map((await allMessages(call, principal, patientId)).map((m) => [m.messageId, m.id]));
}

/** `GET Communication?patient=Patient/<id>` (the token's patient when omitted), newest first, `_count`/`_offset`. */
export async function searchCommunications(
  call: FhirCall,
  query: QueryParams,
): Promise<Bundle<Communication>> {
  const principal = patientOf(call);
  const asked = query.patient ?? query.subject;
  if (asked !== undefined && typeof asked !== 'string')
    throw invalid('search-parameter-repeated', 'Le paramètre « patient » ne peut être donné qu’une fois.');
  const patientId = ownPatient(principal, asked ? asked.replace(/^.*Patient\//, '') : principal.patientId);
  const page = readPage(query._count, query._offset);
  const { count, offset } = page;
  const { total, messages } = await listCommunications(call.ctx, principal, patientId, { offset, count });
  const idOfMessageId = await idsOfMessageIds(call, principal, patientId, messages);
  const url = (at: number) =>
    `${call.fhirBase}/Communication?patient=Patient/${patientId}&_count=${count}&_offset=${at}`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: offsetPageLinks(url, page, total),
    entry: messages.map((m) => ({
      fullUrl: `${call.fhirBase}/Communication/${m.id}`,
      resource: toCommunication(m, { fhirBase: call.fhirBase, idOfMessageId }),
      search: { mode: 'match' },
    })),
  };
}

const communicationNotFound = () => notFound('communication-not-found', 'Ce message est introuvable.');

/** The message `id` in one of the mailboxes the patient token may read. */
async function findMessage(call: FhirCall, principal: PatientPrincipal, id: string) {
  for (const patientId of principal.actsFor) {
    const messages = await allMessages(call, principal, patientId);
    const message = messages.find((m) => m.id === id);
    if (message) return { message, messages };
  }
  throw communicationNotFound();
}

/** `GET Communication/<id>`. */
export async function readCommunication(call: FhirCall, id: string): Promise<Communication> {
  const principal = patientOf(call);
  const { message, messages } = await findMessage(call, principal, id);
  const idOfMessageId = new Map(messages.map((m) => [m.messageId, m.id]));
  return toCommunication(message, { fhirBase: call.fhirBase, idOfMessageId });
}

/** The bytes of one attachment of a Communication (its `payload.contentAttachment.url`). */
export async function communicationAttachment(
  call: FhirCall,
  id: string,
  attachmentId: string,
): Promise<{ filename: string; contentType: string; content: Buffer }> {
  const principal = patientOf(call);
  const { message } = await findMessage(call, principal, id);
  if (!message.attachments.some((a) => a.id === attachmentId)) throw communicationNotFound();
  return readAttachment(call.ctx, principal, message.patientId, attachmentId);
}
