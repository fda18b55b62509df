import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal } from '../access/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { AppContext } from '../app/index.ts';
import { demoPerson, demoProfessional, seedDemo } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { makePdf } from './content/test-files.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';
import {
  accessHistory,
  changeConfidentiality,
  declareConsent,
  depositDocuments,
  endEmergencyAccess,
  listAuditEntries,
  readDocument,
  searchDocuments,
  startEmergencyAccess,
  type DepositInput,
} from './index.ts';

/**
 * The access rules of the real DMP that an outside security review found broken (README, "Security"), end to end on
 * storage.
 */
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

  // Security review regression: fails on 027241f, before the fix.
  it('keeps the patient’s mask the patient’s: the author lifts only a mask they set', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const [doc] = await depositDocuments(ctx, martin, [input(jean)]);
    await changeConfidentiality(ctx, patient(jean), doc!.id, { add: ['MASQUE_PS'] });
    await expect(
      changeConfidentiality(ctx, martin, doc!.id, { remove: ['MASQUE_PS'] }),
    ).rejects.toMatchObject({ status: 403, code: 'patient-mask' });
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

  // Security review regression: fails on 027241f, before the fix.
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

  // Security review regression: fails on 027241f, before the fix.
  it('keeps an emergency access to its one patient: mode, reason and e-mail never reach another record', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const marie = await demoPerson(ctx, 'marie');
    const page = { count: 100, offset: 0 };
    const reason = 'Malaise au cabinet, patient inconscient';
    await startEmergencyAccess(ctx, martin, jean.id, { mode: 'bris-de-glace', reason });
    await searchDocuments(ctx, martin, { patientId: jean.id, ...page });
    // Then Dr Martin works on Marie's record: a deposit, and a search (with or without her consent).
    await depositDocuments(ctx, martin, [input(marie)]);
    await searchDocuments(ctx, martin, { patientId: marie.id, ...page }).catch(() => undefined);

    const asPatient = (person: InsuredPerson) => patient(person);
    const maries = (await listAuditEntries(ctx, asPatient(marie), marie.id, page)).entries.filter(
      (e) => e.actor.id === martin.nationalId,
    );
    expect(maries.length).toBeGreaterThanOrEqual(2);
    for (const entry of maries) expect([entry.accessMode, entry.reason]).toEqual(['normal', undefined]);
    const mails = (await outgoingEmails(ctx)).filter(
      (mail) => mail.patient_id === marie.id && /urgence/.test(mail.subject),
    );
    expect(mails).toHaveLength(0);

    const jeans = (await listAuditEntries(ctx, asPatient(jean), jean.id, page)).entries;
    expect(jeans.find((e) => e.action === 'search' && e.actor.id === martin.nationalId)).toMatchObject({
      accessMode: 'bris-de-glace',
      reason,
    });
    expect(jeans.find((e) => e.action === 'emergency-start')).toMatchObject({ outcome: 'success', reason });
    await endEmergencyAccess(ctx, martin, jean.id);
    await searchDocuments(ctx, martin, { patientId: jean.id, ...page }).catch(() => undefined);
    const [last] = (await listAuditEntries(ctx, asPatient(jean), jean.id, page)).entries.filter(
      (e) => e.action === 'search',
    );
    expect(last?.accessMode).toBe('normal');
  });

  // Security review regression: fails on 027241f, before the fix.
  it('opens the SAMU regulation mode to a regulator only: a dentist is told why not', async () => {
    const dentist = await demoProfessional(ctx, '10001000511');
    const regulator = await demoProfessional(ctx, '10001000818');
    await expect(
      startEmergencyAccess(ctx, dentist, jean.id, { mode: 'centre-de-regulation', reason: undefined }),
    ).rejects.toMatchObject({
      status: 403,
      code: 'not-regulator',
      message: expect.stringContaining('réservé aux médecins régulateurs'),
    });
    const started = await startEmergencyAccess(ctx, regulator, jean.id, {
      mode: 'centre-de-regulation',
      reason: undefined,
    });
    expect(started.mode).toBe('centre-de-regulation');
    await endEmergencyAccess(ctx, regulator, jean.id);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('binds a bearer token’s declared emergency to the one patient each request concerns', async () => {
    const reason = 'Détresse respiratoire';
    const bearer = await demoProfessional(ctx, '10001000214', {
      regulator: false,
      declaredEmergency: { mode: 'bris-de-glace', reason },
    });
    const emilie = await demoPerson(ctx, 'emilie');
    const lea = await demoPerson(ctx, 'lea');
    // Allowed as an emergency (Bernard has no consent from Émilie), and opened on her record only.
    await searchDocuments(ctx, bearer, { patientId: emilie.id, count: 10, offset: 0 });
    const rows = await ctx.db
      .selectFrom('emergency_accesses')
      .select(['patient_id', 'mode', 'reason'])
      .where('professional_national_id', '=', bearer.nationalId)
      .execute();
    expect(rows).toEqual([{ patient_id: emilie.id, mode: 'bris-de-glace', reason }]);
    const leas = (await listAuditEntries(ctx, patient(lea), lea.id, { count: 50, offset: 0 })).entries;
    expect(leas.filter((e) => e.actor.id === bearer.nationalId)).toEqual([]);
    // Where the patient consented (declared in the portal), the same token reads in normal access.
    await declareConsent(ctx, await demoProfessional(ctx, '10001000214'), lea.id);
    await searchDocuments(ctx, bearer, { patientId: lea.id, count: 10, offset: 0 });
    const opened = await ctx.db
      .selectFrom('emergency_accesses')
      .select('patient_id')
      .where('professional_national_id', '=', bearer.nationalId)
      .execute();
    expect(opened.map((r) => r.patient_id)).toEqual([emilie.id]);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('refuses a dentist’s VSM naming the rule, and tells how many documents the matrix hides', async () => {
    const dentist = await demoProfessional(ctx, '10001000511');
    const martin = await demoProfessional(ctx, '10001000115');
    const lea = await demoPerson(ctx, 'lea');
    await expect(depositDocuments(ctx, dentist, [input(lea, { typeCode: '60591-5' })])).rejects.toMatchObject(
      {
        status: 403,
        code: 'not-producer',
        message: expect.stringMatching(/Synthèse médicale.*réservé.*médecin.*matrice d’habilitation/s),
      },
    );
    // Two psychiatric syntheses a dentist may not read, one of them masked by the patient's author.
    const [hidden] = await depositDocuments(ctx, martin, [
      input(lea, { typeCode: '68599-0', title: 'Synthèse psychiatrique' }),
    ]);
    await depositDocuments(ctx, martin, [
      input(lea, { typeCode: '68599-0', title: 'Autre synthèse', confidentiality: ['MASQUE_PS'] }),
    ]);
    await depositDocuments(ctx, martin, [input(lea)]);
    await startEmergencyAccess(ctx, dentist, lea.id, { mode: 'bris-de-glace', reason: 'Hémorragie' });
    const found = await searchDocuments(ctx, dentist, { patientId: lea.id, count: 50, offset: 0 });
    expect(found.documents.map((d) => d.typeCode)).not.toContain('68599-0');
    // Bris de glace shows masked documents (the patient's third opt-in, on by default): both are counted.
    expect(found.hiddenByMatrix).toBe(2);
    await expect(readDocument(ctx, dentist, hidden!.id)).rejects.toMatchObject({
      status: 403,
      code: 'habilitation',
      message: expect.stringContaining('masqué par la matrice d’habilitation'),
    });
    await endEmergencyAccess(ctx, dentist, lea.id);
    // In normal access (consent) the masked one is neither listed nor counted: its existence does not leak.
    await declareConsent(ctx, dentist, lea.id);
    const consented = await searchDocuments(ctx, dentist, { patientId: lea.id, count: 50, offset: 0 });
    expect(consented.hiddenByMatrix).toBe(1);
  });
});
