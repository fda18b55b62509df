import type { AppContext } from '../app/index.ts';
import {
  type Principal,
  type ProfessionalPrincipal,
  mayWriteVsm,
  decideRecord,
  denyMessages,
  isDenyReason,
} from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById } from '../insured/index.ts';
import { profileAreaLabels, readProfile, type ProfileArea } from '../medical-profile/index.ts';
import {
  parseCda,
  type CdaDocument,
  type DocumentId,
  type RecordDocument,
  depositDocuments,
  loadRecordContext,
  retrieveDocumentContent,
  searchDocuments,
} from '../record/index.ts';
import { CarnetError, forbidden, invalid, notFound } from '../shared/index.ts';
import { buildVsmCda, VSM_TITLE, VSM_TYPE_CODE } from './cda-builder.ts';
import { uuidOid } from './cda-parts.ts';
import { emptyVsmContent, isVsmEmpty, parseVsmContent, type VsmContent } from './model.ts';
import { contentFromProfile, mergeContents, prefillSections } from './prefill.ts';
import { readVsmContent, vsmTypeCodes } from './reader.ts';

function requireDoctor(principal: Principal): ProfessionalPrincipal {
  if (!mayWriteVsm(principal)) {
    throw forbidden('role', 'Seul un médecin peut rédiger le volet de synthèse médicale.');
  }
  return principal;
}

/** A record-level refusal (no consent, blocked, closed…): the draft still opens, empty, with the reason. */
const isRecordRefusal = (error: unknown): error is CarnetError =>
  error instanceof CarnetError && error.kind === 'forbidden' && isDenyReason(error.code);

export interface PreviousVsm {
  readonly document: RecordDocument;
  /** Undefined when the stored content is not a readable CDA (a PDF VSM, say). */
  readonly cda: { readonly xml: string; readonly document: CdaDocument } | undefined;
}

/** The newest current VSM the principal may see (only the author's own with `authorNationalId`), read and parsed. */
export async function latestVsm(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  authorNationalId?: string,
): Promise<PreviousVsm | undefined> {
  const { documents } = await searchDocuments(ctx, principal, {
    patientId,
    typeCodes: vsmTypeCodes,
    ...(authorNationalId ? { authorNationalId } : {}),
    count: 1,
    offset: 0,
  });
  const document = documents[0];
  if (!document) return undefined;
  if (document.contentType !== 'text/xml') return { document, cda: undefined };
  const { content } = await retrieveDocumentContent(ctx, principal, document.id);
  const xml = content.toString('utf8');
  const parsed = parseCda(xml);
  return { document, cda: parsed instanceof Error ? undefined : { xml, document: parsed } };
}

export interface VsmDraft {
  readonly patient: { readonly name: string; readonly ins: string; readonly birthDate: string };
  readonly content: VsmContent;
  /** The VSM the draft starts from. */
  readonly previous: {
    readonly documentId: DocumentId;
    readonly title: string;
    readonly createdAt: string;
    readonly authorName: string;
    readonly ownDocument: boolean;
  } | null;
  /** Profile sections the doctor may not read (habilitation, or masked by the patient). */
  readonly profileUnavailable: readonly { readonly section: string; readonly label: string }[];
  /** Why part of the prefill is missing, in French. */
  readonly notices: readonly string[];
}

/**
 * A VSM to edit: the newest VSM the doctor may read (parsed), completed with the patient's profile as the doctor may
 * read it (the policy applies: masked or unhabilitated sections are left out and listed). Reads are traced by the
 * record and profile services.
 */
export async function vsmDraft(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<VsmDraft> {
  const doctor = requireDoctor(principal);
  const person = await findInsuredById(ctx.db, patientId);
  if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
  // Writing needs no consent (the draft is then offered empty), but a professional the patient blocked, or a
  // closed record, gets no draft: not even the identity it would carry.
  const writing = decideRecord(
    doctor,
    await loadRecordContext(ctx.db, patientId, doctor, ctx.clock.now()),
    'deposit',
  );
  if (!writing.allowed) throw forbidden(writing.reason, denyMessages[writing.reason]);
  const notices: string[] = [];
  let previous: PreviousVsm | undefined;
  let fromProfile = emptyVsmContent();
  let unavailable: VsmDraft['profileUnavailable'] = [];
  try {
    previous = await latestVsm(ctx, doctor, patientId);
    const profile = await readProfile(ctx, doctor, patientId, { sections: prefillSections });
    fromProfile = contentFromProfile(profile.entries, ctx.clock.now());
    const areas = new Set<ProfileArea>([...profile.masked, ...profile.refused.map((r) => r.section)]);
    unavailable = [...areas].map((section) => ({ section, label: profileAreaLabels[section] }));
  } catch (error) {
    if (!isRecordRefusal(error)) throw error;
    notices.push(`${error.message} Le volet est proposé vide.`);
  }
  let fromPrevious = emptyVsmContent();
  if (previous?.cda) fromPrevious = readVsmContent(previous.cda.xml);
  else if (previous)
    notices.push('Le dernier volet de synthèse n’est pas un document structuré : il n’a pas été repris.');
  return {
    patient: {
      name: `${person.firstNames.split(/\s+/)[0]} ${(person.usedName ?? person.birthName).toUpperCase()}`,
      ins: person.ins,
      birthDate: person.birthDate,
    },
    content: mergeContents(fromPrevious, fromProfile),
    previous: previous
      ? {
          documentId: previous.document.id,
          title: previous.document.title,
          createdAt: previous.document.createdAt,
          authorName: previous.document.author.name,
          ownDocument: previous.document.author.nationalId === doctor.nationalId,
        }
      : null,
    profileUnavailable: unavailable,
    notices,
  };
}

/** `urn:oid:<root>` or `<root>^<extension>` (how the parser gives ids) → the CDA II. */
function instanceIdentifier(value: string): { root: string; extension: string | undefined } {
  if (value.startsWith('urn:oid:')) return { root: value.slice('urn:oid:'.length), extension: undefined };
  const [root, extension] = value.split('^');
  return { root: root!, extension };
}

export interface WrittenVsm {
  readonly document: RecordDocument;
  readonly versionNumber: number;
  readonly replacedId: DocumentId | null;
}

/**
 * Generates the VSM (CDA R2) and deposits it in the record as the doctor. It replaces the doctor's own current VSM
 * (same setId, next version, relatedDocument RPLC) when there is one the doctor may read; otherwise it starts a set.
 */
export async function writeVsm(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  input: unknown,
): Promise<WrittenVsm> {
  const doctor = requireDoctor(principal);
  const content = parseVsmContent(input);
  if (isVsmEmpty(content)) {
    throw invalid('vsm-empty', 'Le volet de synthèse est vide : renseignez au moins une section.');
  }
  const person = await findInsuredById(ctx.db, patientId);
  if (!person) throw notFound('patient-not-found', 'Patient introuvable.');
  let previous: PreviousVsm | undefined;
  try {
    previous = await latestVsm(ctx, doctor, patientId, doctor.nationalId);
  } catch (error) {
    // Without the right to read the record, the doctor cannot replace: the deposit (no consent needed) starts a set.
    if (!isRecordRefusal(error)) throw error;
  }
  const header = previous?.cda?.document.header;
  const now = ctx.clock.now();
  const documentOid = uuidOid();
  const versionNumber = header?.setId ? (header.versionNumber ?? 1) + 1 : 1;
  const xml = buildVsmCda({
    documentOid,
    setId: header?.setId ? instanceIdentifier(header.setId) : { root: uuidOid(), extension: undefined },
    versionNumber,
    replaces: header ? header.documentId : undefined,
    effectiveTime: now,
    patient: person,
    author: {
      nationalId: doctor.nationalId,
      givenName: doctor.givenName,
      familyName: doctor.familyName,
      specialtyCode: doctor.specialtyCode,
      structure: doctor.structure,
    },
    content,
  });
  const [document] = await depositDocuments(ctx, doctor, [
    {
      patientId,
      masterIdentifier: `urn:oid:${documentOid}`,
      typeCode: VSM_TYPE_CODE,
      title: VSM_TITLE,
      createdAt: now.toISOString(),
      content: Buffer.from(xml, 'utf8'),
      declaredContentType: 'text/xml',
      ...(previous ? { replacesId: previous.document.id } : {}),
    },
  ]);
  return { document: document!, versionNumber, replacedId: previous?.document.id ?? null };
}
