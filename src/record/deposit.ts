import { createHash, randomUUID } from 'node:crypto';
import type { AppContext } from '../app/index.ts';
import { type Principal, masksOnDeposit, mayDeclareAuthor, type RecordSettings } from '../access/index.ts';
import { appendAudit, SUBMISSION_SET_DETAIL } from '../audit/index.ts';
import { CarnetError, conflict, invalid, uuidv7 } from '../shared/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { isUniqueViolation, type Executor } from '../storage/index.ts';
import {
  trace,
  emptyMetadata,
  type ConfidentialityFlag,
  type DocumentAuthor,
  type DocumentId,
  type RecordDocument,
  insertDocuments,
  usedMasterIdentifiers,
  openRecord,
  type LoadedRecord,
  inRecordTransaction,
  Refusal,
} from '../guard/index.ts';
import { authorOf } from './author.ts';
import { cdaSectionTitles } from './cda/index.ts';
import { createContentStore } from './content/index.ts';
import {
  checkDepositInput,
  DepositInputError,
  type CheckedDeposit,
  type DepositInput,
} from './deposit-input.ts';
import { notifyNewDocuments } from './notifications.ts';
import { noteDeposit } from './deposit-relation.ts';
import { recordAuthorMask } from './confidentiality.ts';
import { checkReplacement, supersede } from './replace.ts';
import { insertSubmissionSet, type SubmissionSetInput } from './submission-sets.ts';

function buildDocument(
  checked: CheckedDeposit,
  author: DocumentAuthor,
  settings: RecordSettings,
  principal: Principal,
  now: Date,
): RecordDocument {
  const { input, type, content } = checked;
  const flags = new Set<ConfidentialityFlag>(input.confidentiality ?? []);
  if (masksOnDeposit(principal, settings)) flags.add('MASQUE_PS');
  return {
    id: uuidv7(now.getTime()) as DocumentId,
    patientId: input.patientId,
    masterIdentifier: input.masterIdentifier ?? `urn:uuid:${randomUUID()}`,
    typeCode: type.code,
    typeSystem: type.system,
    typeDisplay: type.display,
    classCode: type.classCode,
    title: checked.title,
    author,
    createdAt: checked.createdAt,
    serviceStart: checked.serviceStart,
    serviceEnd: checked.serviceEnd,
    depositedAt: now.toISOString(),
    status: 'current',
    confidentiality: [...flags],
    hash: content.hash,
    size: content.size,
    contentType: content.contentType,
    replacesId: input.replacesId,
    submissionSetId: input.submissionSetId,
    metadata: {
      ...emptyMetadata,
      ...input.metadata,
      sha1: createHash('sha1').update(input.content).digest('base64'),
    },
  };
}

/** A declared author other than the depositor is refused (`mayDeclareAuthor`), pointing at the input. */
function checkDeclaredAuthors(inputs: readonly DepositInput[], author: DocumentAuthor): void {
  inputs.forEach((input, i) => {
    if (mayDeclareAuthor(input.authorNationalId, author.nationalId)) return;
    throw new DepositInputError(
      i,
      new CarnetError(
        'unprocessable',
        'author-not-depositor',
        'L’auteur déclaré du document doit être le professionnel qui le dépose.',
        'author',
      ),
    );
  });
}

const duplicate = (id: string) =>
  conflict(
    'document-duplicate',
    `Un document portant l’identifiant « ${id.slice(0, 128)} » existe déjà dans ce dossier.`,
  );

async function checkUnique(db: Executor, docs: readonly RecordDocument[]): Promise<void> {
  const ids = docs.map((d) => d.masterIdentifier);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw duplicate(repeated);
  const replaced = docs.flatMap((d) => (d.replacesId ? [d.replacesId] : []));
  if (new Set(replaced).size !== replaced.length) {
    throw conflict('replaced-twice', 'Un même document ne peut être remplacé qu’une fois.');
  }
  const used = await usedMasterIdentifiers(db, docs[0]!.patientId, ids);
  if (used.length > 0) throw duplicate(used[0]!);
}

/** Only what the patient (or their representatives) may see is announced: a hidden document stays hidden. */
function announced(docs: readonly RecordDocument[], record: LoadedRecord): number {
  return docs.filter(
    (d) =>
      !d.confidentiality.includes('INVISIBLE_PATIENT') &&
      !(record.context.patientIsMinor && d.confidentiality.includes('INVISIBLE_REPRESENTANTS_LEGAUX')),
  ).length;
}

export interface DepositOptions {
  /**
   * The patient files a document received by MSSanté: its author is the sending professional (not the patient),
   * the type must be a professional's; the patient is still the one who acts (policy, audit).
   */
  readonly filedFromMessage?: { readonly author: DocumentAuthor; readonly messageId: string };
  /**
   * The submission set (ITI-65 `List`) the documents come in, stored with them under `id` (their
   * `submissionSetId`), all or nothing.
   */
  readonly submissionSet?: { readonly id: string; readonly input: SubmissionSetInput };
  /** The patient as the caller has just read them: spares a read in the early check (the transaction re-reads). */
  readonly patient?: InsuredPerson;
  /** The caller's own writes that commit with the documents or not at all (e.g. marking what was filed). */
  readonly withinTransaction?: (trx: Executor, docs: readonly RecordDocument[]) => Promise<void>;
}

/**
 * Deposits documents in one patient's record, all or nothing (ITI-65). Content files are written and synced
 * before the rows commit, and removed again when the deposit is refused or fails: only a failed COMMIT (which
 * may have committed) leaves unreferenced files, never a row without its content.
 */
export async function depositDocuments(
  ctx: AppContext,
  principal: Principal,
  inputs: readonly DepositInput[],
  options: DepositOptions = {},
): Promise<RecordDocument[]> {
  const filed = options.filedFromMessage;
  const first = inputs[0];
  if (!first) throw invalid('deposit-empty', 'Aucun document à déposer.');
  if (inputs.some((i) => i.patientId !== first.patientId)) {
    throw invalid('deposit-several-patients', 'Un dépôt ne concerne qu’un seul patient.');
  }
  const now = ctx.clock.now();
  // Checked early, before any content is written; the transaction asks the guard again.
  const early = await openRecord(
    ctx.db,
    principal,
    first.patientId,
    'deposit',
    'deposit',
    now,
    options.patient,
  );
  if (early instanceof Refusal) throw early.error;
  const before = early.record;
  const checked = inputs.map((input, i) => {
    try {
      return checkDepositInput(ctx.config, principal, before.context, input, now, filed !== undefined);
    } catch (error) {
      throw error instanceof CarnetError ? new DepositInputError(i, error) : error;
    }
  });
  const author = filed?.author ?? (await authorOf(ctx.db, principal));
  checkDeclaredAuthors(inputs, author);
  const docs = checked.map((c) => buildDocument(c, author, before.context.settings, principal, now));
  await checkUnique(ctx.db, docs);
  // A structured CDA is found by its section titles too: read now, while the content is in clear, and kept only
  // as the blind index's digests.
  const contentTexts = new Map(
    docs.flatMap((doc, i) =>
      doc.contentType === 'text/xml' ? [[doc.id, cdaSectionTitles(checked[i]!.input.content)] as const] : [],
    ),
  );

  const store = createContentStore(ctx);
  const discardAll = () => Promise.allSettled(docs.map((doc) => store.discard(doc.patientId, doc.id)));
  const written = await Promise.allSettled(
    docs.map((doc, i) => store.put(doc.patientId, doc.id, checked[i]!.input.content)),
  );
  const failed = written.find((w) => w.status === 'rejected');
  if (failed) {
    await discardAll();
    throw failed.reason;
  }

  // Set as the work's last step: a failure before it rolled the transaction back (nothing committed), one after
  // it is the COMMIT's own, which may hide a commit.
  let workDone = false;
  const stored = inRecordTransaction(ctx, async (trx) => {
    const opened = await openRecord(trx, principal, first.patientId, 'deposit', 'deposit', now);
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    await checkUnique(trx, docs);
    const replaced: RecordDocument[] = [];
    for (const doc of docs.filter((d) => d.replacesId)) {
      const old = await checkReplacement(ctx.config, trx, principal, doc, now);
      if (old instanceof Refusal) return old;
      replaced.push(old);
    }
    for (const old of replaced) await supersede(trx, old, now);
    const set = options.submissionSet;
    if (set) {
      await insertSubmissionSet(
        ctx.config,
        trx,
        first.patientId,
        set.id,
        set.input,
        author,
        now.toISOString(),
      );
    }
    // The unique index settles a race that checkUnique cannot see: two deposits of one identifier at once.
    await insertDocuments(ctx.config, trx, docs, now.toISOString(), contentTexts).catch((error: unknown) => {
      throw isUniqueViolation(error) ? duplicate(docs[0]!.masterIdentifier) : error;
    });
    if (filed) {
      // The sending professional is the author, the patient the depositor: "Mes dépôts" and the indicators
      // count only the professional's own deposits.
      await trx
        .updateTable('documents')
        .set({ filed_from_message: filed.messageId })
        .where('patient_id', '=', first.patientId)
        .where(
          'id',
          'in',
          docs.map((d) => d.id),
        )
        .execute();
    }
    await options.withinTransaction?.(trx, docs);
    await noteDeposit(trx, principal, record, now);
    // An author's own `MASQUE_PS` stays theirs to lift, unless the patient's "mask new documents" also masks it.
    if (principal.kind === 'professional' && !record.context.settings.maskNewDocuments) {
      for (const [i, doc] of docs.entries()) {
        if (checked[i]!.input.confidentiality?.includes('MASQUE_PS')) await recordAuthorMask(trx, doc, now);
      }
    }
    const setUniqueId = options.submissionSet?.input.masterIdentifier;
    for (const doc of docs) {
      const detail = {
        typeCode: doc.typeCode,
        masterIdentifier: doc.masterIdentifier,
        // IHE MHD's audit of ITI-65 names the submission set (src/audit/balp-event.ts): an identifier, no content.
        ...(setUniqueId ? { [SUBMISSION_SET_DETAIL]: setUniqueId } : {}),
        ...(filed ? { filedFromMessage: filed.messageId } : {}),
      };
      const action = doc.replacesId ? 'replace' : 'deposit';
      const input = trace(principal, doc.patientId, action, 'success', {
        targetType: 'DocumentReference',
        targetId: doc.id,
        detail: doc.replacesId ? { ...detail, replaces: doc.replacesId } : detail,
      });
      await appendAudit(trx, input, now);
    }
    const count = announced(docs, record);
    if (count > 0 && principal.kind !== 'patient') {
      const actor = { name: author.name, professionCode: author.professionCode };
      await notifyNewDocuments(ctx, trx, record.person, count, actor, now);
    }
    workDone = true;
    return docs;
  });
  // A refusal, a check or any failure inside the transaction means no row was committed: the contents are
  // garbage. A failure of the COMMIT itself (the connection lost, say) may hide a commit, so the contents stay.
  return stored.catch(async (error: unknown) => {
    if (!workDone) await discardAll();
    throw error;
  });
}
