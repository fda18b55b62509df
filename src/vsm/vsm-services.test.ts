import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProfessional, patientPrincipal, seedDemo } from '../demo/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { addProfileEntry, setAreaMasked } from '../medical-profile/index.ts';
import { parseCda, declareConsent, readDocument, retrieveDocumentContent } from '../record/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { emptyVsmContent, type VsmContent } from './model.ts';
import { readVsmContent } from './reader.ts';
import { vsmDraft, writeVsm } from './services.ts';

describe.each(testDialects)('VSM services on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let jean: InsuredPerson;
  let nathalie: InsuredPerson;

  const pro = (rpps: string) => demoProfessional(ctx, rpps);
  const patient = (person: InsuredPerson) => patientPrincipal(person);
  const content = (extra: Partial<VsmContent>): VsmContent => ({ ...emptyVsmContent(), ...extra });
  /** Straight from the table: the check must not depend on the doctor's right to search. */
  const currentVsms = async (person: InsuredPerson) =>
    ctx.db
      .selectFrom('documents')
      .select('id')
      .where('patient_id', '=', person.id)
      .where('type_code', '=', 'SYNTH')
      .where('status', '=', 'current')
      .execute();

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    jean = (await findInsuredByIns(ctx.db, '168047505611243' as Ins))!;
    nathalie = (await findInsuredByIns(ctx.db, '274067654007661' as Ins))!;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('refuses every professional but a doctor, for the draft and the deposit', async () => {
    for (const rpps of ['10001000214', '10001000313']) {
      const other = await pro(rpps);
      await expect(vsmDraft(ctx, other, jean.id)).rejects.toMatchObject({
        status: 403,
        code: 'role',
      });
      await expect(
        writeVsm(ctx, other, jean.id, content({ allergies: { items: [{ text: 'Latex' }], note: '' } })),
      ).rejects.toMatchObject({ status: 403, code: 'role' });
    }
    await expect(vsmDraft(ctx, patient(jean), jean.id)).rejects.toMatchObject({ code: 'role' });
    expect(await currentVsms(jean)).toEqual([]);
  });

  it('deposits a CDA VSM, then replaces it with the next version of the same set', async () => {
    const martin = await pro('10001000115');
    const draft = await vsmDraft(ctx, martin, jean.id);
    // Without consent the draft opens empty, with the reason; the deposit needs no consent.
    expect(draft.previous).toBeNull();
    expect(draft.notices[0]).toMatch(/consentement/);
    await expect(writeVsm(ctx, martin, jean.id, { sections: {} })).rejects.toMatchObject({
      code: 'vsm-empty',
    });

    const first = await writeVsm(ctx, martin, jean.id, {
      sections: { allergies: { items: ['Pénicilline <urticaire>'], note: '' } },
    });
    expect([first.versionNumber, first.replacedId]).toEqual([1, null]);
    expect(first.document).toMatchObject({ typeCode: 'SYNTH', contentType: 'text/xml', status: 'current' });

    const again = await vsmDraft(ctx, martin, jean.id);
    expect(again.previous).toMatchObject({ documentId: first.document.id, ownDocument: true });
    expect(again.content.allergies.items).toEqual([{ text: 'Pénicilline <urticaire>' }]);

    const second = await writeVsm(ctx, martin, jean.id, {
      sections: { ...again.content, therapeuticProject: { items: [], note: 'Bilan lipidique annuel.' } },
    });
    expect([second.versionNumber, second.replacedId]).toEqual([2, first.document.id]);
    expect((await readDocument(ctx, martin, first.document.id)).status).toBe('superseded');
    expect(await currentVsms(jean)).toEqual([{ id: second.document.id }]);

    const [xml1, xml2] = await Promise.all(
      [first, second].map(async (w) =>
        (await retrieveDocumentContent(ctx, martin, w.document.id)).content.toString('utf8'),
      ),
    );
    const [v1, v2] = [xml1!, xml2!].map((xml) => {
      const cda = parseCda(xml);
      if (cda instanceof Error) throw cda;
      return cda;
    });
    expect(v2!.header.setId).toBe(v1!.header.setId);
    expect(v2!.header.masterIdentifier).toBe(second.document.masterIdentifier);
    expect(v2!.header.patient).toMatchObject({ ins: jean.ins, insOid: jean.insOid });
    expect(v2!.header.authors[0]?.nationalId).toBe('810001000115');
    expect(readVsmContent(xml2!).therapeuticProject.note).toBe('Bilan lipidique annuel.');
  });

  it('prefills from the profile as the doctor may read it, masked sections left out and named', async () => {
    const me = patient(nathalie);
    const entries: [Parameters<typeof addProfileEntry>[3], unknown][] = [
      ['conditions', { label: 'Diabète de type 2', since: '2015-06-01' }],
      ['conditions', { label: 'Appendicite', resolvedOn: '1990-04-02' }],
      ['treatments', { medication: 'Metformine 1000 mg', dosage: '1 cp matin et soir' }],
      ['treatments', { medication: 'Amoxicilline', startDate: '2020-01-01', endDate: '2020-01-08' }],
      ['allergies', { substance: 'Pénicilline', category: 'medication', severity: 'severe' }],
      ['family-history', { relation: 'mother', condition: 'Cancer du sein', ageAtOnset: 52 }],
      ['measurements', { kind: 'weight', value: 80, unit: 'kg', at: '2025-01-10T09:00:00Z' }],
      ['measurements', { kind: 'weight', value: 78.5, unit: 'kg', at: '2026-01-10T09:00:00Z' }],
      ['measurements', { kind: 'blood-pressure', value: 131, value2: 82, at: '2026-01-10T09:00:00Z' }],
      ['hospitalisations', { reason: 'Cholécystectomie', startDate: '2019-05-02', endDate: '2019-05-05' }],
      ['lifestyle', { topic: 'tobacco', description: 'Ancienne fumeuse, 10 PA' }],
    ];
    for (const [section, data] of entries) await addProfileEntry(ctx, me, nathalie.id, section, data);
    await setAreaMasked(ctx, me, nathalie.id, 'allergies', true);
    const martin = await pro('10001000115');
    await declareConsent(ctx, martin, nathalie.id);

    const draft = await vsmDraft(ctx, martin, nathalie.id);
    expect(draft.notices).toEqual([]);
    expect(draft.content.activeProblems.items).toEqual([{ text: 'Diabète de type 2', start: '2015-06-01' }]);
    expect(draft.content.personalHistory.items[0]).toEqual({ text: 'Appendicite', end: '1990-04-02' });
    expect(draft.content.treatments.items).toEqual([
      { text: 'Metformine 1000 mg', dosage: '1 cp matin et soir' },
    ]);
    expect(draft.content.familyHistory.items).toEqual([
      { text: 'Mère : Cancer du sein (à 52 ans)', relative: 'mother' },
    ]);
    // The latest measurement of each kind, in LOINC and UCUM; a blood pressure is its two readings.
    const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text);
    expect([...draft.content.vitalSigns.items].sort(byText)).toEqual([
      {
        text: 'Poids : 78,5 kg (10/01/2026)',
        code: { system: 'LOINC', code: '29463-7', display: 'Poids' },
        value: { quantity: 78.5, unit: 'kg' },
        start: '2026-01-10',
      },
      {
        text: 'Pression artérielle diastolique : 82 mmHg (10/01/2026)',
        code: { system: 'LOINC', code: '8462-4', display: 'Pression artérielle diastolique' },
        value: { quantity: 82, unit: 'mm[Hg]' },
        start: '2026-01-10',
      },
      {
        text: 'Pression artérielle systolique : 131 mmHg (10/01/2026)',
        code: { system: 'LOINC', code: '8480-6', display: 'Pression artérielle systolique' },
        value: { quantity: 131, unit: 'mm[Hg]' },
        start: '2026-01-10',
      },
    ]);
    expect(draft.content.medicalHistory.items[0]).toEqual({
      text: 'Hospitalisation du 02/05/2019 au 05/05/2019 : Cholécystectomie',
      start: '2019-05-02',
    });
    expect(draft.content.riskFactors.items).toEqual([
      {
        text: 'Tabac : Ancienne fumeuse, 10 PA',
        code: { system: 'LOINC', code: '72166-2', display: 'Statut tabagique' },
        value: { text: 'Ancienne fumeuse, 10 PA' },
      },
    ]);
    // The patient masked the allergies: the doctor's draft says so and shows none.
    expect(draft.content.allergies.items).toEqual([]);
    expect(draft.profileUnavailable.map((u) => u.section)).toEqual(['allergies']);

    // The previous VSM comes first; the profile adds only what it does not already say.
    await writeVsm(ctx, martin, nathalie.id, {
      sections: {
        activeProblems: {
          items: [
            {
              text: 'diabète de type 2',
              code: { system: 'CIM-10', code: 'E11.9', display: 'Diabète sucré de type 2' },
            },
            'HTA',
          ],
          note: 'Suivi',
        },
        vitalSigns: {
          items: [{ text: 'Poids 79 kg', code: { system: 'LOINC', code: '29463-7', display: 'Poids' } }],
        },
      },
    });
    const next = await vsmDraft(ctx, martin, nathalie.id);
    expect(next.content.activeProblems).toEqual({
      items: [
        {
          text: 'diabète de type 2',
          code: { system: 'CIM-10', code: 'E11.9', display: 'Diabète sucré de type 2' },
        },
        { text: 'HTA' },
      ],
      note: 'Suivi',
    });
    // Same code as the previous VSM's weight: the profile's is not added again.
    expect(next.content.vitalSigns.items.map((i) => i.text).sort()).toEqual([
      'Poids 79 kg',
      'Pression artérielle diastolique : 82 mmHg (10/01/2026)',
      'Pression artérielle systolique : 131 mmHg (10/01/2026)',
    ]);
    expect(next.content.treatments.items).toEqual([
      { text: 'Metformine 1000 mg', dosage: '1 cp matin et soir' },
    ]);
  });

  it('starts from another doctor’s VSM but replaces only the doctor’s own', async () => {
    const other = await pro('10001000818'); // the hospital cardiologist
    await declareConsent(ctx, other, nathalie.id);
    const draft = await vsmDraft(ctx, other, nathalie.id);
    expect(draft.previous).toMatchObject({ ownDocument: false, authorName: expect.stringMatching(/MARTIN/) });
    const written = await writeVsm(ctx, other, nathalie.id, { sections: draft.content });
    expect(written.replacedId).toBeNull();
    expect((await currentVsms(nathalie)).length).toBe(2);
  });
});
