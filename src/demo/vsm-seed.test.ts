import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { retrieveDocumentContent, searchDocuments } from '../record/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { readVsmContent, vsmTypeCodes } from '../vsm/index.ts';
import { demoProfessional, patientPrincipal } from './principals.ts';
import { seedDemo } from './seed.ts';
import { demoVsms, seedDemoVsms } from './vsm-seed.ts';

describe.each(testDialects)('demo VSMs on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('are written by the GP in the patients’ records, coded, and a second run writes none', async () => {
    expect(await seedDemoVsms(ctx)).toBe(demoVsms.length);
    for (const { ins, content } of demoVsms) {
      const person = (await findInsuredByIns(ctx.db, ins as Ins))!;
      const patient = patientPrincipal(person);
      const { documents } = await searchDocuments(ctx, patient, {
        patientId: person.id,
        typeCodes: vsmTypeCodes,
        count: 10,
        offset: 0,
      });
      expect(documents.map((d) => [d.typeCode, d.author.nationalId])).toEqual([['SYNTH', '810001000115']]);
      const stored = await retrieveDocumentContent(ctx, patient, documents[0]!.id);
      expect(readVsmContent(stored.content.toString('utf8'))).toEqual(content);
    }
    expect(await seedDemoVsms(ctx)).toBe(0);
  });

  it('lets the GP read the records of the patients whose VSM she wrote: by their consent, not by her deposit', async () => {
    const gp = await demoProfessional(ctx, '10001000115'); // Dr Martin, their GP
    for (const { ins } of demoVsms) {
      const person = (await findInsuredByIns(ctx.db, ins as Ins))!;
      const found = await searchDocuments(ctx, gp, { patientId: person.id, count: 10, offset: 0 });
      expect(found.ownDocumentsOnly).toBe(false);
      const consent = await ctx.db
        .selectFrom('audit_events')
        .select('id')
        .where('patient_id', '=', person.id)
        .where('action', '=', 'consent')
        .where('outcome', '=', 'success')
        .execute();
      expect(consent).toHaveLength(1);
    }
  });
});
