import type { Communication, Patient, Practitioner, Reference } from '@medplum/fhirtypes';
import type { MessageView } from '../messaging/index.ts';

/** RFC 5322 Message-IDs as FHIR identifiers. */
export const MESSAGE_ID_SYSTEM = 'urn:ietf:rfc:5322';

export interface CommunicationInput {
  /** `<base>/fhir`. */
  readonly fhirBase: string;
  /** Message-ID → Communication id of the patient's messages, to resolve `inResponseTo`. */
  readonly idOfMessageId: ReadonlyMap<string, string>;
}

/** A professional's mailbox as a contained Practitioner: the address is all MSSanté tells about them. */
function practitioner(id: string, address: string, name: string | undefined): Practitioner {
  return {
    resourceType: 'Practitioner',
    id,
    ...(name ? { name: [{ text: name }] } : {}),
    telecom: [{ system: 'email', value: address }],
  };
}

const bracketed = (messageId: string) => (messageId.startsWith('<') ? messageId : `<${messageId}>`);

/** The attachment's download URL under the FHIR base: fetched with the same bearer token. */
export const communicationAttachmentUrl = (fhirBase: string, messageId: string, attachmentId: string) =>
  `${fhirBase}/Communication/${messageId}/attachment/${attachmentId}`;

/**
 * One message of the patient's mailbox as an R4 Communication: the professional is a contained Practitioner
 * (sender of an inbound message, recipient of the patient's reply), the patient is the subject.
 */
export function toCommunication(message: MessageView, input: CommunicationInput): Communication {
  const patient: Reference<Patient> = { reference: `Patient/${message.patientId}` };
  const inbound = message.direction === 'inbound';
  const contained = inbound
    ? [practitioner('sender', message.from.address, message.from.name)]
    : message.to.map((address, i) => practitioner(`recipient-${i + 1}`, address, undefined));
  const answered = message.inReplyTo;
  const answeredId = answered ? input.idOfMessageId.get(answered) : undefined;
  return {
    resourceType: 'Communication',
    id: message.id,
    contained,
    identifier: [{ system: MESSAGE_ID_SYSTEM, value: bracketed(message.messageId) }],
    status: 'completed',
    subject: patient,
    topic: { text: message.subject },
    sent: message.sentAt,
    received: message.receivedAt,
    sender: inbound ? { reference: '#sender', display: message.from.name ?? message.from.address } : patient,
    recipient: inbound ? [patient] : contained.map((p) => ({ reference: `#${p.id}` })),
    ...(answered
      ? {
          inResponseTo: [
            {
              ...(answeredId ? { reference: `Communication/${answeredId}` } : {}),
              identifier: { system: MESSAGE_ID_SYSTEM, value: bracketed(answered) },
            },
          ],
        }
      : {}),
    payload: [
      { contentString: message.text },
      ...message.attachments.map((a) => ({
        contentAttachment: {
          contentType: a.contentType,
          title: a.filename,
          size: a.size,
          url: communicationAttachmentUrl(input.fhirBase, message.id, a.id),
        },
      })),
    ],
  };
}
