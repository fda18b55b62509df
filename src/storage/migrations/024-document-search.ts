import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openField } from '../sealed-text.ts';
import type { MigrationKeys } from './index.ts';

// src/guard/search-index.ts and src/guard/search-text.ts as they were when this migration was written, frozen here
// so that the migration never changes.
const PREFIX_MIN = 2;
const PREFIX_MAX = 20;
const monthNames = [
  'janvier',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'decembre',
];

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

function dateWords(date: string | null): string[] {
  if (!date || !/^\d{4}/.test(date)) return [];
  const month = /^\d{4}-(\d{2})/.exec(date)?.[1];
  const name = month ? monthNames[Number(month) - 1] : undefined;
  return [date.slice(0, 4), ...(name ? [name] : [])];
}

function prefixes(word: string): string[] {
  const chars = [...word];
  const out: string[] = [];
  for (let n = PREFIX_MIN; n <= Math.min(chars.length, PREFIX_MAX); n++) out.push(chars.slice(0, n).join(''));
  return out;
}

function tokens(keys: MigrationKeys, patientId: string) {
  const key = createHmac('sha256', keys.documentKey.key).update('carnet:search-token-key').digest();
  return (prefix: string) =>
    createHmac('sha256', key)
      .update(`search:${patientId}:${prefix}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
}

interface Tables {
  documents: {
    patient_id: string;
    id: string;
    sealed_title: string;
    type_display: string;
    author_name: string;
    author_given_name: string | null;
    author_family_name: string | null;
    author_structure_name: string | null;
    sealed_metadata: string | null;
    created_at: string;
    service_start: string | null;
    service_end: string | null;
  };
  document_search_tokens: { patient_id: string; token: string; document_id: string };
}

function needKeys(keys: MigrationKeys | undefined): MigrationKeys {
  if (keys) return keys;
  throw new Error(
    'Migration 024 indexes the sealed titles of the documents already stored: run `carnet migrate` ' +
      '(with CARNET_DOCUMENT_KEY in production) before any other command.',
  );
}

/**
 * Free-text search and the portal's filters over a record (docs/features.md, "Searching a record"):
 * - `document_search_tokens`, the blind index: keyed digests of the word prefixes of each document's title,
 *   type, author, structure, facility, setting and dates, filled for the documents already stored (their titles
 *   and sealed displays are opened here, in memory, and never written in clear);
 * - `professional_openings`: which documents a professional has opened (« pas encore ouvert »), filled from the
 *   audit trail so that documents already read are not shown as unread;
 * - `record_professionals.previous_visit_at`: the end of a professional's previous visit (« nouveau depuis ma
 *   dernière visite »), unknown for the visits before this version.
 */
export async function up(unknownDb: Kysely<unknown>, keys: MigrationKeys | undefined): Promise<void> {
  await unknownDb.schema
    .createTable('document_search_tokens')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_search_tokens_pk', ['patient_id', 'token', 'document_id'])
    .execute();
  await unknownDb.schema
    .createTable('professional_openings')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('national_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('professional_openings_pk', ['patient_id', 'national_id', 'document_id'])
    .execute();
  await unknownDb.schema.alterTable('record_professionals').addColumn('previous_visit_at', 'text').execute();
  await sql`
    insert into professional_openings (patient_id, national_id, document_id, opened_at)
    select patient_id, actor_id, target_id, min(at) from audit_events
    where action in ('read', 'retrieve') and outcome = 'success' and target_type = 'DocumentReference'
      and actor_kind = 'professional'
      and patient_id is not null and target_id is not null and actor_id is not null
    group by patient_id, actor_id, target_id`.execute(unknownDb);

  const db = unknownDb as Kysely<Tables>;
  const first = await db.selectFrom('documents').select('id').limit(1).executeTakeFirst();
  if (!first) return;
  const k = needKeys(keys);
  // One patient at a time: a large database never holds more than one record's documents in memory.
  const patients = await db.selectFrom('documents').select('patient_id').distinct().execute();
  for (const { patient_id: patientId } of patients) {
    const token = tokens(k, patientId);
    const docs = await db.selectFrom('documents').selectAll().where('patient_id', '=', patientId).execute();
    const rows = docs.flatMap((doc) => {
      const title = openField(k, patientId, `title:${doc.id}`, doc.sealed_title);
      const sealed = doc.sealed_metadata
        ? (JSON.parse(openField(k, patientId, `metadata:${doc.id}`, doc.sealed_metadata)) as {
            facilityDisplay?: string;
            settingDisplay?: string;
          })
        : {};
      const texts = [
        title,
        doc.type_display,
        doc.author_name,
        doc.author_given_name ?? '',
        doc.author_family_name ?? '',
        doc.author_structure_name ?? '',
        sealed.facilityDisplay ?? '',
        sealed.settingDisplay ?? '',
      ];
      const all = [
        ...texts.flatMap(words),
        ...[doc.created_at, doc.service_start, doc.service_end].flatMap(dateWords),
      ];
      const distinct = new Set(all.flatMap(prefixes));
      return [...distinct].map((p) => ({ patient_id: patientId, token: token(p), document_id: doc.id }));
    });
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('document_search_tokens')
        .values(rows.slice(i, i + 500))
        .execute();
  }
}
