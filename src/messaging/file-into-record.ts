import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import type { NationalProfessionalId, PatientId } from '../identity/index.ts';
import { professionalDisplayName } from '../professionals/index.ts';
import { parseCda, depositDocuments, type DocumentAuthor, type RecordDocument } from '../record/index.ts';
import { conflict, invalid } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import { attachmentStore } from './attachment-store.ts';
import { filingTitle, filingTypeCode } from './filing.ts';
import { openMailbox } from '../guard/index.ts';
import { attachmentNotFound } from './errors.ts';
import { messageSubject } from './repository.ts';
import { isPatientDomainAddress } from './routing.ts';

const alreadyFiled = () =>
  conflict('attachment-already-filed', 'Ce document est déjà classé dans votre dossier.');

/** The sending professional as a record author: from the directory by MSSanté address, else as they signed. */
async function senderAuthor(db: Executor, address: string, name: string | null): Promise<DocumentAuthor> {
  const row = await db
    .selectFrom('professionals')
    .leftJoin('structures', 'structures.id', 'professionals.structure_id')
    .select([
      'professionals.national_id',
      'professionals.given_name',
      'professionals.family_name',
      'professionals.profession_code',
      'professionals.specialty_code',
      'structures.national_id as structure_national_id',
      'structures.name as structure_name',
    ])
    .where((eb) => eb(eb.fn('lower', ['professionals.mssante_address']), '=', address.toLowerCase()))
    .executeTakeFirst();
  if (!row) {
    return {
      kind: 'professional',
      nationalId: undefined,
      patientId: undefined,
      name: name ? `${name} <${address}>` : address,
      givenName: undefined,
      familyName: undefined,
      professionCode: undefined,
      specialtyCode: undefined,
      structureNationalId: undefined,
      structureName: undefined,
    };
  }
  return {
    kind: 'professional',
    nationalId: row.national_id as NationalProfessionalId,
    patientId: undefined,
    name: professionalDisplayName({
      givenName: row.given_name,
      familyName: row.family_name,
      professionCode: row.profession_code as never,
    }),
    givenName: row.given_name,
    familyName: row.family_name,
    professionCode: row.profession_code as never,
    specialtyCode: (row.specialty_code ?? undefined) as never,
    structureNationalId: row.structure_national_id ?? undefined,
    structureName: row.structure_name ?? undefined,
  };
}

/**
 * Files a received attachment into the patient's record ("Classer dans mon dossier"): a document authored by the
 * professional who sent it, typed from its CDA header or `X-MSS-CODECDA`, under the record's policy, audited as a
 * deposit by the patient. Its title is the one the patient typed, else the message's subject (see `filingTitle`);
 * its date the CDA's own (`effectiveTime`), else the message's. Filing the same
 * attachment twice is refused (409). The document and the attachment's "filed" mark commit together.
 */
export async function fileAttachmentIntoRecord(
  ctx: AppContext,
  principal: PatientPrincipal,
  patientId: PatientId,
  messageId: string,
  attachmentId: string,
  options: { readonly title?: string | undefined } = {},
): Promise<RecordDocument> {
  const { db } = await openMailbox(ctx, principal, patientId, 'deposit');
  const row = await db
    .selectFrom('mss_attachments')
    .innerJoin('mss_messages', (j) =>
      j
        .onRef('mss_messages.patient_id', '=', 'mss_attachments.patient_id')
        .onRef('mss_messages.id', '=', 'mss_attachments.message_row_id'),
    )
    .select([
      'mss_attachments.id',
      'mss_attachments.filename',
      'mss_attachments.kind',
      'mss_attachments.content_type',
      'mss_attachments.content_hash',
      'mss_attachments.filed_document_id',
      'mss_messages.id as message_row_id',
      'mss_messages.patient_id',
      'mss_messages.subject',
      'mss_messages.direction',
      'mss_messages.from_address',
      'mss_messages.from_name',
      'mss_messages.sent_at',
      'mss_messages.received_at',
      'mss_messages.mss_headers_json',
    ])
    .where('mss_attachments.patient_id', '=', patientId)
    .where('mss_attachments.id', '=', attachmentId)
    .where('mss_messages.id', '=', messageId)
    .executeTakeFirst();
  if (!row) throw attachmentNotFound();
  if (row.direction !== 'inbound' || isPatientDomainAddress(row.from_address, ctx.config.patientMailDomain)) {
    throw invalid(
      'attachment-not-from-professional',
      'Seul un document reçu d’un professionnel peut être classé.',
    );
  }
  if (row.filed_document_id) throw alreadyFiled();
  if (row.kind === 'other' || row.kind === 'xdm-metadata') {
    throw invalid(
      'attachment-not-fileable',
      'Ce type de pièce jointe ne peut pas être classé dans le dossier.',
    );
  }
  const content = await attachmentStore(ctx).get(patientId, row.id, row.content_hash);
  const cda = row.kind === 'cda' ? parseCda(content.toString('utf8')) : undefined;
  const header = cda && 'header' in cda ? cda.header : undefined;
  const headers = JSON.parse(row.mss_headers_json) as Record<string, string>;
  const author = await senderAuthor(ctx.db, row.from_address, row.from_name);
  const [doc] = await depositDocuments(
    ctx,
    principal,
    [
      {
        patientId,
        masterIdentifier: header?.masterIdentifier ?? `urn:uuid:${row.id}`,
        typeCode: filingTypeCode(header?.type.code, headers['x-mss-codecda']),
        title: filingTitle({
          given: options.title,
          subject: messageSubject(ctx.config, {
            patient_id: row.patient_id,
            id: row.message_row_id,
            subject: row.subject,
          }),
          cdaTitle: header?.title,
          filename: row.filename,
        }),
        // The sender's Date: header may run ahead of our clock: a message is never later than its arrival.
        createdAt: header?.effectiveTime ?? (row.sent_at < row.received_at ? row.sent_at : row.received_at),
        content,
        declaredContentType: row.content_type,
      },
    ],
    {
      filedFromMessage: { author, messageId: row.message_row_id },
      // The "filed" mark commits with the document or not at all; filing the same attachment twice at once
      // leaves one document, the other deposit rolls back.
      withinTransaction: async (trx, [filed]) => {
        const marked = await trx
          .updateTable('mss_attachments')
          .set({ filed_document_id: filed!.id })
          .where('patient_id', '=', patientId)
          .where('id', '=', row.id)
          .where('filed_document_id', 'is', null)
          .executeTakeFirst();
        if (marked.numUpdatedRows === 0n) throw alreadyFiled();
      },
    },
  );
  return doc!;
}
