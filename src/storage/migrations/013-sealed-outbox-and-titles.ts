import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { sealField } from '../sealed-text.ts';
import type { MigrationKeys } from './index.ts';

// How the outbox and the documents sealed their values and named messages when this migration was written
// (src/mail/outbox.ts, src/record/document-row.ts), frozen here so the migration never changes.
function sealPayload(keys: MigrationKeys, patientId: string | null, rowId: string, payload: unknown): string {
  return sealField(keys, patientId ?? '', `outbox:${rowId}`, JSON.stringify(payload));
}

function sealTitle(keys: MigrationKeys, patientId: string, documentId: string, title: string): string {
  return sealField(keys, patientId, `title:${documentId}`, title);
}

function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .replace(/>\s*$/, '')
        .trim()
        .toLowerCase();
}

function enqueuedMessageId(keys: Pick<MigrationKeys, 'mailFrom'>, id: string): string {
  return `<${id}@${recipientDomain(keys.mailFrom) || 'carnet.localhost'}>`;
}

function mimeMessageId(raw: string): string | null {
  const end = raw.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? raw : raw.slice(0, end)).split(/\r?\n/);
  const line = headers.find((h) => h.toLowerCase().startsWith('message-id:'));
  const value = line?.slice('message-id:'.length).trim();
  return value ? value.slice(0, 998) : null;
}

/** The two tables as 001–003 left them, plus the columns this migration adds. */
interface Tables {
  outbox: {
    id: string;
    patient_id: string | null;
    recipient: string;
    subject: string;
    body_text: string;
    raw_mime: string | null;
    envelope_from: string | null;
    sent_at: string | null;
    kind: string;
    recipient_domain: string;
    message_id: string | null;
    sealed: string | null;
  };
  documents: { patient_id: string; id: string; title: string; sealed_title: string };
}

/** The subjects the code e-mails had (src/profile/messages.ts, src/auth/patient/sign-in.ts), frozen here. */
const legacyKinds: Record<string, string> = {
  'Votre code provisoire Mon espace santé': 'activation-code',
  'Votre code de connexion Mon espace santé': 'sign-in-code',
};

function needKeys(keys: MigrationKeys | undefined): MigrationKeys {
  if (keys) return keys;
  throw new Error(
    'Migration 013 seals e-mails and document titles stored in clear: run `carnet migrate` ' +
      '(with CARNET_DOCUMENT_KEY in production) before any other command.',
  );
}

/**
 * The outbox forgets and document titles are sealed (docs/durability-and-audit.md, "Encryption at rest"). Queued
 * e-mails keep in clear only their kind, recipient domain, dates and Message-ID; their content is sealed until sent,
 * then erased. Rows written in clear by older versions are sealed (waiting) or reduced to that metadata (sent), and
 * the clear columns are dropped. On SQLite, `secure_delete` zeroes the freed pages; on PostgreSQL the old row
 * versions stay in the table files until `VACUUM FULL outbox, documents` (README, "Data at rest").
 */
export async function up(unknownDb: Kysely<unknown>, keys: MigrationKeys | undefined): Promise<void> {
  const db = unknownDb as Kysely<Tables>;
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await sql`pragma secure_delete = on`.execute(db);
  }

  await db.schema
    .alterTable('outbox')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('notice'))
    .execute();
  await db.schema
    .alterTable('outbox')
    .addColumn('recipient_domain', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('outbox').addColumn('message_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('sealed', 'text').execute();
  const mails = await db.selectFrom('outbox').selectAll().execute();
  for (const row of mails) {
    const k = needKeys(keys);
    const raw = row.raw_mime;
    const payload =
      raw === null
        ? { to: row.recipient, subject: row.subject, text: row.body_text }
        : { to: row.recipient, raw, from: row.envelope_from ?? '' };
    await db
      .updateTable('outbox')
      .set({
        kind: raw === null ? (legacyKinds[row.subject] ?? 'notice') : row.envelope_from ? 'mss-reply' : 'dsn',
        recipient_domain: recipientDomain(row.recipient),
        message_id: raw === null ? enqueuedMessageId(k, row.id) : mimeMessageId(raw),
        sealed: row.sent_at === null ? sealPayload(k, row.patient_id, row.id, payload) : null,
      })
      .where('id', '=', row.id)
      .execute();
  }
  for (const column of ['recipient', 'subject', 'body_text', 'raw_mime', 'envelope_from']) {
    await db.schema.alterTable('outbox').dropColumn(column).execute();
  }

  await db.schema
    .alterTable('documents')
    .addColumn('sealed_title', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  const documents = await db.selectFrom('documents').select(['patient_id', 'id', 'title']).execute();
  for (const doc of documents) {
    await db
      .updateTable('documents')
      .set({ sealed_title: sealTitle(needKeys(keys), doc.patient_id, doc.id, doc.title) })
      .where('patient_id', '=', doc.patient_id)
      .where('id', '=', doc.id)
      .execute();
  }
  await db.schema.alterTable('documents').dropColumn('title').execute();
}
