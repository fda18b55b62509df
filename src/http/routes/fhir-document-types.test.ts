import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentReference, OperationOutcome } from '@medplum/fhirtypes';
import { seedDemo } from '../../demo/index.ts';
import { documentReferenceOf, insConditional } from '../../fhir/mhd-test-bundles.ts';
import type { Ins } from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { makePdf } from '../../record/content/test-files.ts';
import { depositDocuments } from '../../record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { valueSets, valueSetConcepts, type Concept } from '../../terminology/index.ts';

// Acceptance: every code of the official JDV_J07, both editions, is accepted for deposit through
// ITI-105 by a professional allowed to produce it, or refused with a 403 naming the rule — never 422.
const NIR_OID = '1.2.250.1.213.1.4.8';
const RPPS = { doctor: '10001000115', pharmacist: '10001000313' };
const TRE_A05 =
  'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';

/**
 * Types a doctor may not file, whoever else may: the patient's uploads and own expression (EXPPAT_*), the
 * insurer's, the pharmacist's (written out).
 */
const reservedForOthers: Record<string, 'patient' | 'insurer' | 'pharmacist'> = {
  REMB: 'insurer',
  DOCPAT01: 'patient',
  DOCPAT02: 'patient',
  DOCPAT03: 'patient',
  DOCPAT04: 'patient',
  DOCPAT05: 'patient',
  DOCPAT06: 'patient',
  DOCPAT07: 'patient',
  DOCPAT08: 'patient',
  DOCPAT09: 'patient',
  EXPPAT_1: 'patient',
  EXPPAT_2: 'patient',
  EXPPAT_3: 'patient',
  '60593-1': 'pharmacist',
  DISP_AUT: 'pharmacist',
};

describe.each(testDialects)('every JDV_J07 type through ITI-105 on %s', (dialect) => {
  let carnet: TestCarnet;
  let jean: InsuredPerson;
  let pdf: string;
  const tokens: Record<keyof typeof RPPS, string> = { doctor: '', pharmacist: '' };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    pdf = Buffer.from(await makePdf('Document')).toString('base64');
    for (const who of Object.keys(RPPS) as (keyof typeof RPPS)[]) {
      tokens[who] = await issueDevAccessToken(carnet.ctx, { rpps: RPPS[who] });
    }
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  const post = async (who: keyof typeof RPPS, typeCode: string, typeSystem: string) => {
    const body = documentReferenceOf(
      insConditional(NIR_OID, jean.ins),
      { bytes: new Uint8Array(), contentType: 'application/pdf', typeCode, typeSystem, title: typeCode },
      { data: pdf },
    );
    const response = await fetch(`${carnet.url}/fhir/DocumentReference`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as DocumentReference };
  };
  const issueOf = (body: unknown) => ({
    code: (body as OperationOutcome).issue?.[0]?.details?.coding?.[0]?.code,
    text: (body as OperationOutcome).issue?.[0]?.details?.text ?? '',
  });

  it('accepts each of the 123 codes for a professional allowed to file it, else refuses it naming the rule', async () => {
    const concepts = valueSetConcepts('type');
    // Both editions: the 2024 one is a subset of the 2026 one, so every code of either is here.
    expect(valueSets.type.editions.map((e) => e.edition)).toEqual(['2024-09-27', '2026-06-29']);
    expect(concepts).toHaveLength(123);
    const outcomes: { concept: Concept; status: number; code: string | undefined }[] = [];
    for (const concept of concepts) {
      const { status, body } = await post('doctor', concept.code, concept.system);
      if (status === 201) {
        expect(body.type?.coding?.[0], concept.code).toEqual({
          system: concept.system,
          code: concept.code,
          display: concept.display,
        });
        expect(body.category?.[0]?.coding?.[0]?.code, concept.code).toBeTruthy();
        outcomes.push({ concept, status, code: undefined });
      } else {
        const issue = issueOf(body);
        expect(issue.text, concept.code).toMatch(/réservé.*matrice d’habilitation/s);
        outcomes.push({ concept, status, code: issue.code ?? 'none' });
      }
    }
    expect(outcomes.filter((o) => o.status !== 201 && o.status !== 403)).toEqual([]);
    const refused = outcomes.filter((o) => o.code !== undefined);
    expect(refused.every((o) => o.status === 403 && o.code === 'not-producer')).toBe(true);
    expect(refused.map((o) => o.concept.code).sort()).toEqual(Object.keys(reservedForOthers).sort());

    // What the doctor may not file, the one it is reserved to files (the patient's and the insurer's own
    // channels are the record API and the insurer feed, tested there).
    for (const [code, who] of Object.entries(reservedForOthers)) {
      if (who !== 'pharmacist') continue;
      const concept = concepts.find((c) => c.code === code)!;
      expect((await post('pharmacist', code, concept.system)).status, code).toBe(201);
    }
  });

  it('accepts a type code in every spelling of its system and answers in the PDSm one', async () => {
    const spellings: [code: string, systems: string[], canonical: string][] = [
      [
        '18761-7',
        [
          'http://loinc.org',
          'urn:oid:2.16.840.1.113883.6.1',
          '2.16.840.1.113883.6.1',
          'https://mos.esante.gouv.fr/NOS/TRE_A04-Loinc/FHIR/TRE-A04-Loinc',
        ],
        'http://loinc.org',
      ],
      ['PROT_ALD', [TRE_A05, 'urn:oid:1.2.250.1.213.1.1.4.12', '1.2.250.1.213.1.1.4.12'], TRE_A05],
    ];
    for (const [code, systems, canonical] of spellings) {
      for (const system of systems) {
        const { status, body } = await post('doctor', code, system);
        expect(status, `${code} ${system}`).toBe(201);
        expect(body.type?.coding?.[0]?.system).toBe(canonical);
        expect(body.category?.[0]?.coding?.[0]?.system).toBe(TRE_A03);
      }
    }
    // The class follows the ANS correspondence ASS_X04: a note de transfert is a synthesis, an ALD protocol a care plan.
    expect((await post('doctor', '18761-7', 'http://loinc.org')).body.category?.[0]?.coding?.[0]?.code).toBe(
      '11',
    );
    expect((await post('doctor', 'PROT_ALD', TRE_A05)).body.category?.[0]?.coding?.[0]?.code).toBe('44');
  });

  it('refuses the patient’s own expression (EXPPAT_1) to a professional, and still takes it from the patient', async () => {
    const { status, body } = await post('doctor', 'EXPPAT_1', TRE_A05);
    expect(status).toBe(403);
    expect((body as unknown as OperationOutcome).resourceType).toBe('OperationOutcome');
    expect(issueOf(body)).toMatchObject({
      code: 'not-producer',
      text: expect.stringContaining('au patient'),
    });
    const self = { kind: 'patient', patientId: jean.id, ins: jean.ins, actsFor: [jean.id] } as const;
    const [doc] = await depositDocuments(carnet.ctx, self, [
      {
        patientId: jean.id,
        typeCode: 'EXPPAT_1',
        title: 'Mes volontés',
        content: Buffer.from(pdf, 'base64'),
        declaredContentType: 'application/pdf',
      },
    ]);
    expect(doc).toMatchObject({ typeCode: 'EXPPAT_1', author: { kind: 'patient', patientId: jean.id } });
  });

  it('refuses an unknown code, or a known code under another system, as unknown (422)', async () => {
    for (const [code, system] of [
      ['99999-9', 'http://loinc.org'],
      ['PROT_ALD', 'http://loinc.org'],
      ['11488-4', TRE_A05],
    ] as const) {
      const { status, body } = await post('doctor', code, system);
      expect(status, code).toBe(422);
      expect(issueOf(body).code).toBe('type-unknown');
    }
  });
});
