import { describe, expect, it } from 'vitest';
import type { PatientId } from '../identity/index.ts';
import { type AuditEntry, merkleRoot } from '../audit/index.ts';
import { toAuditEventResource } from './audit-event-resource.ts';

const patientId = '0190a000-0000-7000-8000-000000000001' as PatientId;

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: '0190a000-0000-7000-8000-0000000000aa',
    chain: `patient:${patientId}`,
    seq: 7,
    patientId,
    at: '2025-03-01T08:00:00.000Z',
    actor: { kind: 'professional', id: '810001000115', name: 'Marie CURIE', professionCode: '10' },
    action: 'read',
    targetType: 'DocumentReference',
    targetId: 'doc-1',
    accessMode: 'normal',
    outcome: 'success',
    reason: undefined,
    detail: {},
    channel: undefined,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}

describe('toAuditEventResource', () => {
  it('describes a professional reading a document of the patient', () => {
    const event = toAuditEventResource(entry(), 'https://carnet.test');
    expect(event).toMatchObject({
      resourceType: 'AuditEvent',
      id: entry().id,
      type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110' },
      action: 'R',
      recorded: '2025-03-01T08:00:00.000Z',
      outcome: '0',
      agent: [
        {
          requestor: true,
          who: {
            identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001000115' },
            display: 'Marie CURIE',
          },
        },
      ],
      source: { site: 'https://carnet.test' },
    });
    expect(event.subtype?.[0]).toEqual({ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' });
    expect(event.agent[0]?.role?.[0]?.coding?.[0]?.code).toBe('10');
    expect(event.entity?.map((e) => e.what?.reference)).toEqual([
      'DocumentReference/doc-1',
      `Patient/${patientId}`,
    ]);
    expect(event.purposeOfEvent?.[0]?.coding?.[0]?.code).toBe('TREAT');
  });

  it.each([
    ['search', 'E', 'search-type'],
    ['retrieve', 'R', 'read'],
    ['deposit', 'C', 'create'],
    ['mask', 'U', 'patch'],
    ['block', 'U', 'update'],
    ['delete', 'D', 'delete'],
  ] as const)('maps %s to action %s and interaction %s', (action, fhirAction, interaction) => {
    const event = toAuditEventResource(entry({ action }), 'https://carnet.test');
    expect(event.action).toBe(fhirAction);
    expect(event.subtype?.[0]?.code).toBe(interaction);
    expect(event.subtype?.at(-1)?.code).toBe(action);
  });

  it('marks a bris de glace with BTG and its stated reason, and a refusal as a minor failure', () => {
    const event = toAuditEventResource(
      entry({ accessMode: 'bris-de-glace', reason: 'Patient inconscient', outcome: 'denied' }),
      'https://carnet.test',
    );
    expect(event.purposeOfEvent?.[0]).toMatchObject({
      coding: [{ code: 'BTG' }],
      text: 'Patient inconscient',
    });
    expect(event.extension?.[0]?.valueCode).toBe('bris-de-glace');
    expect(event.outcome).toBe('4');
    const regulation = toAuditEventResource(
      entry({ accessMode: 'centre-de-regulation', outcome: 'error' }),
      '',
    );
    expect(regulation.purposeOfEvent?.[0]?.coding?.[0]?.code).toBe('ETREAT');
    expect(regulation.outcome).toBe('8');
  });

  it('names the patient (or representative) as a Patient reference and carries detail codes', () => {
    const event = toAuditEventResource(
      entry({
        actor: { kind: 'patient', id: patientId, name: undefined, professionCode: undefined },
        accessMode: 'patient',
        action: 'block',
        targetType: 'Professional',
        targetId: '810001000222',
        detail: { blocked: true },
      }),
      'https://carnet.test',
    );
    expect(event.agent[0]?.who).toEqual({ reference: `Patient/${patientId}` });
    expect(event.entity?.[0]).toMatchObject({
      what: { identifier: { value: '810001000222' } },
      detail: [{ type: 'blocked', valueString: 'true' }],
    });
  });

  // Regression: an empty detail (a search without type, say) gave `valueString: ""`, invalid FHIR.
  it('leaves out a detail without a value, as FHIR has no empty strings', () => {
    const event = toAuditEventResource(
      entry({
        targetType: 'Professional',
        targetId: '810001000222',
        detail: { blocked: true, typeCode: '' },
      }),
      'https://carnet.test',
    );
    expect(event.entity?.[0]?.detail).toEqual([{ type: 'blocked', valueString: 'true' }]);
  });
});

describe('merkleRoot', () => {
  const heads = ['a', 'b', 'c', 'd', 'e'].map((chain, i) => ({ chain, seq: i + 1, hash: `${i}`.repeat(64) }));

  it('does not depend on the order the heads come in, and changes with any head', () => {
    const root = merkleRoot(heads);
    expect(merkleRoot([...heads].reverse())).toBe(root);
    expect(merkleRoot(heads.map((h, i) => (i === 3 ? { ...h, seq: 99 } : h)))).not.toBe(root);
    expect(merkleRoot(heads.slice(0, 4))).not.toBe(root);
  });
});
