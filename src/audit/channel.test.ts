import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientId } from '../identity/index.ts';
import { openField, sealField } from '../storage/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { canonicalJson } from './hash.ts';
import {
  appendAudit,
  listPatientAudit,
  queryPlace,
  verifyAuditChains,
  withAuditChannel,
  type AuditChannel,
  type AuditInput,
} from './index.ts';
import { doctor } from './test-fixtures.ts';

const alice = '0190a000-0000-7000-8000-000000000001' as PatientId;
const ins = '268057505611212';
const keys = { documentKey: { id: '0a0b0c0d', key: randomBytes(32) } };
const now = new Date('2025-03-01T08:00:00.000Z');

const trace = (action: AuditInput['action'], extra: Partial<AuditInput> = {}): AuditInput => ({
  patientId: alice,
  actor: doctor(),
  action,
  accessMode: 'normal',
  outcome: 'success',
  ...extra,
});

const channel = (overrides: Partial<AuditChannel> = {}): AuditChannel => ({
  transaction: 'ITI-67',
  clientAddress: '192.0.2.7',
  clientId: 'lgc-demo',
  query: `DocumentReference?patient.identifier=urn:oid:1.2.250.1.213.1.4.8|${ins}&type=11488-4`,
  seal: (chain, place, text) => sealField(keys, chain, place, text),
  ...overrides,
});

describe.each(testDialects)('the audit channel on %s', (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
  });
  afterEach(() => db.destroy());

  it('records the transaction, client and sealed query of a search, never the INS in clear, and verifies', async () => {
    await withAuditChannel(channel(), async () => {
      await appendAudit(db.db, trace('search', { detail: { total: 2 } }), now);
      // Another trace of the same request (an emergency access noted, a read): address yes, transaction no.
      await appendAudit(db.db, trace('read', { targetType: 'DocumentReference', targetId: 'd1' }), now);
    });
    const rows = await db.db.selectFrom('audit_events').select(['detail']).orderBy('seq').execute();
    expect(rows.map((r) => r.detail).join('')).not.toContain(ins);
    const { entries } = await listPatientAudit(db.db, alice, { count: 10, offset: 0 });
    const [read, search] = entries;
    expect(search!.detail).toEqual({ total: 2 });
    expect(search!.channel).toMatchObject({
      transaction: 'ITI-67',
      clientAddress: '192.0.2.7',
      clientId: 'lgc-demo',
    });
    const opened = openField(keys, search!.chain, queryPlace(search!.id), search!.channel!.sealedQuery!);
    expect(opened).toBe(channel().query);
    // Bound to its row: the same sealed text does not open as another trace's query.
    expect(() => openField(keys, read!.chain, queryPlace(read!.id), search!.channel!.sealedQuery!)).toThrow();
    expect(read!.channel).toEqual({
      transaction: undefined,
      clientAddress: '192.0.2.7',
      clientId: 'lgc-demo',
      sealedQuery: undefined,
    });
    expect((await verifyAuditChains(db.db)).problems).toEqual([]);
  });

  it('writes a trace outside any request exactly as before: same detail text, no channel', async () => {
    await appendAudit(db.db, trace('deposit', { detail: { typeCode: '11488-4', reason: 'x' } }), now);
    const row = await db.db.selectFrom('audit_events').select(['detail']).executeTakeFirstOrThrow();
    expect(row.detail).toBe(canonicalJson({ typeCode: '11488-4' }));
    const { entries } = await listPatientAudit(db.db, alice, { count: 1, offset: 0 });
    expect(entries[0]!.channel).toBeUndefined();
  });

  it('keeps a caller from forging channel keys through its own detail', async () => {
    await appendAudit(
      db.db,
      trace('search', { detail: { 'channel.transaction': 'ITI-65', 'channel.address': '10.0.0.1' } }),
      now,
    );
    const { entries } = await listPatientAudit(db.db, alice, { count: 1, offset: 0 });
    expect(entries[0]!.channel).toBeUndefined();
    expect(entries[0]!.detail).toEqual({});
  });
});
