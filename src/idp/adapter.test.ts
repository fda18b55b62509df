import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { KyselyOidcAdapter } from './adapter.ts';

describe.each(testDialects)('identity provider storage (%s)', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('keeps each model apart, finds by uid and user code, and forgets what expired', async () => {
    const sessions = new KyselyOidcAdapter(database.db, 'Session');
    const codes = new KyselyOidcAdapter(database.db, 'DeviceCode');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 60);
    await codes.upsert('s1', { userCode: 'ABCD', grantId: 'g' }, 60);
    expect(await sessions.find('s1')).toEqual({ uid: 'u1', accountId: 'a' });
    expect(await sessions.findByUid('u1')).toMatchObject({ accountId: 'a' });
    expect(await codes.findByUserCode('ABCD')).toMatchObject({ grantId: 'g' });
    await sessions.upsert('s2', { uid: 'u2' }, -1);
    expect(await sessions.find('s2')).toBeUndefined();
    await sessions.upsert('s1', { uid: 'u1', accountId: 'b' }, 60);
    expect(await sessions.find('s1')).toMatchObject({ accountId: 'b' });
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('marks a code consumed and revokes every token of a grant', async () => {
    const codes = new KyselyOidcAdapter(database.db, 'AuthorizationCode');
    const tokens = new KyselyOidcAdapter(database.db, 'AccessToken');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await tokens.upsert('t1', { grantId: 'g1' }, 60);
    await tokens.upsert('t2', { grantId: 'g2' }, 60);
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toEqual(expect.any(Number));
    await tokens.revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await tokens.find('t1')).toBeUndefined();
    expect(await tokens.find('t2')).toMatchObject({ grantId: 'g2' });
  });
});
