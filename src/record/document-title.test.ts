import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal } from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoProfessional, seedDemo } from '../demo/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { dumpEveryTable } from '../storage/test-dump.ts';
import { makePdf } from './content/test-files.ts';
import { accessHistory, depositDocuments, readDocument, searchDocuments } from './index.ts';

const TITLE = 'Sérologie VIH de contrôle';

describe.each(testDialects)('document titles at rest on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let jean: InsuredPerson;
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    jean = (await findInsuredByIns(ctx.db, '168047505611243' as Ins))!;
  });
  afterAll(() => database?.destroy());

  const self = (): PatientPrincipal => ({
    kind: 'patient',
    patientId: jean.id,
    ins: jean.ins,
    actsFor: [jean.id],
  });

  // Security review regression: fails on 027241f, before the fix.
  it('keeps a deposited title out of every table, and still shows it to those who may read it', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const content = await makePdf('Résultat');
    const [doc] = await depositDocuments(ctx, martin, [
      {
        patientId: jean.id,
        typeCode: '11502-2',
        title: TITLE,
        content,
        declaredContentType: 'application/pdf',
      },
    ]);
    const dump = await dumpEveryTable(ctx.db, dialect);
    // Phrases with a space or an accent: sealed columns are base64, where three random letters like "VIH" turn up
    // by chance in a large dump; these cannot.
    expect(dump).not.toContain('VIH de contrôle');
    expect(dump).not.toContain('Sérologie');

    const found = await searchDocuments(ctx, martin, { patientId: jean.id, count: 10, offset: 0 });
    expect(found.documents.map((d) => d.title)).toContain(TITLE);
    expect((await readDocument(ctx, self(), doc!.id)).title).toBe(TITLE);
    const history = await accessHistory(ctx, self(), jean.id, { count: 50, offset: 0 });
    expect(history.entries.map((e) => e.documentTitle)).toContain(TITLE);
  });

  it('does not open a sealed title copied onto another document', async () => {
    const martin = await demoProfessional(ctx, '10001000115');
    const content = await makePdf('Autre');
    const deposit = (title: string) =>
      depositDocuments(ctx, martin, [
        { patientId: jean.id, typeCode: '11488-4', title, content, declaredContentType: 'application/pdf' },
      ]);
    const [secret] = await deposit('Consultation psychiatrie');
    const [plain] = await deposit('Consultation');
    const { sealed_title } = await ctx.db
      .selectFrom('documents')
      .select('sealed_title')
      .where('id', '=', secret!.id)
      .executeTakeFirstOrThrow();
    await ctx.db.updateTable('documents').set({ sealed_title }).where('id', '=', plain!.id).execute();
    await expect(readDocument(ctx, self(), plain!.id)).rejects.toMatchObject({ code: 'content-corrupt' });
  });
});
