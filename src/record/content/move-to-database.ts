import { readFile, rm } from 'node:fs/promises';
import { sql } from 'kysely';
import type { AppContext } from '../../app/index.ts';
import { CarnetError } from '../../shared/index.ts';
import type { PatientId } from '../../identity/index.ts';
import type { DocumentId } from '../../guard/index.ts';
import {
  contentFile,
  createDatabaseContentStore,
  openStoredContent,
  putSealedContent,
  type ContentKind,
} from './store.ts';

export interface MoveCounts {
  /** Copied from a file into the database during this run. */
  moved: number;
  /** Already in the database, and readable there (an earlier run, or written there in the first place). */
  already: number;
  /** Files removed (with `removeFiles`), once their copy was committed. */
  removed: number;
  /** Rows whose content is neither in the database nor in a file. */
  missing: number;
  /** Files that do not open with the key, or whose content does not match the row's hash: left as they are. */
  unreadable: number;
}

export interface MoveOptions {
  /** Removes each file once its copy is committed and checked; otherwise files stay where they are. */
  readonly removeFiles?: boolean;
  readonly batchSize?: number;
}

const emptyCounts = (): MoveCounts => ({ moved: 0, already: 0, removed: 0, missing: 0, unreadable: 0 });

interface Row {
  patient_id: string;
  id: string;
  hash: string;
}

/** The rows that refer to a content, in key order after `after`: documents, or MSSanté attachments. */
async function rowsAfter(
  ctx: AppContext,
  kind: ContentKind,
  after: Row | undefined,
  limit: number,
): Promise<Row[]> {
  const table = sql.table(kind === 'documents' ? 'documents' : 'mss_attachments');
  const from = after ? sql`where (patient_id, id) > (${after.patient_id}, ${after.id})` : sql``;
  const result = await sql<Row>`select patient_id, id, content_hash as hash from ${table} ${from}
    order by patient_id, id limit ${limit}`.execute(ctx.db);
  return result.rows;
}

/** True when the database holds this row's content and it opens and matches the row's hash. */
async function readsBack(ctx: AppContext, kind: ContentKind, row: Row): Promise<boolean> {
  try {
    await createDatabaseContentStore(ctx, kind).get(
      row.patient_id as PatientId,
      row.id as DocumentId,
      row.hash,
    );
    return true;
  } catch (error) {
    if (error instanceof CarnetError) return false;
    throw error;
  }
}

/**
 * Copies the contents an installation kept as files under the data folder into PostgreSQL (`content_blobs`),
 * for every row that refers to one. The sealed bytes are copied as they are (same key, same binding to the
 * patient and id), after checking that they open and match the row's hash. Each copy commits on its own with
 * `synchronous_commit` on, so a run stopped midway resumes where it was: what is already there and readable is
 * counted, not copied again. Files without a row (garbage of a failed deposit) are left alone.
 */
export async function moveContentsToDatabase(
  ctx: AppContext,
  options: MoveOptions = {},
): Promise<Record<ContentKind, MoveCounts>> {
  if (ctx.dialect !== 'postgres') {
    throw new Error('only a PostgreSQL installation keeps its contents in the database');
  }
  const batchSize = options.batchSize ?? 200;
  const result: Record<ContentKind, MoveCounts> = { documents: emptyCounts(), messages: emptyCounts() };
  for (const kind of ['documents', 'messages'] as const) {
    const counts = result[kind];
    let after: Row | undefined;
    for (;;) {
      const rows = await rowsAfter(ctx, kind, after, batchSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1];
      for (const row of rows) {
        const file = contentFile(ctx.config, kind, row.patient_id, row.id);
        let sealed: Buffer | undefined;
        try {
          sealed = await readFile(file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        if (await readsBack(ctx, kind, row)) {
          counts.already += 1;
        } else if (sealed === undefined) {
          counts.missing += 1;
          continue;
        } else {
          try {
            openStoredContent(ctx.config, row.patient_id, row.id, sealed, row.hash);
          } catch (error) {
            if (!(error instanceof CarnetError)) throw error;
            counts.unreadable += 1;
            continue;
          }
          await putSealedContent(ctx.db, kind, row.patient_id, row.id, sealed);
          if (!(await readsBack(ctx, kind, row)))
            throw new Error(`content ${kind}/${row.id} did not read back`);
          counts.moved += 1;
        }
        if (options.removeFiles && sealed !== undefined) {
          await rm(file, { force: true });
          counts.removed += 1;
        }
      }
    }
  }
  return result;
}
