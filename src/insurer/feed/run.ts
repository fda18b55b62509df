import type { AppContext } from '../../app/index.ts';
import { CarnetError, uuidv7 } from '../../shared/index.ts';
import type { Executor } from '../../storage/index.ts';
import { counterColumns, countersOfRow, noCounts, type ImportCounters } from './counters.ts';

/** One import of one file, as far as its last committed batch (its checkpoint row in `insurer_imports`). */
export interface ImportRun {
  readonly id: string;
  counters: ImportCounters;
  byteOffset: number;
  lineNumber: number;
}

export const concurrentImport = () =>
  new CarnetError(
    'conflict',
    'insurer-import-concurrent',
    'Un autre import de ce fichier est en cours : il le mène à son terme. Relancez celui-ci une fois l’autre terminé.',
  );

/** The unfinished run of this file, or a new one; two imports starting together end up on the same run. */
export async function startOrResume(
  ctx: AppContext,
  fileName: string,
  sha256: string,
  size: number,
): Promise<ImportRun> {
  for (;;) {
    const run = (await findUnfinished(ctx, sha256)) ?? (await startRun(ctx, fileName, sha256, size));
    if (run) return run;
  }
}

async function findUnfinished(ctx: AppContext, sha256: string): Promise<ImportRun | undefined> {
  const unfinished = await ctx.db
    .selectFrom('insurer_imports')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .where('finished_at', 'is', null)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  if (!unfinished) return undefined;
  return {
    id: unfinished.id,
    byteOffset: Number(unfinished.byte_offset),
    lineNumber: Number(unfinished.line_number),
    counters: countersOfRow(unfinished),
  };
}

/** A new run, or undefined when another import of the file has just started one. */
async function startRun(
  ctx: AppContext,
  fileName: string,
  sha256: string,
  size: number,
): Promise<ImportRun | undefined> {
  const now = ctx.clock.now();
  const id = uuidv7(now.getTime());
  const at = now.toISOString();
  const inserted = await ctx.db
    .insertInto('insurer_imports')
    .values({
      id,
      file_name: fileName.slice(0, 255),
      file_sha256: sha256,
      file_size: size,
      byte_offset: 0,
      line_number: 1,
      ...counterColumns(noCounts),
      started_at: at,
      updated_at: at,
      finished_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return undefined;
  return { id, byteOffset: 0, lineNumber: 1, counters: noCounts };
}

/**
 * Moves the run's checkpoint past a batch, with the counters it has reached, in the batch's transaction; fails
 * when another import of the same file committed this batch first (the caller's transaction rolls back).
 */
export async function checkpoint(
  trx: Executor,
  run: ImportRun,
  next: { readonly byteOffset: number; readonly lineNumber: number; readonly counters: ImportCounters },
  now: Date,
): Promise<void> {
  const moved = await trx
    .updateTable('insurer_imports')
    .set({
      byte_offset: next.byteOffset,
      line_number: next.lineNumber,
      ...counterColumns(next.counters),
      updated_at: now.toISOString(),
    })
    .where('id', '=', run.id)
    .where('byte_offset', '=', run.byteOffset)
    .executeTakeFirst();
  if (moved.numUpdatedRows === 0n) throw concurrentImport();
}
