import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/index.ts';
import type { PatientId } from '../identity/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { appendAudit, listPatientAudit, verifyAuditChains, type AuditInput } from './index.ts';
import { entryHash } from './hash.ts';
import { doctor, patient } from './test-fixtures.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/carnet.js');

/** The real `carnet audit verify` against the test database. */
async function carnetAuditVerifyProcess(db: TestDatabase) {
  return run(process.execPath, [bin, 'audit', 'verify'], {
    env: {
      PATH: process.env.PATH,
      CARNET_DATA_DIR: db.dataDir,
      ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    },
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

/**
 * The same `carnet audit verify` (the `main` bin/carnet.js calls, with the same two variables) in this process: a
 * process spends 2 s loading the sources through tsx, and one tampering per dialect already goes through it.
 */
async function carnetAuditVerifyInProcess(db: TestDatabase) {
  const lines: string[] = [];
  vi.stubEnv('CARNET_DATA_DIR', db.dataDir);
  vi.stubEnv('DATABASE_URL', db.databaseUrl ?? '');
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    const code = await main(['audit', 'verify']);
    return { code, stdout: lines.map((line) => `${line}\n`).join('') };
  } finally {
    log.mockRestore();
    vi.unstubAllEnvs();
  }
}

const alice = '0190a000-0000-7000-8000-000000000001' as PatientId;
const bob = '0190a000-0000-7000-8000-000000000002' as PatientId;
const t0 = new Date('2025-03-01T08:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function read(patientId: PatientId | undefined, documentId: string): AuditInput {
  return {
    patientId,
    actor: doctor(),
    action: 'read',
    targetType: 'DocumentReference',
    targetId: documentId,
    accessMode: 'normal',
    outcome: 'success',
  };
}

/** Alice: 5 entries, Bob: 2, system: 1. */
async function buildChains(db: TestDatabase) {
  for (let i = 1; i <= 5; i++) await appendAudit(db.db, read(alice, `doc-a${i}`), at(i));
  await appendAudit(db.db, read(bob, 'doc-b1'), at(6));
  await appendAudit(db.db, { ...read(bob, 'doc-b2'), actor: patient(bob), accessMode: 'patient' }, at(7));
  await appendAudit(
    db.db,
    { ...read(undefined, 'x'), actor: { kind: 'system' }, accessMode: 'system' },
    at(8),
  );
}

const aliceChain = `patient:${alice}`;

describe.each(testDialects)('audit chains on %s', (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
  });
  afterEach(() => db.destroy());

  it('chains each patient separately and verifies them, with a root that follows every append', async () => {
    await buildChains(db);
    const result = await verifyAuditChains(db.db);
    expect(result).toMatchObject({ chains: 3, entries: 8, problems: [] });
    expect(result.root).toMatch(/^[0-9a-f]{64}$/);
    const rows = await db.db
      .selectFrom('audit_events')
      .selectAll()
      .where('chain', '=', aliceChain)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    await appendAudit(db.db, read(bob, 'doc-b3'), at(9));
    expect((await verifyAuditChains(db.db)).root).not.toBe(result.root);
  });

  it('writes a trace only if the caller’s transaction commits', async () => {
    await buildChains(db);
    await expect(
      db.db.transaction().execute(async (trx) => {
        await appendAudit(trx, read(alice, 'doc-rolled-back'), at(10));
        throw new Error('deposit failed');
      }),
    ).rejects.toThrow('deposit failed');
    await appendAudit(db.db, read(alice, 'doc-a6'), at(11));
    expect(await verifyAuditChains(db.db)).toMatchObject({ entries: 9, problems: [] });
    const { entries } = await listPatientAudit(db.db, alice, { count: 10, offset: 0 });
    expect(entries.map((e) => e.targetId)).not.toContain('doc-rolled-back');
  });

  it('lists a patient’s traces newest first, paged, with the emergency reason and detail', async () => {
    await buildChains(db);
    await db.db
      .insertInto('emergency_accesses')
      .values({
        id: 'emergency-1',
        patient_id: alice,
        professional_national_id: doctor().nationalId,
        mode: 'bris-de-glace',
        reason: 'Patient inconscient aux urgences',
        started_at: at(19).toISOString(),
        ends_at: at(60).toISOString(),
        ended_at: null,
      })
      .execute();
    await appendAudit(db.db, { ...read(alice, 'doc-a9'), detail: { typeCode: '11488-4' } }, at(20));
    const first = await listPatientAudit(db.db, alice, { count: 2, offset: 0 });
    expect(first.total).toBe(6);
    expect(first.entries.map((e) => e.targetId)).toEqual(['doc-a9', 'doc-a5']);
    expect(first.entries[0]).toMatchObject({
      reason: 'Patient inconscient aux urgences',
      detail: { typeCode: '11488-4' },
      accessMode: 'bris-de-glace',
      actor: { kind: 'professional', id: '810001000115', name: 'Dr Marie CURIE', professionCode: '10' },
    });
    const last = await listPatientAudit(db.db, alice, { count: 2, offset: 4 });
    expect(last.entries.map((e) => e.targetId)).toEqual(['doc-a2', 'doc-a1']);
    expect((await listPatientAudit(db.db, bob, { count: 10, offset: 0 })).total).toBe(2);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('writes a professional’s emergency mode and reason only into the trail of the patient it concerns', async () => {
    await db.db
      .insertInto('emergency_accesses')
      .values({
        id: 'emergency-2',
        patient_id: alice,
        professional_national_id: doctor().nationalId,
        mode: 'bris-de-glace',
        reason: 'Patient inconscient aux urgences',
        started_at: at(0).toISOString(),
        ends_at: at(240).toISOString(),
        ended_at: null,
      })
      .execute();
    // Whatever the caller claims, Bob's trace is a normal access; Alice's carries her emergency, until it ends.
    const claimed = { accessMode: 'bris-de-glace', reason: 'Patient inconscient aux urgences' } as const;
    await appendAudit(db.db, { ...read(bob, 'doc-b1'), ...claimed }, at(1));
    await appendAudit(db.db, read(alice, 'doc-a1'), at(2));
    await appendAudit(db.db, read(alice, 'doc-a2'), at(241));
    const [bobs] = (await listPatientAudit(db.db, bob, { count: 10, offset: 0 })).entries;
    expect(bobs).toMatchObject({ accessMode: 'normal', reason: undefined });
    const alices = (await listPatientAudit(db.db, alice, { count: 10, offset: 0 })).entries;
    expect(alices.map((e) => [e.targetId, e.accessMode, e.reason])).toEqual([
      ['doc-a2', 'normal', undefined],
      ['doc-a1', 'bris-de-glace', 'Patient inconscient aux urgences'],
    ]);
  });

  const tampering: Array<[string, (db: TestDatabase) => Promise<void>, { kind: string; seq: number }]> = [
    [
      'a changed field',
      (d) =>
        d.db
          .updateTable('audit_events')
          .set({ actor_id: '810009999999' })
          .where('chain', '=', aliceChain)
          .where('seq', '=', 3)
          .execute()
          .then(() => undefined),
      { kind: 'hash-mismatch', seq: 3 },
    ],
    [
      'a deleted middle entry',
      (d) =>
        d.db
          .deleteFrom('audit_events')
          .where('chain', '=', aliceChain)
          .where('seq', '=', 3)
          .execute()
          .then(() => undefined),
      { kind: 'seq-gap', seq: 4 },
    ],
    [
      'a deleted last entry',
      (d) =>
        d.db
          .deleteFrom('audit_events')
          .where('chain', '=', aliceChain)
          .where('seq', '=', 5)
          .execute()
          .then(() => undefined),
      { kind: 'head-mismatch', seq: 5 },
    ],
    [
      'a changed entry re-hashed without fixing its successor',
      async (d) => {
        const row = await d.db
          .selectFrom('audit_events')
          .selectAll()
          .where('chain', '=', aliceChain)
          .where('seq', '=', 3)
          .executeTakeFirstOrThrow();
        const { prev_hash, hash: _old, ...fields } = { ...row, outcome: 'denied' };
        await d.db
          .updateTable('audit_events')
          .set({ outcome: 'denied', hash: entryHash(prev_hash, fields) })
          .where('chain', '=', aliceChain)
          .where('seq', '=', 3)
          .execute();
      },
      { kind: 'prev-hash-mismatch', seq: 4 },
    ],
    [
      'an entry appended behind the head’s back',
      async (d) => {
        const last = await d.db
          .selectFrom('audit_events')
          .selectAll()
          .where('chain', '=', aliceChain)
          .where('seq', '=', 5)
          .executeTakeFirstOrThrow();
        const fields = { ...last, seq: 6, id: 'forged', prev_hash: undefined, hash: undefined };
        const { prev_hash: _p, hash: _h, ...hashed } = fields;
        await d.db
          .insertInto('audit_events')
          .values({ ...hashed, prev_hash: last.hash, hash: entryHash(last.hash, hashed) })
          .execute();
      },
      { kind: 'head-mismatch', seq: 5 },
    ],
  ];

  it.each(tampering)(
    'detects %s, in the library and through `carnet audit verify`',
    async (name, tamper, expected) => {
      const carnetAuditVerify =
        name === tampering[0]![0] ? carnetAuditVerifyProcess : carnetAuditVerifyInProcess;
      await buildChains(db);
      const clean = await carnetAuditVerify(db);
      expect(clean.code).toBe(0);
      const { root } = await verifyAuditChains(db.db);
      expect(clean.stdout.trim()).toBe(`OK: 3 chains, 8 entries, root ${root}`);

      await tamper(db);
      const { problems } = await verifyAuditChains(db.db);
      expect(problems).toEqual([expect.objectContaining({ chain: aliceChain, ...expected })]);
      const cli = await carnetAuditVerify(db);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(`${expected.kind}: chain ${aliceChain} seq ${expected.seq}`);
    },
  );

  it('keeps one chain gap-free under 50 concurrent appending transactions', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.db.transaction().execute(async (trx) => {
          await trx.selectFrom('patients').select('id').limit(1).execute(); // some work before the trace
          await appendAudit(trx, read(alice, `doc-${i}`), at(i));
        }),
      ),
    );
    const rows = await db.db
      .selectFrom('audit_events')
      .select('seq')
      .where('chain', '=', aliceChain)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await verifyAuditChains(db.db)).toMatchObject({ chains: 1, entries: 50, problems: [] });
  });
});
