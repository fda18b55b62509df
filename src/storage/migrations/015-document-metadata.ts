import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * The PDSm metadata a producer submits and the DMP keeps (docs/fhir.md, "Documents through MHD"): format, language,
 * facility type, practice setting, the author's names, event codes, related identifiers, the SHA-1 of the content,
 * the HL7 confidentiality level (N/R/V), and the submission set as a row of its own (FHIR `List`, ITI-66).
 *
 * Codes that say what care was given (event codes: CIM-10, CCAM…) are health data: they are kept only sealed in
 * `sealed_metadata`, with a keyed digest per patient in `document_event_tokens` so that `event=` can be searched
 * without them being readable. Format, facility, setting and language describe the document, not the patient,
 * and stay in clear for search (README, "Data at rest").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const addText = async (column: string) =>
    db.schema.alterTable('documents').addColumn(column, 'text').execute();
  for (const column of [
    'author_given_name',
    'author_family_name',
    'format_system',
    'format_code',
    'facility_system',
    'facility_code',
    'setting_system',
    'setting_code',
    'language',
    // Base64 SHA-1 of the plain content (PDSm `attachment.hash`); null for documents stored before it was kept.
    'content_sha1',
    // Sealed JSON: displays, author role/specialty/institution, sourcePatientInfo, custodian (document-row.ts).
    'sealed_metadata',
  ]) {
    await addText(column);
  }
  await db.schema
    .alterTable('documents')
    .addColumn('confidentiality_code', 'text', (c) => c.notNull().defaultTo('N'))
    .execute();

  await db.schema
    .createTable('document_event_tokens')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('document_event_tokens_by_token')
    .on('document_event_tokens')
    .columns(['patient_id', 'token'])
    .execute();

  await db.schema
    .createTable('document_related_ids')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text')
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('document_related_ids_by_value')
    .on('document_related_ids')
    .columns(['patient_id', 'value'])
    .execute();

  await db.schema
    .createTable('submission_sets')
    .addColumn('patient_id', 'text', (c) => c.notNull())
    // Carnet's id: the FHIR `List` id.
    .addColumn('id', 'text', (c) => c.notNull())
    // The producer's uniqueId (List `identifier`, use usual).
    .addColumn('master_identifier', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('author_national_id', 'text')
    .addColumn('content_type_system', 'text')
    .addColumn('content_type_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('current'))
    // Sealed JSON: title, comments, author names and roles, displays.
    .addColumn('sealed_detail', 'text')
    .addPrimaryKeyConstraint('submission_sets_pk', ['patient_id', 'id'])
    .execute();
  await db.schema
    .createIndex('submission_sets_master_identifier')
    .on('submission_sets')
    .columns(['patient_id', 'master_identifier'])
    .unique()
    .execute();
  await db.schema.createIndex('submission_sets_by_id').on('submission_sets').column('id').execute();

  // Documents deposited before kept their submission set's uniqueId in `submission_set_id`: each distinct one
  // becomes a submission set row, and the documents point at its id.
  const docs = db as unknown as Kysely<{
    documents: { patient_id: string; submission_set_id: string | null; deposited_at: string };
    submission_sets: {
      patient_id: string;
      id: string;
      master_identifier: string;
      submitted_at: string;
      status: string;
    };
  }>;
  const sets = await docs
    .selectFrom('documents')
    .select(['patient_id', 'submission_set_id'])
    .select((eb) => eb.fn.min('deposited_at').as('submitted_at'))
    .where('submission_set_id', 'is not', null)
    .groupBy(['patient_id', 'submission_set_id'])
    .execute();
  for (const set of sets) {
    const id = randomUUID();
    await docs
      .insertInto('submission_sets')
      .values({
        patient_id: set.patient_id,
        id,
        master_identifier: set.submission_set_id!,
        submitted_at: String(set.submitted_at),
        status: 'current',
      })
      .execute();
    await docs
      .updateTable('documents')
      .set({ submission_set_id: id })
      .where('patient_id', '=', set.patient_id)
      .where('submission_set_id', '=', set.submission_set_id)
      .execute();
  }
}
