import { existsSync, readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../app/index.ts';

/** How many stored messages carry this Message-ID (tests give each message a unique id part). */
export async function storedCount(ctx: AppContext, messageIdPart: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('mss_messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('message_id', 'like', `%${messageIdPart}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Rows of every messaging table: "nothing stored" means none of them moved. */
export async function messagingRows(ctx: AppContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['mss_threads', 'mss_messages', 'mss_attachments'] as const) {
    const row = await ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** Files under `$CARNET_DATA_DIR/messages` (the encrypted attachments), relative paths, sorted. */
/** The stored attachment contents, by place: files under the data folder (SQLite), rows of `content_blobs` (PostgreSQL). */
export async function attachmentContents(ctx: AppContext): Promise<string[]> {
  if (ctx.dialect === 'postgres') {
    const rows = await ctx.db
      .selectFrom('content_blobs')
      .select(['patient_id', 'content_id'])
      .where('kind', '=', 'messages')
      .execute();
    return rows.map((r) => `${r.patient_id}/${r.content_id}`).sort();
  }
  const dir = path.join(ctx.config.dataDir, 'messages');
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
