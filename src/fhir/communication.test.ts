import { describe, expect, it } from 'vitest';
import type { PatientId } from '../identity/index.ts';
import type { MessageView } from '../messaging/index.ts';
import { toCommunication } from './communication.ts';

const patientId = '0190a000-0000-7000-8000-000000000001' as PatientId;
const fhirBase = 'https://carnet.test/fhir';

const inbound: MessageView = {
  id: 'm-1',
  patientId,
  threadId: 't-1',
  messageId: 'abc@cabinet.mssante.fr',
  inReplyTo: undefined,
  direction: 'inbound',
  from: { address: 'dr.martin@cabinet.mssante.fr', name: 'Dr Claire Martin' },
  to: ['168047505611243@patient.mssante.fr'],
  cc: [],
  subject: 'Résultats de votre prise de sang',
  text: 'Bonjour, vos résultats sont normaux.',
  sentAt: '2026-03-02T09:00:00.000Z',
  receivedAt: '2026-03-02T09:00:02.000Z',
  readAt: undefined,
  mssHeaders: {},
  attachments: [
    {
      id: 'a-1',
      filename: 'resultats.pdf',
      contentType: 'application/pdf',
      kind: 'pdf',
      viewable: true,
      size: 1234,
      fromXdm: undefined,
      filedDocumentId: undefined,
    },
  ],
};

const reply: MessageView = {
  ...inbound,
  id: 'm-2',
  messageId: '<def@patient.mssante.fr>',
  inReplyTo: 'abc@cabinet.mssante.fr',
  direction: 'outbound',
  from: { address: '168047505611243@patient.mssante.fr', name: undefined },
  to: ['dr.martin@cabinet.mssante.fr'],
  subject: 'Re: Résultats de votre prise de sang',
  text: 'Merci docteur.',
  attachments: [],
};

describe('toCommunication', () => {
  const ids = new Map([
    [inbound.messageId, inbound.id],
    [reply.messageId, reply.id],
  ]);

  it('shows a professional’s message as sent by a contained Practitioner to the patient', () => {
    const c = toCommunication(inbound, { fhirBase, idOfMessageId: ids });
    expect(c).toMatchObject({
      resourceType: 'Communication',
      id: 'm-1',
      status: 'completed',
      subject: { reference: `Patient/${patientId}` },
      recipient: [{ reference: `Patient/${patientId}` }],
      sender: { reference: '#sender' },
      sent: '2026-03-02T09:00:00.000Z',
      received: '2026-03-02T09:00:02.000Z',
      topic: { text: 'Résultats de votre prise de sang' },
      identifier: [{ system: 'urn:ietf:rfc:5322', value: '<abc@cabinet.mssante.fr>' }],
    });
    expect(c.contained).toEqual([
      {
        resourceType: 'Practitioner',
        id: 'sender',
        name: [{ text: 'Dr Claire Martin' }],
        telecom: [{ system: 'email', value: 'dr.martin@cabinet.mssante.fr' }],
      },
    ]);
    expect(c.inResponseTo).toBeUndefined();
  });

  it('carries the text and a download URL per attachment', () => {
    const c = toCommunication(inbound, { fhirBase, idOfMessageId: ids });
    expect(c.payload).toEqual([
      { contentString: 'Bonjour, vos résultats sont normaux.' },
      {
        contentAttachment: {
          contentType: 'application/pdf',
          title: 'resultats.pdf',
          size: 1234,
          url: `${fhirBase}/Communication/m-1/attachment/a-1`,
        },
      },
    ]);
  });

  it('shows the patient’s reply as sent by the patient, answering the message it replies to', () => {
    const c = toCommunication(reply, { fhirBase, idOfMessageId: ids });
    expect(c.sender).toEqual({ reference: `Patient/${patientId}` });
    expect(c.recipient).toEqual([{ reference: '#recipient-1' }]);
    expect(c.contained?.[0]).toMatchObject({ telecom: [{ value: 'dr.martin@cabinet.mssante.fr' }] });
    expect(c.inResponseTo).toEqual([
      {
        reference: 'Communication/m-1',
        identifier: { system: 'urn:ietf:rfc:5322', value: '<abc@cabinet.mssante.fr>' },
      },
    ]);
  });

  it('still names an answered message it does not hold, by its Message-ID', () => {
    const c = toCommunication(reply, { fhirBase, idOfMessageId: new Map() });
    expect(c.inResponseTo).toEqual([
      { identifier: { system: 'urn:ietf:rfc:5322', value: '<abc@cabinet.mssante.fr>' } },
    ]);
  });
});
