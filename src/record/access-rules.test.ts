import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal } from '../access/principal.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { AppContext } from '../app/context.ts';
import { demoPerson, demoProfessional } from '../demo/principals.ts';
import { seedDemo } from '../demo/seed.ts';
import type { InsuredPerson } from '../insured/index.ts';
import type { TestDatabase } from '../storage/test-databases.ts';
import { testDialects } from '../storage/test-databases.ts';
import { makePdf } from './content/test-files.ts';
import {
  accessHistory,
  changeConfidentiality,
  depositDocuments,
  listAuditEntries,
  readDocument,
  searchDocuments,
  type DepositInput,
} from './index.ts';

/** The access rules of the real DMP that an outside review found broken (issue 10), end to end on storage. */
describe.each(testDialects)('access rules on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let pdf: Uint8Array;
  let jean: InsuredPerson;

  const patient = (person: InsuredPerson): PatientPrincipal => ({
    kind: 'patient',
    patientId: person.id,
    ins: person.ins,
    actsFor: [person.id],
  });
  const input = (person: InsuredPerson, extra: Partial<DepositInput> = {}): DepositInput => ({
    patientId: person.id,
    typeCode: '11488-4',
    title: 'Compte rendu de consultation',
    content: pdf,
    declaredContentType: 'application/pdf',
    ...extra,
  });

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    pdf = await makePdf('Compte rendu');
    jean = await demoPerson(ctx, 'jean');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  // Regression (issue 10 item 4): fails on 027241f, before the fix.
  it('keeps the patient’s mask the patient’s: the author lifts only a mask they set', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const [doc] = await depositDocuments(ctx, martin, [input(jean)]);
    await changeConfidentiality(ctx, patient(jean), doc!.id, { add: ['MASQUE_PS'] });
    await expect(
      changeConfidentiality(ctx, martin, doc!.id, { remove: ['MASQUE_PS'] }),
    ).rejects.toMatchObject({ status: 403, code: 'access-patient-mask' });
    expect((await readDocument(ctx, patient(jean), doc!.id)).confidentiality).toContain('MASQUE_PS');
    const lifted = await changeConfidentiality(ctx, patient(jean), doc!.id, { remove: ['MASQUE_PS'] });
    expect(lifted.confidentiality).not.toContain('MASQUE_PS');

    // A mask the author set stays theirs to lift, whether set at deposit or later.
    const [own] = await depositDocuments(ctx, martin, [input(jean, { confidentiality: ['MASQUE_PS'] })]);
    const unmasked = await changeConfidentiality(ctx, martin, own!.id, { remove: ['MASQUE_PS'] });
    expect(unmasked.confidentiality).not.toContain('MASQUE_PS');
    await changeConfidentiality(ctx, martin, own!.id, { add: ['MASQUE_PS'] });
    const again = await changeConfidentiality(ctx, martin, own!.id, { remove: ['MASQUE_PS'] });
    expect(again.confidentiality).not.toContain('MASQUE_PS');
  });

  // Regression (issue 10 item 6): fails on 027241f, before the fix.
  it('names each actor’s real role: a stranger’s refused attempt is never a « Représentant légal »', async () => {
    const marie = await demoPerson(ctx, 'marie');
    const emilie = await demoPerson(ctx, 'emilie');
    const chloe = await demoPerson(ctx, 'chloe');
    const page = { count: 50, offset: 0 };
    await expect(searchDocuments(ctx, patient(marie), { patientId: jean.id, ...page })).rejects.toBeDefined();
    const history = await accessHistory(ctx, patient(jean), jean.id, page);
    const refused = history.entries.find((e) => e.outcome === 'denied' && e.action === 'search');
    expect(refused?.actorName).toBe('Personne non autorisée (autre usager)');
    expect(history.entries.map((e) => e.actorName)).not.toContain('Représentant légal');

    const parent = { ...patient(emilie), actsFor: [emilie.id, chloe.id] };
    await searchDocuments(ctx, parent, { patientId: chloe.id, ...page });
    const { entries } = await listAuditEntries(ctx, parent, chloe.id, page);
    expect(entries.find((e) => e.action === 'search')?.actor.kind).toBe('representative');
  });
});
