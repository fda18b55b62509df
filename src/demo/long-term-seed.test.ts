import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { retrieveDocumentContent, searchDocuments } from '../record/index.ts';
import { pdfTextLines } from '../portability/test-pdf-text.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { LONG_TERM_INS, longTermAuthors, longTermRecord } from './long-term-record.ts';
import { seedDemoLongTermRecord } from './long-term-seed.ts';
import { demoProfessional, patientPrincipal } from './principals.ts';
import { seedDemo } from './seed.ts';

// The whole ten years on SQLite; two on PostgreSQL, where the same path is only slower.
describe.each(testDialects)('the long-term demo record seeded on %s', (dialect) => {
  const options = dialect === 'sqlite' ? {} : { years: 2 };
  let ctx: AppContext;
  let database: TestDatabase;
  let helene: InsuredPerson;
  let planned: number;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    helene = (await findInsuredByIns(ctx.db, LONG_TERM_INS as Ins))!;
    planned = longTermRecord(ctx.clock.now(), options).flatMap((s) => s.documents).length;
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('deposits every planned document through the record, and a second run deposits none', async () => {
    const report = await seedDemoLongTermRecord(ctx, options);
    expect(report.documents).toBe(planned);

    const patient = patientPrincipal(helene);
    const all = await searchDocuments(ctx, patient, { patientId: helene.id, count: 1, offset: 0 });
    expect(all.total).toBe(planned);
    // Deposited as producers do: audited one by one, in submission sets.
    const deposits = await ctx.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('patient_id', '=', helene.id)
      .where('action', '=', 'deposit')
      .where('outcome', '=', 'success')
      .executeTakeFirstOrThrow();
    expect(Number(deposits.n)).toBe(planned);
    const sets = await ctx.db
      .selectFrom('submission_sets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('patient_id', '=', helene.id)
      .executeTakeFirstOrThrow();
    expect(Number(sets.n)).toBe(report.submissions);

    // Each deposited after it was written, over the years, not all today; and she hears of it in one e-mail.
    const dates = await ctx.db
      .selectFrom('documents')
      .select(['deposited_at', 'created_at'])
      .where('patient_id', '=', helene.id)
      .execute();
    expect(dates.every((d) => d.deposited_at >= d.created_at)).toBe(true);
    const years = new Set(dates.map((d) => d.deposited_at.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(dialect === 'sqlite' ? 10 : 2);
    const notices = await ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('patient_id', '=', helene.id)
      .where('kind', '=', 'notice')
      .execute();
    expect(notices).toHaveLength(1);

    expect(await seedDemoLongTermRecord(ctx, options)).toEqual({ documents: 0, submissions: 0 });
  });

  it('lets her GP read the whole record by her consent, and the newest discharge letter opens as a PDF', async () => {
    const gp = await demoProfessional(ctx, longTermAuthors.gp);
    const all = await searchDocuments(ctx, gp, { patientId: helene.id, count: 1, offset: 0 });
    expect(all.ownDocumentsOnly).toBe(false);
    expect(all.total).toBe(planned);
    expect(all.hiddenByMatrix).toBe(0);

    const letters = await searchDocuments(ctx, gp, {
      patientId: helene.id,
      typeCodes: ['11490-0'],
      count: 1,
      offset: 0,
    });
    const letter = letters.documents[0]!;
    expect(letter.title).toMatch(/^Lettre de liaison à la sortie — /);
    expect(letter.author.structureName).toBe('Centre hospitalier de démonstration');
    expect(letter.metadata.facilityType?.code).toBe('SA01');
    expect(letter.metadata.related[0]?.value).toMatch(/^SEJ-/);
    const { content } = await retrieveDocumentContent(ctx, gp, letter.id);
    const [page] = await pdfTextLines(content);
    expect(page![0]).toBe(letter.title);
  });
});
