import { access, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { seedDemo, seedDemoContent } from '../../demo/index.ts';
import { receiveInbound } from '../../messaging/index.ts';
import { professionalMessage } from '../../messaging/test-fixtures.ts';
import { contentFile, createContentStore, type ContentKind } from '../../record/index.ts';
import { makePdf } from '../../record/content/test-files.ts';
import { CarnetError } from '../../shared/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import { runContent } from './content.ts';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe.each(testDialects.filter((d) => d === 'postgres'))('carnet content migrate on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let contents: { kind: ContentKind; patient_id: string; id: string; hash: string }[];

  async function carnet(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runContent(ctx, args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const readAll = (store: 'files' | 'database') =>
    Promise.all(
      contents.map((c) =>
        createContentStore({ ...ctx, dialect: store === 'files' ? 'sqlite' : 'postgres' }, c.kind)
          .get(c.patient_id as never, c.id as never, c.hash)
          .then(
            (bytes) => bytes.toString('base64'),
            (error: unknown) => (error instanceof CarnetError ? error.code : String(error)),
          ),
      ),
    );

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    // An installation of an earlier version: PostgreSQL for the rows, the data folder for the contents.
    const before: AppContext = { ...ctx, dialect: 'sqlite' };
    await seedDemo(before);
    await seedDemoContent(before);
    const raw = await professionalMessage({
      to: '168047505611243@patient.mssante.fr',
      attachments: [{ filename: 'compte-rendu.pdf', content: Buffer.from(await makePdf('Compte rendu')) }],
    });
    await receiveInbound(before, {
      envelopeFrom: 'dr.martin@cabinet.mssante.fr',
      recipients: ['168047505611243@patient.mssante.fr'],
      raw,
    });
    const docs = await ctx.db
      .selectFrom('documents')
      .select(['patient_id', 'id', 'content_hash as hash'])
      .execute();
    const attachments = await ctx.db
      .selectFrom('mss_attachments')
      .select(['patient_id', 'id', 'content_hash as hash'])
      .execute();
    contents = [
      ...docs.map((d) => ({ kind: 'documents' as const, ...d })),
      ...attachments.map((a) => ({ kind: 'messages' as const, ...a })),
    ];
  }, 60_000);
  afterAll(() => database.destroy());

  it('moves the files into PostgreSQL, checked, resumably, and removes them only when asked', async () => {
    const docs = contents.filter((c) => c.kind === 'documents');
    const attachments = contents.filter((c) => c.kind === 'messages');
    expect(docs.length).toBeGreaterThan(0);
    expect(attachments.length).toBe(1);
    const fromFiles = await readAll('files');
    expect(fromFiles.every((b) => b.length > 20)).toBe(true);
    // What a second instance answered before the move: the content is not where it looks.
    expect(new Set(await readAll('database'))).toEqual(new Set(['content-missing']));

    // One file altered on disk: it is not copied, and the run says so.
    const [damaged, ...healthy] = docs;
    const damagedFile = contentFile(ctx.config, 'documents', damaged!.patient_id, damaged!.id);
    const original = await readFile(damagedFile);
    const altered = Buffer.from(original);
    altered[30] = altered[30]! ^ 0x01;
    await writeFile(damagedFile, altered);
    const first = await carnet('migrate');
    expect(first.code).toBe(1);
    expect(first.out).toContain(
      `documents: ${healthy.length} moved, 0 already in the database, 0 missing, 1 unreadable`,
    );
    expect(first.out).toContain(
      'messages: 1 moved, 0 already in the database, 0 missing, 0 unreadable, 0 files removed',
    );
    expect(first.err).toContain('left in place');

    // Repaired, it is moved by the next run; what was moved is not copied again. Files stay.
    await writeFile(damagedFile, original);
    const second = await carnet('migrate');
    expect(second.code).toBe(0);
    expect(second.out).toContain(
      `documents: 1 moved, ${healthy.length} already in the database, 0 missing, 0 unreadable`,
    );
    expect(await readAll('database')).toEqual(fromFiles);
    expect(await exists(damagedFile)).toBe(true);

    const third = await carnet('migrate', '--remove-files');
    expect(third.code).toBe(0);
    expect(third.out).toContain(
      `documents: 0 moved, ${docs.length} already in the database, 0 missing, 0 unreadable, ${docs.length} files removed`,
    );
    expect(await exists(damagedFile)).toBe(false);
    expect(await readAll('database')).toEqual(fromFiles);
    expect(new Set(await readAll('files'))).toEqual(new Set(['content-missing']));
  });

  it('answers a usage error to anything else', async () => {
    expect((await carnet('migrat')).code).toBe(2);
    expect((await carnet('migrate', '--remove')).err).toContain('Usage: carnet content migrate');
  });
});
