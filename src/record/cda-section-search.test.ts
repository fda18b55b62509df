import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { searchToken } from '../guard/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoPerson, demoProfessional, patientPrincipal, seedDemo } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { cdaSectionTitles } from './cda/index.ts';
import { CDA_EXAMPLES, makePdf } from './content/test-files.ts';
import { depositDocuments, searchDocuments } from './index.ts';

const vsm = readFileSync(path.join(CDA_EXAMPLES, 'VSM_1.4_2022.01.xml'));

describe('the section titles of a structured CDA', () => {
  it('are read at every level of nesting, once each', () => {
    const titles = cdaSectionTitles(vsm);
    // « Pathologie en cours » is a third-level section, « Traitements » a top-level one.
    expect(titles).toEqual(
      expect.arrayContaining(['Pathologie en cours', 'Facteurs de risque', 'Traitements']),
    );
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('are none for a PDF or a CDA that does not parse', async () => {
    expect(cdaSectionTitles(await makePdf('Traitements'))).toEqual([]);
    expect(cdaSectionTitles(Buffer.from('<ClinicalDocument><title>Traitements</title>'))).toEqual([]);
  });
});

describe.each(testDialects)('a record searched by its CDA documents’ section titles (%s)', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let marie: InsuredPerson;

  const titlesFound = async (text: string) =>
    (
      await searchDocuments(ctx, patientPrincipal(marie), {
        patientId: marie.id,
        browse: { text },
        count: 50,
        offset: 0,
      })
    ).documents.map((d) => d.title);

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    marie = await demoPerson(ctx, 'marie');
    const martin = await demoProfessional(ctx, '10001000115');
    await depositDocuments(ctx, martin, [
      {
        patientId: marie.id,
        typeCode: 'SYNTH',
        typeSystem: 'urn:oid:1.2.250.1.213.1.1.4.12',
        title: 'Synthèse médicale',
        content: vsm,
        declaredContentType: 'text/xml',
      },
      {
        patientId: marie.id,
        typeCode: '11488-4',
        title: 'Compte rendu de consultation',
        // Its text says « Traitements » and « Facteurs de risque »: a PDF's content is not indexed.
        content: await makePdf('Traitements. Facteurs de risque.'),
        declaredContentType: 'application/pdf',
      },
    ]);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('finds the VSM by words of its section titles, and not the PDF', async () => {
    expect(await titlesFound('facteurs de risque')).toEqual(['Synthèse médicale']);
    expect(await titlesFound('TRAITEMENTS')).toEqual(['Synthèse médicale']);
    expect(await titlesFound('antécédents chirurgicaux')).toEqual(['Synthèse médicale']);
    expect(await titlesFound('consultation')).toEqual(['Compte rendu de consultation']);
    expect(await titlesFound('traitements consultation')).toEqual([]);
  });

  it('keeps a section title’s words only as the blind index’s keyed digests', async () => {
    const tokens = (
      await ctx.db
        .selectFrom('document_search_tokens')
        .select('token')
        .where('patient_id', '=', marie.id)
        .execute()
    ).map((t) => t.token);
    expect(tokens).toContain(searchToken(ctx.config, marie.id, 'facteurs'));
    expect(tokens).not.toContain('facteurs');
  });
});
