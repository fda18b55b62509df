import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProfessional, patientPrincipal } from '../demo/principals.ts';
import type { AppContext } from '../app/context.ts';
import { createTestContext } from '../auth/test-context.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { addProfileEntry, setAreaMasked } from '../medical-profile/index.ts';
import { parseCda } from '../record/cda/index.ts';
import { declareConsent, readDocument, retrieveDocumentContent } from '../record/index.ts';
import type { TestDatabase } from '../storage/test-databases.ts';
import { testDialects } from '../storage/test-databases.ts';
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
      .where('type_code', '=', '60591-5')
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
        code: 'vsm-doctors-only',
      });
      await expect(
        writeVsm(ctx, other, jean.id, content({ allergies: { items: ['Latex'], note: '' } })),
      ).rejects.toMatchObject({ status: 403, code: 'vsm-doctors-only' });
    }
    await expect(vsmDraft(ctx, patient(jean), jean.id)).rejects.toMatchObject({ code: 'vsm-doctors-only' });
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
    expect(first.document).toMatchObject({ typeCode: '60591-5', contentType: 'text/xml', status: 'current' });

    const again = await vsmDraft(ctx, martin, jean.id);
    expect(again.previous).toMatchObject({ documentId: first.document.id, ownDocument: true });
    expect(again.content.allergies.items).toEqual(['Pénicilline <urticaire>']);

    const second = await writeVsm(ctx, martin, jean.id, {
      sections: { ...again.content, therapeuticProject: { items: [], note: 'Bilan lipidique annuel.' } },
    });
    expect([second.versionNumber, second.replacedId]).toEqual([2, first.document.id]);
    expect((await readDocument(ctx, martin, first.document.id)).status).toBe('superseded');
    expect(await currentVsms(jean)).toEqual([{ id: second.document.id }]);

    const [v1, v2] = await Promise.all(
      [first, second].map(async (w) => {
        const { content: bytes } = await retrieveDocumentContent(ctx, martin, w.document.id);
        const cda = parseCda(bytes.toString('utf8'));
        if (cda instanceof Error) throw cda;
        return cda;
      }),
    );
    expect(v2!.header.setId).toBe(v1!.header.setId);
    expect(v2!.header.masterIdentifier).toBe(second.document.masterIdentifier);
    expect(v2!.header.patient).toMatchObject({ ins: jean.ins, insOid: jean.insOid });
    expect(v2!.header.authors[0]?.nationalId).toBe('810001000115');
    expect(readVsmContent(v2!).therapeuticProject.note).toBe('Bilan lipidique annuel.');
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
      ['hospitalisations', { reason: 'Cholécystectomie', startDate: '2019-05-02', endDate: '2019-05-05' }],
      ['lifestyle', { topic: 'tobacco', description: 'Ancienne fumeuse, 10 PA' }],
    ];
    for (const [section, data] of entries) await addProfileEntry(ctx, me, nathalie.id, section, data);
    await setAreaMasked(ctx, me, nathalie.id, 'allergies', true);
    const martin = await pro('10001000115');
    await declareConsent(ctx, martin, nathalie.id);

    const draft = await vsmDraft(ctx, martin, nathalie.id);
    expect(draft.notices).toEqual([]);
    expect(draft.content.activeProblems.items).toEqual(['Diabète de type 2 (depuis le 01/06/2015)']);
    expect(draft.content.personalHistory.items[0]).toBe('Appendicite (jusqu’au 02/04/1990)');
    expect(draft.content.treatments.items).toEqual(['Metformine 1000 mg – 1 cp matin et soir']);
    expect(draft.content.familyHistory.items).toEqual(['Mère : Cancer du sein (à 52 ans)']);
    expect(draft.content.vitalSigns.items).toEqual(['Poids : 78,5 kg (10/01/2026)']);
    expect(draft.content.medicalHistory.items[0]).toMatch(/02\/05\/2019.*Cholécystectomie/);
    expect(draft.content.riskFactors.items).toEqual(['Tabac : Ancienne fumeuse, 10 PA']);
    // The patient masked the allergies: the doctor's draft says so and shows none.
    expect(draft.content.allergies.items).toEqual([]);
    expect(draft.profileUnavailable.map((u) => u.section)).toEqual(['allergies']);

    // The previous VSM comes first; the profile adds only what it does not already say.
    await writeVsm(ctx, martin, nathalie.id, {
      sections: {
        activeProblems: { items: ['diabète de type 2 (depuis le 01/06/2015)', 'HTA'], note: 'Suivi' },
      },
    });
    const next = await vsmDraft(ctx, martin, nathalie.id);
    expect(next.content.activeProblems).toEqual({
      items: ['diabète de type 2 (depuis le 01/06/2015)', 'HTA'],
      note: 'Suivi',
    });
    expect(next.content.treatments.items).toEqual(['Metformine 1000 mg – 1 cp matin et soir']);
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
