import { sql, type Kysely } from 'kysely';

/**
 * One unfinished run per file: two `carnet import-insurer` of the same file started together resume the same
 * run instead of each starting its own, and the batch offset (checked on every commit) lets only one go on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('insurer_imports_one_unfinished')
    .on('insurer_imports')
    .column('file_sha256')
    .unique()
    .where(sql.ref('finished_at'), 'is', null)
    .execute();
}
