import { randomUUID } from 'node:crypto';
import { MHD_LIST_TYPES_SYSTEM, URI_SYSTEM } from '../src/fhir/document-systems.ts';
import { insSystem, type InsOid } from '../src/identity/index.ts';

export interface BundlePatient {
  readonly ins: string;
  readonly insOid: InsOid;
}

/**
 * ITI-65 "Provide Document Bundle" bodies for one content: SubmissionSet List + DocumentReference + Binary.
 * The base64 of the content is encoded once; each body differs by its identifiers only, so building one costs
 * a string concatenation and the load generator spends its CPU on sending, not on JSON.
 */
export function bundleFactory(content: Buffer, typeCode = '11488-4'): (patient: BundlePatient) => string {
  const data = JSON.stringify(content.toString('base64'));
  return (patient) => {
    const subject = { reference: `Patient?identifier=${insSystem(patient.insOid)}|${patient.ins}` };
    const [list, doc, binary] = [randomUUID(), randomUUID(), randomUUID()];
    const entries = [
      {
        fullUrl: `urn:uuid:${list}`,
        resource: {
          resourceType: 'List',
          status: 'current',
          mode: 'working',
          code: { coding: [{ system: MHD_LIST_TYPES_SYSTEM, code: 'submissionset' }] },
          subject,
          identifier: [{ system: URI_SYSTEM, value: `urn:uuid:${list}`, use: 'official' }],
          date: new Date().toISOString(),
          entry: [{ item: { reference: `urn:uuid:${doc}` } }],
        },
        request: { method: 'POST', url: 'List' },
      },
      {
        fullUrl: `urn:uuid:${doc}`,
        resource: {
          resourceType: 'DocumentReference',
          status: 'current',
          masterIdentifier: { system: URI_SYSTEM, value: `urn:uuid:${doc}` },
          type: { coding: [{ system: 'http://loinc.org', code: typeCode }] },
          subject,
          description: 'Compte rendu de consultation (benchmark)',
          content: [{ attachment: { contentType: 'application/pdf', url: `urn:uuid:${binary}` } }],
        },
        request: { method: 'POST', url: 'DocumentReference' },
      },
    ];
    const head = JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: entries });
    const binaryEntry = `{"fullUrl":"urn:uuid:${binary}","resource":{"resourceType":"Binary","contentType":"application/pdf","data":${data}},"request":{"method":"POST","url":"Binary"}}`;
    return `${head.slice(0, -2)},${binaryEntry}]}`;
  };
}
