import {
  type Principal,
  decideDeposit,
  decideFiledDeposit,
  mayHideFromPatient,
  denyMessages,
  type RecordContext,
} from '../access/index.ts';
import { type PatientId, professionLabel } from '../identity/index.ts';
import { CarnetError, forbidden, invalid } from '../shared/index.ts';
import { checkContent, contentLimits, type StoredContent } from './content/index.ts';
import type { Config } from '../config/index.ts';
import {
  confidentialityFlags,
  DOCUMENT_TITLE_MAX_LENGTH,
  titleTooLong,
  type ConfidentialityFlag,
  type DocumentId,
  type DocumentMetadata,
  denialError,
} from '../guard/index.ts';
import { findDocumentType, type DocumentType } from '../terminology/index.ts';

/** One document to deposit; the author is the principal, never the input. */
export interface DepositInput {
  readonly patientId: PatientId;
  /** The producer's unique id (XDS uniqueId); generated when absent. Unique in the patient's record. */
  readonly masterIdentifier?: string;
  readonly typeCode: string;
  readonly typeSystem?: string;
  readonly title: string;
  /** When the producer made it (ISO date or date-time); default: now. */
  readonly createdAt?: string;
  readonly serviceStart?: string;
  readonly serviceEnd?: string;
  readonly confidentiality?: readonly ConfidentialityFlag[];
  readonly content: Uint8Array;
  readonly declaredContentType?: string;
  /** The version this one replaces (it becomes `superseded`). */
  readonly replacesId?: DocumentId;
  readonly submissionSetId?: string;
  /**
   * The author the producer names (ITI-65 `DocumentReference.author`) when it is another professional than the
   * one depositing (the DMP's "auteur" beside the "déposant"): they must be in the directory.
   */
  readonly authorNationalId?: string;
  /** PDSm metadata as submitted (the SHA-1 is computed from the content, never taken from the input). */
  readonly metadata?: Partial<Omit<DocumentMetadata, 'sha1'>>;
}

export interface CheckedDeposit {
  readonly input: DepositInput;
  readonly type: DocumentType;
  readonly content: StoredContent;
  readonly createdAt: string;
  readonly serviceStart: string | undefined;
  readonly serviceEnd: string | undefined;
  readonly title: string;
}

/** A refused input of a multi-document deposit: which one, so that an adapter can point at it. */
export class DepositInputError extends CarnetError {
  constructor(
    readonly index: number,
    readonly original: CarnetError,
  ) {
    super(original.kind, original.code, original.message, original.expression);
  }
}

const unprocessable = (code: string, message: string, expression: string) =>
  new CarnetError('unprocessable', code, message, expression);

/** ISO-8601 date or date-time, normalised to a UTC instant (a date alone is its midnight UTC). */
export function isoDateTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value);
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (!ok || Number.isNaN(date.getTime())) {
    throw invalid('date-invalid', `La date « ${value.slice(0, 40)} » n’est pas valide.`, field);
  }
  return date.toISOString();
}

/** A day of tolerance: a date typed in France may be "tomorrow" in UTC, and producers' clocks drift. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

/** Whether a document's date (an ISO instant) lies in the future: the act it records has not happened yet. */
export function isInFuture(createdAt: string, now: Date): boolean {
  return new Date(createdAt).getTime() > now.getTime() + FUTURE_TOLERANCE_MS;
}

export function checkType(
  principal: Principal,
  record: RecordContext,
  code: string,
  system: string | undefined,
  filedFromMessage = false,
): DocumentType {
  const type = findDocumentType(code, system);
  if (!type) {
    throw unprocessable(
      'type-unknown',
      `Le type de document « ${code.slice(0, 64)} » est inconnu.`,
      'typeCode',
    );
  }
  if (type.deprecated) {
    throw unprocessable(
      'type-deprecated',
      `Le type de document « ${code} » n’est plus accepté pour un nouveau dépôt.`,
      'typeCode',
    );
  }
  // Who may file which type is the policy's (DOCPAT* are the patient's, REMB the insurer's).
  const decision = filedFromMessage
    ? decideFiledDeposit(principal, record, type.code)
    : decideDeposit(principal, record, type.code);
  // A refusal about the person (a minor's advance directives) says so, rather than blame the type.
  if (!decision.allowed && decision.reason === 'minor-directives') throw denialError(decision.reason);
  if (!decision.allowed && decision.reason === 'not-producer') throw notProducer(type);
  if (!decision.allowed) {
    throw unprocessable(
      'type-not-for-author',
      `Le type de document « ${code} » ne peut pas être déposé par vous.`,
      'typeCode',
    );
  }
  return type;
}

/** The production rule, named with whom it reserves the type to (professions, the patient, the insurer). */
const notProducer = (type: DocumentType) => {
  const reservedTo =
    type.producer === 'patient'
      ? 'au patient'
      : type.producer === 'insurer'
        ? 'à l’Assurance Maladie'
        : `aux professions suivantes : ${(type.producerProfessions ?? []).map((p) => professionLabel(p).toLowerCase()).join(', ')}`;
  return forbidden(
    'not-producer',
    `Le type de document « ${type.display} » est réservé ${reservedTo}. ${denyMessages['not-producer']}`,
  );
};

function checkFlags(principal: Principal, flags: readonly ConfidentialityFlag[]): void {
  for (const flag of flags) {
    if (!confidentialityFlags.includes(flag)) {
      throw unprocessable(
        'confidentiality-unknown',
        `Niveau de confidentialité inconnu : ${flag}.`,
        'confidentiality',
      );
    }
    // Hiding a document from the patient is a professional's decision (a diagnosis to announce in person).
    if (flag !== 'MASQUE_PS' && !mayHideFromPatient(principal)) {
      throw unprocessable(
        'confidentiality-not-allowed',
        'Seul un professionnel de santé peut rendre un document invisible au patient.',
        'confidentiality',
      );
    }
  }
}

/** Everything about one input that needs no database: type, content, title, dates, flags. */
export function checkDepositInput(
  config: Config,
  principal: Principal,
  record: RecordContext,
  input: DepositInput,
  now: Date,
  filedFromMessage = false,
): CheckedDeposit {
  const type = checkType(principal, record, input.typeCode, input.typeSystem, filedFromMessage);
  const title = input.title.trim();
  if (title === '') throw invalid('title-required', 'Le titre du document est obligatoire.', 'title');
  if (title.length > DOCUMENT_TITLE_MAX_LENGTH) throw titleTooLong();
  const createdAt = isoDateTime(input.createdAt, 'createdAt') ?? now.toISOString();
  if (isInFuture(createdAt, now)) {
    throw invalid('date-in-future', 'La date du document ne peut pas être dans le futur.', 'createdAt');
  }
  const serviceStart = isoDateTime(input.serviceStart, 'serviceStart');
  const serviceEnd = isoDateTime(input.serviceEnd, 'serviceEnd');
  if (serviceStart && serviceEnd && serviceStart > serviceEnd) {
    throw invalid('period-invalid', 'La fin de la prise en charge précède son début.', 'serviceEnd');
  }
  checkFlags(principal, input.confidentiality ?? []);
  if (input.masterIdentifier !== undefined && !/^\S{1,256}$/.test(input.masterIdentifier)) {
    throw invalid(
      'master-identifier-invalid',
      'L’identifiant unique du document est invalide.',
      'masterIdentifier',
    );
  }
  // A filed message attachment is the professional's document: their formats (CDA) and size limit apply.
  const uploader = principal.kind === 'patient' && !filedFromMessage ? 'patient' : 'professional';
  const content = checkContent(contentLimits(config), uploader, input.content, input.declaredContentType);
  return { input, type, content, createdAt, serviceStart, serviceEnd, title };
}
