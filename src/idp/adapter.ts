import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../storage/index.ts';

/**
 * oidc-provider's persistence over the `oidc_store` table, so that several Carnet instances share sessions,
 * interactions, codes and grants. One table for every model: the row id is `<model>:<id>`.
 * Expiry uses the wall clock on purpose: oidc-provider computes `expiresIn` from it, not from Carnet's Clock.
 */
export class KyselyOidcAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const row = {
      model: this.model,
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      user_code: payload.userCode ?? null,
      uid: payload.uid ?? null,
      expires_at:
        typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
    };
    await this.db
      .insertInto('oidc_store')
      .values({ id: this.key(id), ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id', this.key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid', uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code', userCode);
  }

  private async findWhere(
    column: 'id' | 'uid' | 'user_code',
    value: string,
  ): Promise<AdapterPayload | undefined> {
    const row = await this.db
      .selectFrom('oidc_store')
      .select(['payload', 'expires_at'])
      .where('model', '=', this.model)
      .where(column, '=', value)
      .executeTakeFirst();
    if (!row || (row.expires_at !== null && row.expires_at <= new Date().toISOString())) return undefined;
    return JSON.parse(row.payload) as AdapterPayload;
  }

  async consume(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('oidc_store')
        .select('payload')
        .where('id', '=', this.key(id))
        .executeTakeFirst();
      if (!row) return;
      const payload = {
        ...(JSON.parse(row.payload) as AdapterPayload),
        consumed: Math.floor(Date.now() / 1000),
      };
      await trx
        .updateTable('oidc_store')
        .set({ payload: JSON.stringify(payload) })
        .where('id', '=', this.key(id))
        .execute();
    });
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_store').where('id', '=', this.key(id)).execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidc_store').where('grant_id', '=', grantId).execute();
  }
}
