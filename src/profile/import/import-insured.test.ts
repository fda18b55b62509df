import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { loadConfig } from '../../config/index.ts';
import { fixedClock } from '../../shared/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../../storage/test-databases.ts';
import { importInsured } from './import-insured.ts';
import { adult, child, jsonLines } from './test-people.ts';
import { outgoingEmails } from '../../mail/test-outbox.ts';

describe.each(testDialects)('importInsured on %s', (dialect) => {
  let database: TestDatabase;
  let ctx: AppContext;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({ CARNET_DATA_DIR: database.dataDir });
    ctx = { config, db: database.db, dialect, clock: fixedClock('2026-03-02T09:00:00Z') };
  });
  afterAll(() => database.destroy());

  const outboxTo = async (to: string) => (await outgoingEmails(ctx)).filter((m) => m.recipient === to);
  const patient = (ins: string) =>
    ctx.db.selectFrom('patients').selectAll().where('ins', '=', ins).executeTakeFirstOrThrow();

  it('creates people, e-mails each new one a code, and is idempotent', async () => {
    const people = [adult(1), adult(2, { opposed: true }), adult(3)];
    const first = await importInsured(ctx, jsonLines(people), 'batch.jsonl');
    expect(first).toEqual({ accepted: 3, created: 3, updated: 0, unchanged: 0, rejected: [] });
    expect((await patient(people[1]!.ins)).profile_state).toBe('opposed');
    const mails = await outboxTo('paul1@exemple.fr');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Votre code provisoire Mon espace santé');
    expect(mails[0]!.body_text).toMatch(/code provisoire suivant : [A-HJ-NP-Z2-9]{8}\n/);
    expect(await outboxTo('paul2@exemple.fr')).toHaveLength(0);
    const codes = await ctx.db.selectFrom('activation_codes').selectAll().execute();
    expect(codes).toHaveLength(2);
    expect(mails[0]!.body_text).not.toContain(codes[0]!.code_hash);

    const before = await ctx.db.selectFrom('patients').selectAll().orderBy('ins').execute();
    const again = await importInsured(ctx, jsonLines(people), 'batch.jsonl');
    expect(again).toEqual({ accepted: 3, created: 0, updated: 0, unchanged: 3, rejected: [] });
    expect(await ctx.db.selectFrom('patients').selectAll().orderBy('ins').execute()).toEqual(before);
    expect(await ctx.db.selectFrom('activation_codes').selectAll().execute()).toHaveLength(2);
    const runs = await ctx.db.selectFrom('import_runs').selectAll().orderBy('id').execute();
    expect(runs.map((r) => [r.file_name, r.accepted, r.rejected, r.finished_at !== null])).toEqual([
      ['batch.jsonl', 3, 0, true],
      ['batch.jsonl', 3, 0, true],
    ]);
  });

  it('updates a changed e-mail without touching the profile state', async () => {
    const person = adult(4);
    await importInsured(ctx, jsonLines([person]), 'a.jsonl');
    await ctx.db
      .updateTable('patients')
      .set({ profile_state: 'activated' })
      .where('ins', '=', person.ins)
      .execute();
    const report = await importInsured(ctx, jsonLines([{ ...person, email: 'new4@exemple.fr' }]), 'b.jsonl');
    expect(report).toMatchObject({ updated: 1, created: 0, unchanged: 0 });
    expect(await patient(person.ins)).toMatchObject({ email: 'new4@exemple.fr', profile_state: 'activated' });
    const reopposed = await importInsured(
      ctx,
      jsonLines([{ ...person, email: 'new4@exemple.fr', opposed: true }]),
      'c',
    );
    expect(reopposed.unchanged).toBe(1);
    expect((await patient(person.ins)).profile_state).toBe('activated');
  });

  it('reports every bad line with its number and reason and imports the rest', async () => {
    const good = adult(5);
    const badKey = { ...adult(6), ins: adult(6).ins.slice(0, 13) + '00' };
    const csv = [
      'ins;birth_name;first_names;birth_date;sex;email;vitale_serial;representative_ins',
      `${good.ins};${good.birth_name};Paul;1980-05-14;M;${good.email};${good.vitale_serial};`,
      `${badKey.ins};X;Paul;1980-05-14;M;x@exemple.fr;12345678;`,
      `${adult(7).ins};;Paul;1980-05-14;M;x@exemple.fr;12345678;`,
      `${adult(8).ins};X;Paul;1980-13-14;M;x@exemple.fr;12345678;`,
      `${adult(9).ins};X;Paul;1980-05-14;F;x@exemple.fr;12345678;`,
      `${child(10, good.ins).ins};X;Lucie;2015-06-03;F;;12345678;`,
      `${good.ins};${good.birth_name};Paul;1980-05-14;M;${good.email};${good.vitale_serial};`,
      'too;few',
    ].join('\n');
    const report = await importInsured(ctx, csv, 'bad.csv');
    expect(report.created).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const reasons = report.rejected.map((r) => r.reason);
    expect(reasons[0]).toMatch(/bad INS key/);
    expect(reasons[1]).toBe('missing field birth_name');
    expect(reasons[2]).toMatch(/birth_date "1980-13-14" is not a valid/);
    expect(reasons[3]).toMatch(/sex F is inconsistent/);
    expect(reasons[4]).toBe('minor (born 2015-06-03) without representative_ins');
    expect(reasons[5]).toBe('duplicate INS (first at line 2)');
    expect(reasons[6]).toBe('expected 8 fields, found 2');
    const run = await ctx.db
      .selectFrom('import_runs')
      .selectAll()
      .where('file_name', '=', 'bad.csv')
      .executeTakeFirst();
    expect(run).toMatchObject({ accepted: 1, rejected: 7 });
  });

  it("sends a minor's code to the representative, even one listed later in the file", async () => {
    const parent = adult(11, { email: 'parent11@exemple.fr' });
    const kid = child(12, parent.ins, { email: 'kid12@exemple.fr' });
    const report = await importInsured(ctx, jsonLines([kid, parent]), 'family.jsonl');
    expect(report.created).toBe(2);
    const toParent = await outboxTo('parent11@exemple.fr');
    // One for the parent's own profile, one for the child's.
    expect(toParent).toHaveLength(2);
    expect(toParent.some((m) => /représentant légal de Lucie MARTIN12/.test(m.body_text))).toBe(true);
    expect(await outboxTo('kid12@exemple.fr')).toHaveLength(0);
    const link = await ctx.db.selectFrom('representatives').selectAll().executeTakeFirstOrThrow();
    expect(link.representative_patient_id).toBe((await patient(parent.ins)).id);
  });
});
