import type { Kysely } from 'kysely';
import { sealText } from '../sealed-text.ts';
import type { MigrationKeys } from './index.ts';

/** How messaging sealed a subject when this migration was written, frozen here so the migration never changes. */
function sealSubject(
  keys: MigrationKeys,
  patientId: string,
  of: 'thread' | 'message',
  id: string,
  subject: string,
): string {
  return sealText(keys, patientId, `${of}-subject:${id}`, subject);
}

interface Tables {
  mss_threads: { patient_id: string; id: string; subject: string };
  mss_messages: { patient_id: string; id: string; subject: string };
}

/** What sealed-text.ts puts before every sealed value: a subject without it was written in clear. */
const SEALED_PREFIX = 'sealed1:';

/**
 * Message and thread subjects are health text ("Résultat de votre biopsie"): from this version
 * they are sealed like message bodies, and this seals the ones older versions stored in clear, by batches so a
 * large mailbox table is never held in memory. No schema change: the column keeps its name and type.
 */
export async function up(unknownDb: Kysely<unknown>, keys: MigrationKeys | undefined): Promise<void> {
  const db = unknownDb as Kysely<Tables>;
  for (const table of ['mss_threads', 'mss_messages'] as const) {
    const of = table === 'mss_threads' ? 'thread' : 'message';
    for (;;) {
      const rows = await db
        .selectFrom(table)
        .select(['patient_id', 'id', 'subject'])
        .where('subject', 'not like', `${SEALED_PREFIX}%`)
        .limit(500)
        .execute();
      if (rows.length === 0) break;
      if (!keys)
        throw new Error(
          'Migration 012 seals message subjects stored in clear: run `carnet migrate` ' +
            '(with CARNET_DOCUMENT_KEY in production) before any other command.',
        );
      for (const row of rows) {
        await db
          .updateTable(table)
          .set({ subject: sealSubject(keys, row.patient_id, of, row.id, row.subject) })
          .where('patient_id', '=', row.patient_id)
          .where('id', '=', row.id)
          .execute();
      }
    }
  }
}
