/**
 * Scenarios for the property test of every path that shows documents (record-paths.property.test.ts): a fresh
 * patient (a minor with a representative, or an adult), random settings, documents, relations and access modes,
 * set up through the services where a real path exists, and the model the policy decides on.
 */
import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import type {
  AccessMode,
  PatientPrincipal,
  Principal,
  ProfessionalPrincipal,
  EmergencyAccess,
  ProfessionalRelation,
  RecordContext,
  RecordSettings,
  DocumentFacts,
} from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { principalOf } from '../auth/index.ts';
import { demoProfessionals } from '../demo/index.ts';
import { INS_OID, nationalIdOfRpps, type Ins, type PatientId } from '../identity/index.ts';
import { insuredRow, type InsuredPerson } from '../insured/index.ts';
import { findProfessionalByNationalId, type Professional } from '../professionals/index.ts';
import { uuidv7 } from '../shared/index.ts';
import type { DocumentsTable, ProfileState } from '../storage/index.ts';
import { createContentStore, sha256Hex } from './content/index.ts';
import { noMetadataColumns, sealTitle, type DocumentStatus } from '../guard/index.ts';
import { documentTypes } from '../terminology/index.ts';
import {
  declareConsent,
  depositDocuments,
  setProfessionalStatus,
  updateRecordSettings,
  type DocumentId,
} from './index.ts';

export type AuthorSpec =
  | { kind: 'professional'; index: number }
  | { kind: 'stranger' | 'establishment' | 'patient' | 'representative' | 'insurer' };

export interface DocSpec {
  author: AuthorSpec;
  typePick: number;
  masked: boolean;
  invisiblePatient: boolean;
  invisibleRepresentatives: boolean;
  status: DocumentStatus;
  /** Through `depositDocuments` (then its status changed in place), or a row written as a migration would. */
  viaDeposit: boolean;
}

export interface ProSpec {
  index: number;
  relation: ProfessionalRelation;
  /** An emergency access of this professional to the scenario's patient (stored as is, whatever its reason). */
  mode: AccessMode;
  reason: string | undefined;
}

export type SearchFilter =
  | { kind: 'type'; picks: number[] }
  | { kind: 'label'; labels: ('N' | 'MASQUE_PS' | 'INVISIBLE_PATIENT' | 'INVISIBLE_REPRESENTANTS_LEGAUX')[] }
  | { kind: 'author'; index: number };

export interface Scenario {
  minor: boolean;
  profileState: ProfileState;
  settings: RecordSettings;
  pros: ProSpec[];
  docs: DocSpec[];
  pageSize: number;
  filter: SearchFilter;
  /** Which of `pros` goes through HTTP (FHIR and the portal). */
  httpPro: number;
}

const proIndexArb = fc.integer({ min: 0, max: demoProfessionals.length - 1 });

const authorArb: fc.Arbitrary<AuthorSpec> = fc.oneof(
  { weight: 5, arbitrary: proIndexArb.map((index) => ({ kind: 'professional' as const, index })) },
  fc.constantFrom(
    ...(['stranger', 'establishment', 'patient', 'representative', 'insurer'] as const).map((kind) => ({
      kind,
    })),
  ),
);

const docArb: fc.Arbitrary<DocSpec> = fc.record({
  author: authorArb,
  typePick: fc.nat(),
  masked: fc.boolean(),
  invisiblePatient: fc.constantFrom(false, false, true),
  invisibleRepresentatives: fc.constantFrom(false, false, true),
  status: fc.constantFrom<DocumentStatus>(
    'current',
    'current',
    'current',
    'superseded',
    'archived',
    'deleted',
  ),
  viaDeposit: fc.boolean(),
});

const relationArb: fc.Arbitrary<ProfessionalRelation> = fc
  .record({
    consent: fc.boolean(),
    blocked: fc.constantFrom(false, false, false, true),
    administrator: fc.constantFrom(false, false, true),
  })
  // The patient cannot name a blocked professional administrateur (setProfessionalStatus refuses it).
  .map((r) => ({ ...r, administrator: r.administrator && !r.blocked }));

const proArb: fc.Arbitrary<ProSpec> = fc.record({
  index: proIndexArb,
  relation: relationArb,
  mode: fc.constantFrom<AccessMode>('normal', 'normal', 'bris-de-glace', 'centre-de-regulation'),
  reason: fc.constantFrom(undefined, '', '  ', 'Patient inconscient aux urgences'),
});

const filterArb: fc.Arbitrary<SearchFilter> = fc.oneof(
  fc.record({
    kind: fc.constant('type' as const),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('label' as const),
    labels: fc.uniqueArray(
      fc.constantFrom('N', 'MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX' as const),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  fc.record({ kind: fc.constant('author' as const), index: proIndexArb }),
);

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  minor: fc.boolean(),
  profileState: fc.constantFrom<ProfileState>(
    'activated',
    'activated',
    'activated',
    'activated',
    'created',
    'closed',
    'opposed',
  ),
  settings: fc.record({
    maskNewDocuments: fc.boolean(),
    allowBrisDeGlace: fc.boolean(),
    allowRegulation: fc.boolean(),
    allowMaskedInEmergency: fc.boolean(),
  }),
  pros: fc.uniqueArray(proArb, { minLength: 2, maxLength: 4, selector: (p) => p.index }),
  docs: fc.array(docArb, { minLength: 0, maxLength: 8 }),
  pageSize: fc.integer({ min: 1, max: 3 }),
  filter: filterArb,
  httpPro: fc.nat(),
});

/** Types each kind of author may file (decideDeposit), and every type a stored row may carry (deprecated ones too). */
const readableTypes = documentTypes.map((t) => t.code);
const typesFor = (author: AuthorSpec, shared: Shared): string[] => {
  const live = documentTypes.filter((t) => !t.deprecated);
  if (author.kind === 'professional') {
    const profession = shared.professionals[author.index]!.professionCode;
    return live
      .filter((t) => t.producer === 'professional')
      .filter((t) => t.producerProfessions?.includes(profession) ?? true)
      .map((t) => t.code);
  }
  if (author.kind === 'patient' || author.kind === 'representative')
    return live.map((t) => t.code).filter((c) => c.startsWith('DOCPAT'));
  if (author.kind === 'insurer') return ['REMB', '96874-3'];
  return readableTypes;
};
export const typeCodeOf = (pick: number, choices: readonly string[] = readableTypes) =>
  choices[pick % choices.length]!;

export const STRANGER_NATIONAL_ID = '810009999998';
const ESTABLISHMENT_NATIONAL_ID = '11750000001';

/** Everything the seed provides once: the demo professionals and a fresh PDF to vary per document. */
export interface Shared {
  professionals: Professional[];
  pdf: Uint8Array;
}

export async function loadShared(ctx: AppContext, pdf: Uint8Array): Promise<Shared> {
  const professionals: Professional[] = [];
  for (const demo of demoProfessionals) {
    const known = await findProfessionalByNationalId(ctx.db, nationalIdOfRpps(demo.rpps));
    if (!known) throw new Error(`demo professional ${demo.rpps} missing`);
    professionals.push(known);
  }
  return { professionals, pdf };
}

export interface StoredDoc {
  label: string;
  row: DocumentsTable;
  bytes: Buffer;
}

export interface Built {
  patient: InsuredPerson;
  representative: InsuredPerson | undefined;
  /** Who sets the patient's choices: the patient, or the representative of a minor. */
  manager: PatientPrincipal;
  docs: StoredDoc[];
  /** The relation each professional (by national id) has after setup, as the model says. */
  relations: Map<string, ProfessionalRelation>;
  /** The emergency access each professional (by national id) has to the patient, as the model says. */
  emergencies: Map<string, EmergencyAccess>;
  context: RecordContext;
}

function freshPerson(now: Date, birthDate: string): InsuredPerson {
  // Not a real INS (no valid key): the paths under test never parse it, and it cannot clash with the demo's.
  const serial = String(randomInt(1e11, 1e12));
  return {
    id: uuidv7() as PatientId,
    ins: `9${serial}99` as Ins,
    insOid: INS_OID.testNir,
    birthName: 'PROPRIETE',
    usedName: undefined,
    firstNames: 'Alex',
    birthDate,
    sex: 'female',
    birthPlaceInsee: undefined,
    email: `alex.${serial}@mail.example`,
    phone: undefined,
    vitaleSerial: undefined,
    profileState: 'activated',
    stateChangedAt: now.toISOString(),
    deletionRequested: false,
  };
}

export const patientPrincipal = (
  person: InsuredPerson,
  actsFor: PatientId[] = [person.id],
): PatientPrincipal => ({
  kind: 'patient',
  patientId: person.id,
  ins: person.ins,
  actsFor,
});

/** A professional signed in as the development provider signs them in (the demo's regulator is one). */
export function professionalPrincipal(shared: Shared, spec: Pick<ProSpec, 'index'>) {
  const regulator = demoProfessionals[spec.index]?.regulator === true;
  return principalOf(shared.professionals[spec.index]!, { regulator, declaredEmergency: undefined });
}

async function createPeople(ctx: AppContext, minor: boolean) {
  const now = ctx.clock.now();
  const childBirth = `${now.getUTCFullYear() - 9}-03-15`;
  const patient = freshPerson(now, minor ? childBirth : '1980-05-05');
  const representative = minor ? freshPerson(now, '1985-11-20') : undefined;
  const at = now.toISOString();
  await ctx.db
    .insertInto('patients')
    .values([patient, ...(representative ? [representative] : [])].map((p) => insuredRow(p, at)))
    .execute();
  if (representative) {
    await ctx.db
      .insertInto('representatives')
      .values({
        patient_id: patient.id,
        representative_ins: representative.ins,
        representative_patient_id: representative.id,
        created_at: at,
      })
      .execute();
  }
  return { patient, representative };
}

function depositor(
  shared: Shared,
  built: Pick<Built, 'patient' | 'representative'>,
  author: AuthorSpec,
): Principal {
  switch (author.kind) {
    case 'professional':
      return professionalPrincipal(shared, author);
    case 'patient':
      return patientPrincipal(built.patient);
    case 'representative':
      return patientPrincipal(built.representative!, [built.representative!.id, built.patient.id]);
    default:
      return { kind: 'insurer' };
  }
}

/** Distinct bytes per document, still a PDF by its signature (the comment line follows %%EOF). */
const contentOf = (shared: Shared, n: number) =>
  Buffer.concat([Buffer.from(shared.pdf), Buffer.from(`\n%carnet-property ${uuidv7()} ${n}\n`)]);

async function depositOne(ctx: AppContext, shared: Shared, built: Built, spec: DocSpec, n: number) {
  const principal = depositor(shared, built, spec.author);
  const isPro = spec.author.kind === 'professional';
  const bytes = contentOf(shared, n);
  const [doc] = await depositDocuments(ctx, principal, [
    {
      patientId: built.patient.id,
      typeCode: typeCodeOf(spec.typePick, typesFor(spec.author, shared)),
      title: `Document ${n}`,
      content: bytes,
      declaredContentType: 'application/pdf',
      // Only a professional may hide a document from the patient (deposit-input.ts).
      confidentiality: [
        ...(spec.masked ? (['MASQUE_PS'] as const) : []),
        ...(isPro && spec.invisiblePatient ? (['INVISIBLE_PATIENT'] as const) : []),
        ...(isPro && spec.invisibleRepresentatives ? (['INVISIBLE_REPRESENTANTS_LEGAUX'] as const) : []),
      ],
    },
  ]);
  if (spec.status !== 'current') {
    await ctx.db.updateTable('documents').set({ status: spec.status }).where('id', '=', doc!.id).execute();
  }
  return { id: doc!.id, bytes };
}

function insertedAuthor(shared: Shared, built: Built, author: AuthorSpec) {
  const none = { author_national_id: null, author_patient_id: null, author_profession_code: null };
  switch (author.kind) {
    case 'professional': {
      const p = shared.professionals[author.index]!;
      const code = { author_profession_code: p.professionCode };
      return { ...none, ...code, author_kind: 'professional', author_national_id: p.nationalId };
    }
    case 'stranger':
      return { ...none, author_kind: 'professional', author_national_id: STRANGER_NATIONAL_ID };
    case 'establishment':
      return { ...none, author_kind: 'establishment', author_national_id: ESTABLISHMENT_NATIONAL_ID };
    case 'patient':
      return { ...none, author_kind: 'patient', author_patient_id: built.patient.id };
    case 'representative':
      return { ...none, author_kind: 'patient', author_patient_id: built.representative!.id };
    case 'insurer':
      return { ...none, author_kind: 'insurer' };
  }
}

/** A row as an import or an older version would have left it, with its content in the store. */
async function insertOne(ctx: AppContext, shared: Shared, built: Built, spec: DocSpec, n: number) {
  const id = uuidv7() as DocumentId;
  const bytes = contentOf(shared, n);
  await createContentStore(ctx).put(built.patient.id, id, bytes);
  const type = documentTypes.find((t) => t.code === typeCodeOf(spec.typePick))!;
  const at = new Date(ctx.clock.now().getTime() - (n + 1) * 60_000).toISOString();
  await ctx.db
    .insertInto('documents')
    .values({
      patient_id: built.patient.id,
      id,
      master_identifier: `urn:uuid:${id}`,
      type_code: type.code,
      type_system: type.system,
      type_display: type.display,
      class_code: type.classCode,
      sealed_title: sealTitle(ctx.config, built.patient.id, id, `Document ${n}`),
      ...insertedAuthor(shared, built, spec.author),
      author_name: 'Auteur',
      author_specialty_code: null,
      author_structure_national_id: null,
      author_structure_name: null,
      created_at: at,
      service_start: null,
      service_end: null,
      deposited_at: at,
      status: spec.status,
      masked_ps: spec.masked ? 1 : 0,
      invisible_patient: spec.invisiblePatient ? 1 : 0,
      invisible_representatives: spec.invisibleRepresentatives ? 1 : 0,
      content_hash: sha256Hex(bytes),
      content_size: bytes.length,
      content_type: 'application/pdf',
      replaces_id: null,
      submission_set_id: null,
      updated_at: at,
      ...noMetadataColumns,
    })
    .execute();
  return { id, bytes };
}

const canDeposit = (spec: DocSpec, minor: boolean) =>
  spec.viaDeposit &&
  !['stranger', 'establishment'].includes(spec.author.kind) &&
  (minor || spec.author.kind !== 'representative');

function describeDoc(spec: DocSpec, row: DocumentsTable, n: number, via: string): string {
  const flags = [
    row.masked_ps && 'MASQUE_PS',
    row.invisible_patient && 'INV_PAT',
    row.invisible_representatives && 'INV_REP',
  ];
  const author = spec.author.kind === 'professional' ? `pro#${spec.author.index}` : spec.author.kind;
  return `doc#${n} (${via}, type ${row.type_code}, ${row.status}, [${flags.filter(Boolean).join(',')}], by ${author})`;
}

/** Settings first (they decide the mask of new deposits), then documents, then relations, then the profile state. */
export async function buildScenario(ctx: AppContext, shared: Shared, s: Scenario): Promise<Built> {
  const people = await createPeople(ctx, s.minor);
  const manager = people.representative
    ? patientPrincipal(people.representative, [people.representative.id, people.patient.id])
    : patientPrincipal(people.patient);
  await updateRecordSettings(ctx, manager, people.patient.id, s.settings);
  const built: Built = {
    ...people,
    manager,
    docs: [],
    relations: new Map(),
    emergencies: new Map(),
    context: undefined!,
  };
  for (const [n, spec] of s.docs.entries()) {
    const deposit = canDeposit(spec, s.minor);
    const author =
      s.minor || spec.author.kind !== 'representative' ? spec.author : { kind: 'patient' as const };
    const effective = { ...spec, author };
    const { id, bytes } = deposit
      ? await depositOne(ctx, shared, built, effective, n)
      : await insertOne(ctx, shared, built, effective, n);
    const row = await ctx.db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    built.docs.push({ row, bytes, label: describeDoc(effective, row, n, deposit ? 'deposit' : 'row') });
  }
  await setRelations(ctx, shared, built, s.pros);
  if (s.profileState !== 'activated') {
    await ctx.db
      .updateTable('patients')
      .set({ profile_state: s.profileState })
      .where('id', '=', built.patient.id)
      .execute();
  }
  built.context = {
    patientId: built.patient.id,
    profileState: s.profileState,
    patientIsMinor: s.minor,
    settings: s.settings,
    relation: undefined,
  };
  return built;
}

/** Consent as the professional declares it; block and administrateur as the patient decides them. */
async function setRelations(ctx: AppContext, shared: Shared, built: Built, pros: readonly ProSpec[]) {
  const patientId = built.patient.id;
  for (const pro of pros) {
    const principal = professionalPrincipal(shared, pro);
    const { consent, blocked, administrator } = pro.relation;
    if (consent) await declareConsent(ctx, principal, patientId);
    if (blocked)
      await setProfessionalStatus(ctx, built.manager, patientId, principal.nationalId, { blocked });
    if (administrator)
      await setProfessionalStatus(ctx, built.manager, patientId, principal.nationalId, { administrator });
    // A deposit is no consent (deposit-relation.ts): the depositor's relation is what was declared and decided.
    built.relations.set(principal.nationalId, pro.relation);
    if (pro.mode !== 'normal') {
      built.emergencies.set(principal.nationalId, { mode: pro.mode, reason: pro.reason, endsAt: FAR_FUTURE });
    } else built.emergencies.delete(principal.nationalId);
  }
  // Stored as is (even without a reason, which startEmergencyAccess refuses): the policy checks each use again.
  for (const [nationalId, emergency] of built.emergencies) {
    await ctx.db
      .insertInto('emergency_accesses')
      .values({
        id: uuidv7(),
        patient_id: patientId,
        professional_national_id: nationalId,
        mode: emergency.mode,
        reason: emergency.reason ?? null,
        started_at: '2000-01-01T00:00:00.000Z',
        ends_at: emergency.endsAt,
        ended_at: null,
      })
      .execute();
  }
}

const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

/** The policy's view of the record for one principal, from the model (not from the database). */
export function modelContext(built: Built, principal: Principal): RecordContext {
  if (principal.kind !== 'professional') return built.context;
  const relation = built.relations.get(principal.nationalId);
  // Asked only when the relation alone does not open the record (record-context.ts).
  const opened = Boolean(relation?.consent || relation?.administrator);
  const ownDocuments =
    !opened &&
    built.docs.some((d) => d.row.author_national_id === principal.nationalId && d.row.status !== 'deleted');
  return {
    ...built.context,
    relation,
    emergency: built.emergencies.get(principal.nationalId),
    ownDocuments,
  };
}

/** An absent relation and an all-false one decide alike; a consultation creates the latter. */
export const normalRelation = (r: ProfessionalRelation | undefined): ProfessionalRelation =>
  r ?? { blocked: false, administrator: false, consent: false };

export function factsOf(row: DocumentsTable): DocumentFacts {
  return {
    typeCode: row.type_code,
    status: row.status as DocumentStatus,
    masked: row.masked_ps === 1,
    invisiblePatient: row.invisible_patient === 1,
    invisibleRepresentatives: row.invisible_representatives === 1,
    authorNationalId: row.author_national_id ?? undefined,
    authorPatientId: row.author_patient_id ?? undefined,
  };
}

export function describePrincipal(principal: Principal, built: Built, shared: Shared): string {
  switch (principal.kind) {
    case 'professional': {
      const index = shared.professionals.findIndex((p) => p.nationalId === principal.nationalId);
      const emergency = JSON.stringify(built.emergencies.get(principal.nationalId) ?? null);
      const relation = JSON.stringify(built.relations.get(principal.nationalId) ?? null);
      const regulator = principal.signIn.regulator ? ', regulator' : '';
      return `pro#${index} (profession ${principal.professionCode}${principal.specialtyCode ? `/${principal.specialtyCode}` : ''}${regulator}, emergency ${emergency}, relation ${relation})`;
    }
    case 'patient':
      return principal.patientId === built.patient.id
        ? 'the patient'
        : principal.actsFor.includes(built.patient.id)
          ? 'the representative'
          : 'another patient';
    default:
      return principal.kind;
  }
}

export type { ProfessionalPrincipal };
