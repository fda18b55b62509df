/**
 * The world of the enumerated-route isolation test (route-isolation.property.test.ts): the demo seed, one
 * professional of every profession, five patients with data marked by unique canary strings, and the principals
 * that call the routes (patients, a representative, professionals in every access mode, connected apps), with the
 * policy's view of what each principal may see.
 */
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { sql } from 'kysely';
import {
  type AppPrincipal,
  type AppPurpose,
  type EmergencyMode,
  type PatientPrincipal,
  type Principal,
  decideDocument,
  decideRecord,
  type DocumentFacts,
  isProfessionalType,
  type RecordContext,
} from '../access/index.ts';
import type { AppContext } from '../app/index.ts';
import { createAgendaEvent } from '../agenda/index.ts';
import {
  issuePatientAccessToken,
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
  principalOf,
} from '../auth/index.ts';
import { findServiceByClientId, scopesOfPurposes, GLUCOSUIVI_CLIENT_ID } from '../catalogue/index.ts';
import { APP_TOKEN_PREFIX, newSecret, secretHash } from '../connections/index.ts';
import { demoIns, demoProfessionals, seedDemo } from '../demo/index.ts';
import { issueDevAccessToken } from '../idp/index.ts';
import {
  nationalIdOfRpps,
  professions,
  withLuhnKey,
  type Ins,
  type PatientId,
  type ProfessionCode,
  type Rpps,
} from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { patientAddress, receiveInbound } from '../messaging/index.ts';
import {
  findProfessionalByNationalId,
  upsertProfessional,
  type Professional,
} from '../professionals/index.ts';
import { makePdf } from '../record/content/test-files.ts';
import { documentTypes } from '../terminology/index.ts';
import {
  type DocumentStatus,
  changeFolderDocument,
  changePin,
  createFolder,
  declareConsent,
  depositDocuments,
  searchDocuments,
  loadRecordContext,
  setProfessionalStatus,
  startEmergencyAccess,
  updateRecordSettings,
} from '../record/index.ts';
import { uuidv7 } from '../shared/index.ts';

/** Canaries: strings planted in one patient's data that no other principal's answer may ever contain. */
export const CANARY_PATTERN = /ZQX[0-9A-Z]{10}/gi;

/** What the world is built with: a PDF to vary, and each canary planted with the id of the row it went into. */
interface Seeder {
  readonly ctx: AppContext;
  readonly pdf: Uint8Array;
  readonly plants: Map<string, string>;
  canary(): string;
}

function seeder(ctx: AppContext, pdf: Uint8Array): Seeder {
  let count = 0;
  return {
    ctx,
    pdf,
    plants: new Map(),
    canary: () =>
      `ZQX${(count++).toString(36).toUpperCase().padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`,
  };
}

/** One patient-owned row (a document, a thread, an event, …) and what marks it in a response. */
export interface WorldObject {
  readonly table: string;
  readonly id: string;
  readonly owner: PatientId;
  /** Facts the policy decides on, for documents. */
  readonly facts: DocumentFacts | undefined;
  /** A document's master identifier (how FHIR clients name it in conditional updates). */
  readonly masterIdentifier?: string | undefined;
  readonly label: string;
}

export type PrincipalFamily = 'patient' | 'professional' | 'app' | 'anonymous';

export interface TestPrincipal {
  readonly label: string;
  readonly family: PrincipalFamily;
  /** The principal the policy decides on (absent for an anonymous caller). */
  readonly principal: Principal | undefined;
  /** Headers for a read (shared credentials), and fresh ones for a write (so a sign-out or a mode change stays local). */
  readonly readHeaders: Record<string, string>;
  readonly freshHeaders: () => Promise<Record<string, string>>;
  /** Bearer header for FHIR (professionals and patients have both a session and a token). */
  readonly bearer: () => Record<string, string> | undefined;
  /** Issues the bearer token again: access tokens live an hour, a long run outlives them. */
  readonly renew: () => Promise<void>;
}

async function renewable(issue: (() => Promise<string>) | undefined) {
  if (!issue) return { bearer: () => undefined, renew: async () => undefined };
  let header = { authorization: `Bearer ${await issue()}` };
  return {
    bearer: () => header,
    renew: async () => {
      header = { authorization: `Bearer ${await issue()}` };
    },
  };
}

export interface People {
  /** Blocks every professional, refuses emergency access: nobody in the test may reach it. */
  readonly victim: InsuredPerson;
  /** Every professional declared consent: the matrix and masks decide what each one sees. */
  readonly shared: InsuredPerson;
  readonly adult: InsuredPerson;
  readonly parent: InsuredPerson;
  readonly child: InsuredPerson;
}

export interface World {
  readonly people: People;
  readonly patients: readonly InsuredPerson[];
  readonly professionals: readonly Professional[];
  readonly principals: readonly TestPrincipal[];
  readonly objects: readonly WorldObject[];
  readonly objectsById: ReadonlyMap<string, WorldObject>;
  readonly canaries: ReadonlyMap<string, WorldObject>;
  /** Record contexts as the database says, per principal label and patient id. */
  readonly contexts: ReadonlyMap<string, RecordContext>;
}

const at = (ctx: AppContext) => ctx.clock.now().toISOString();

/** Professions the demo does not cover get a professional of their own (RPPS with a valid key). */
async function professionalsOfEveryProfession(ctx: AppContext): Promise<Professional[]> {
  const list: Professional[] = [];
  for (const demo of demoProfessionals) {
    list.push((await findProfessionalByNationalId(ctx.db, nationalIdOfRpps(demo.rpps)))!);
  }
  const covered = new Set(list.map((p) => p.professionCode));
  let serial = 0;
  for (const code of Object.keys(professions) as ProfessionCode[]) {
    if (covered.has(code)) continue;
    const rpps = withLuhnKey(`1009900${String(serial++).padStart(3, '0')}`) as Rpps;
    list.push(
      await upsertProfessional(
        ctx.db,
        {
          nationalId: nationalIdOfRpps(rpps),
          rpps,
          familyName: `PROFESSION${code}`,
          givenName: 'Test',
          professionCode: code,
          specialtyCode: undefined,
          mssanteAddress: `test.${code}@cabinet.mssante.fr`,
          structure: undefined,
        },
        at(ctx),
      ),
    );
  }
  return list;
}

const selfPrincipal = (person: InsuredPerson, actsFor: PatientId[] = []): PatientPrincipal => ({
  kind: 'patient',
  patientId: person.id,
  ins: person.ins,
  actsFor: [person.id, ...actsFor],
});

const GP_RPPS = '10001000115';

/** Documents of the given types, each with a canary title and a canary inside its bytes. */
async function deposit(
  { ctx, pdf, plants, canary }: Seeder,
  author: Principal,
  patientId: PatientId,
  specs: {
    typeCode: string;
    flags?: ('MASQUE_PS' | 'INVISIBLE_PATIENT' | 'INVISIBLE_REPRESENTANTS_LEGAUX')[];
  }[],
) {
  for (const spec of specs) {
    const title = canary();
    const inside = canary();
    const [doc] = await depositDocuments(ctx, author, [
      {
        patientId,
        typeCode: spec.typeCode,
        title: `Document ${title}`,
        content: Buffer.concat([Buffer.from(pdf), Buffer.from(`\n%${title} ${inside}\n`)]),
        declaredContentType: 'application/pdf',
        confidentiality: spec.flags ?? [],
      },
    ]);
    plants.set(title, doc!.id).set(inside, doc!.id);
  }
}

async function message({ ctx, pdf, plants, canary }: Seeder, person: InsuredPerson) {
  const subject = canary();
  const body = canary();
  const filename = canary();
  const inside = canary();
  const raw = await new MailComposer({
    from: 'Dr Claire Martin <dr.martin@cabinet.mssante.fr>',
    to: patientAddress(person.ins, ctx.config.patientMailDomain),
    subject: `Résultats ${subject}`,
    messageId: `<${uuidv7()}@cabinet.mssante.fr>`,
    text: `Bonjour,\n${body}\nDr Martin`,
    attachments: [
      {
        filename: `bilan-${filename}.pdf`,
        content: Buffer.concat([Buffer.from(pdf), Buffer.from(`\n%${inside}\n`)]),
        contentType: 'application/pdf',
      },
    ],
  })
    .compile()
    .build();
  await receiveInbound(ctx, {
    envelopeFrom: 'dr.martin@cabinet.mssante.fr',
    recipients: [patientAddress(person.ins, ctx.config.patientMailDomain)],
    raw,
  });
  const row = await ctx.db
    .selectFrom('mss_messages')
    .select('id')
    .where('patient_id', '=', person.id)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const attachment = await ctx.db
    .selectFrom('mss_attachments')
    .select('id')
    .where('patient_id', '=', person.id)
    .where('message_row_id', '=', row.id)
    .executeTakeFirstOrThrow();
  plants.set(subject, row.id).set(body, row.id).set(filename, attachment.id).set(inside, attachment.id);
}

async function agendaEvent({ ctx, plants, canary }: Seeder, manager: PatientPrincipal, patientId: PatientId) {
  const title = canary();
  const notes = canary();
  const event = await createAgendaEvent(ctx, manager, patientId, {
    kind: 'appointment',
    start: new Date(ctx.clock.now().getTime() + 7 * 86_400_000).toISOString(),
    end: undefined,
    title: `Rendez-vous ${title}`,
    location: undefined,
    practitioner: undefined,
    practitionerReference: undefined,
    notes,
    status: 'booked',
  });
  plants.set(title, event.id).set(notes, event.id);
}

/** An app connected to a profile with the given purposes, and its access token (as the token endpoint issues). */
async function connectApp(
  ctx: AppContext,
  patientId: PatientId,
  grantedBy: PatientId,
  purposes: AppPurpose[],
): Promise<{ principal: AppPrincipal; token: string }> {
  const service = (await findServiceByClientId(ctx.db, GLUCOSUIVI_CLIENT_ID))!;
  const now = ctx.clock.now();
  const grantId = uuidv7();
  await ctx.db
    .insertInto('app_grants')
    .values({
      patient_id: patientId,
      id: grantId,
      service_id: service.id,
      client_id: GLUCOSUIVI_CLIENT_ID,
      purposes: JSON.stringify(purposes),
      context_scopes: 'launch/patient',
      data_scopes: scopesOfPurposes(purposes).join(' '),
      granted_by: grantedBy,
      created_at: now.toISOString(),
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
  const token = newSecret(APP_TOKEN_PREFIX);
  await ctx.db
    .insertInto('app_tokens')
    .values({
      token_hash: secretHash(ctx.config, token),
      patient_id: patientId,
      grant_id: grantId,
      kind: 'access',
      created_at: now.toISOString(),
      // The test's cases must not outlive the token: a day is far more than a run.
      expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      revoked_at: null,
    })
    .execute();
  return {
    principal: {
      kind: 'app',
      serviceId: service.id,
      serviceName: service.name,
      grantId,
      patientId,
      purposes,
      scopes: scopesOfPurposes(purposes),
    },
    token,
  };
}

/** The tables with a `patient_id` column, as the database says (a new table is covered without a list). */
export async function patientTables(ctx: AppContext): Promise<string[]> {
  if (ctx.dialect === 'sqlite') {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
      ctx.db,
    );
    const out: string[] = [];
    for (const { name } of tables.rows) {
      const columns = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(
        ctx.db,
      );
      if (columns.rows.some((c) => c.name === 'patient_id')) out.push(name);
    }
    return out.sort();
  }
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where column_name = 'patient_id' and table_schema = current_schema()`.execute(ctx.db);
  return rows.rows.map((r) => r.table_name).sort();
}

const factsOf = (row: Record<string, unknown>): DocumentFacts => ({
  typeCode: row.type_code as string,
  status: row.status as DocumentStatus,
  masked: Number(row.masked_ps) === 1,
  invisiblePatient: Number(row.invisible_patient) === 1,
  invisibleRepresentatives: Number(row.invisible_representatives) === 1,
  authorNationalId: (row.author_national_id as string | null) ?? undefined,
  authorPatientId: (row.author_patient_id as string | null) ?? undefined,
});

/** Every row of the five patients that has an id of its own, and every canary found in their readable text. */
async function collectObjects(ctx: AppContext, people: People) {
  const owners = Object.values(people).map((p) => p.id);
  const objects: WorldObject[] = [];
  const seen = new Map<string, number>();
  for (const table of await patientTables(ctx)) {
    const rows = await sql<Record<string, unknown>>`
      select * from ${sql.table(table)} where patient_id in (${sql.join(owners)})`.execute(ctx.db);
    for (const row of rows.rows) {
      const id = row.id;
      // Short or numeric ids (sequence numbers, codes shared by every patient) do not single out a row.
      if (typeof id !== 'string' || id.length < 16) continue;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      objects.push({
        table,
        id,
        owner: row.patient_id as PatientId,
        facts: table === 'documents' ? factsOf(row) : undefined,
        masterIdentifier: table === 'documents' ? (row.master_identifier as string) : undefined,
        label: `${table} ${id}${table === 'documents' ? ` (type ${String(row.type_code)}, masked ${String(row.masked_ps)}, inv-pat ${String(row.invisible_patient)}, inv-rep ${String(row.invisible_representatives)})` : ''}`,
      });
    }
  }
  return objects.filter((o) => seen.get(o.id) === 1);
}

/** A personal folder with a canary name, holding the record's newest document, which is pinned too. */
async function folder({ ctx, plants, canary }: Seeder, principal: PatientPrincipal, patientId: PatientId) {
  const name = canary();
  const made = await createFolder(ctx, principal, patientId, `Dossier ${name}`);
  const [doc] = (await searchDocuments(ctx, principal, { patientId, count: 1, offset: 0 })).documents;
  await changeFolderDocument(ctx, principal, patientId, made.id, doc!.id, 'file');
  await changePin(ctx, principal, patientId, doc!.id, true);
  plants.set(name, made.id);
}

export async function buildWorld(ctx: AppContext): Promise<World> {
  await seedDemo(ctx);
  const professionals = await professionalsOfEveryProfession(ctx);
  const person = async (ins: string) => (await findInsuredByIns(ctx.db, ins as Ins))!;
  const people: People = {
    victim: await person(demoIns.jean),
    shared: await person(demoIns.marie),
    adult: await person(demoIns.lea),
    parent: await person(demoIns.emilie),
    child: await person(demoIns.chloe),
  };
  const s = seeder(ctx, await makePdf('Compte rendu isolation'));
  const gp = principalOf(professionals.find((p) => p.rpps === GP_RPPS)!);
  const proTypes = documentTypes
    // Every type a professional produces (the patient's own types, EXPPAT_* and DOCPAT*, are not theirs to deposit).
    .filter((t) => !t.deprecated && t.code !== 'REMB' && isProfessionalType(t))
    .map((t) => t.code);
  const { victim, shared, adult, parent, child } = people;
  const self = {
    victim: selfPrincipal(victim),
    shared: selfPrincipal(shared),
    adult: selfPrincipal(adult),
    parent: selfPrincipal(parent, [child.id]),
  };

  // The victim: documents of several kinds, a message, an event, a connected app; then every professional blocked.
  await deposit(s, gp, victim.id, [
    { typeCode: '11488-4' },
    { typeCode: proTypes[3]!, flags: ['MASQUE_PS'] },
    { typeCode: '60591-5', flags: ['INVISIBLE_PATIENT'] },
  ]);
  await deposit(s, self.victim, victim.id, [{ typeCode: 'DOCPAT01' }]);
  await message(s, victim);
  await agendaEvent(s, self.victim, victim.id);
  await connectApp(ctx, victim.id, victim.id, ['read-documents', 'read-profile', 'read-agenda']);

  // The shared record: one document of every type a professional may file, some masked, and the patient's own.
  // Each by a profession that may produce it (the VSM is the doctor's, a dispensation the pharmacist's).
  const producers = proTypes.map((typeCode) => {
    const allowed = documentTypes.find((t) => t.code === typeCode)?.producerProfessions;
    const pro = allowed ? professionals.find((p) => allowed.includes(p.professionCode)) : undefined;
    return pro ? principalOf(pro) : gp;
  });
  for (const [i, typeCode] of proTypes.entries())
    await deposit(s, producers[i]!, shared.id, [
      { typeCode, ...(i % 5 === 0 ? { flags: ['MASQUE_PS' as const] } : {}) },
    ]);
  await deposit(s, self.shared, shared.id, [{ typeCode: 'DOCPAT02' }]);
  // Folders: the victim's, and one in the record professionals may consult (still never theirs to see).
  await folder(s, self.victim, victim.id);
  await folder(s, self.shared, shared.id);
  await message(s, shared);
  await agendaEvent(s, self.shared, shared.id);

  // The adult who signs in, with a document hidden from her; the parent and the child, with one hidden from him.
  await deposit(s, gp, adult.id, [
    { typeCode: '11488-4' },
    { typeCode: '11490-0', flags: ['INVISIBLE_PATIENT'] },
  ]);
  await deposit(s, self.adult, adult.id, [{ typeCode: 'DOCPAT01' }]);
  await message(s, adult);
  await agendaEvent(s, self.adult, adult.id);
  await deposit(s, gp, child.id, [
    { typeCode: '11488-4' },
    { typeCode: '11490-0', flags: ['INVISIBLE_REPRESENTANTS_LEGAUX'] },
  ]);
  await deposit(s, self.parent, child.id, [{ typeCode: 'DOCPAT03' }]);
  await agendaEvent(s, self.parent, child.id);
  await deposit(s, self.parent, parent.id, [{ typeCode: 'DOCPAT01' }]);
  await message(s, parent);

  await updateRecordSettings(ctx, self.victim, victim.id, {
    allowBrisDeGlace: false,
    allowRegulation: false,
    allowMaskedInEmergency: false,
  });
  for (const pro of professionals) {
    const principal = principalOf(pro);
    await declareConsent(ctx, principal, shared.id);
    await setProfessionalStatus(ctx, self.victim, victim.id, principal.nationalId, { blocked: true });
  }

  // Apps with various purposes on the adult's profile, and one the parent connected on the child's.
  const apps: { label: string; principal: AppPrincipal; token: string }[] = [];
  const purposeSets: AppPurpose[][] = [
    ['read-documents'],
    ['write-measurements'],
    ['read-profile', 'read-measurements'],
    ['read-agenda', 'write-agenda'],
  ];
  for (const purposes of purposeSets) {
    const label = `[${purposes.join(',')}]`;
    apps.push({
      label: `app on the adult ${label}`,
      ...(await connectApp(ctx, adult.id, adult.id, purposes)),
    });
  }
  apps.push({
    label: 'app on the child [read-documents,read-agenda]',
    ...(await connectApp(ctx, child.id, parent.id, ['read-documents', 'read-agenda'])),
  });

  const objects = await collectObjects(ctx, people);
  const objectsById = new Map(objects.map((o) => [o.id, o]));
  const canaries = new Map<string, WorldObject>();
  for (const [text, id] of s.plants) {
    const object = objectsById.get(id);
    if (!object) throw new Error(`canary ${text} planted in ${id}, which is not a patient's row`);
    canaries.set(text, object);
  }
  const principals = await buildPrincipals(ctx, people, professionals, apps);
  const contexts = new Map<string, RecordContext>();
  const patients = [victim, shared, adult, parent, child];
  for (const p of principals) {
    if (!p.principal) continue;
    for (const patient of patients)
      contexts.set(
        `${p.label}|${patient.id}`,
        await loadRecordContext(ctx.db, patient.id, p.principal, ctx.clock.now()),
      );
  }
  return {
    people,
    patients,
    professionals,
    principals,
    objects,
    objectsById,
    canaries,
    contexts,
  };
}

const modes: { mode: 'normal' | EmergencyMode; reason: string | undefined }[] = [
  { mode: 'normal', reason: undefined },
  { mode: 'bris-de-glace', reason: 'Patient inconscient aux urgences' },
  { mode: 'centre-de-regulation', reason: undefined },
];

async function buildPrincipals(
  ctx: AppContext,
  people: People,
  professionals: readonly Professional[],
  apps: { label: string; principal: AppPrincipal; token: string }[],
): Promise<TestPrincipal[]> {
  const list: TestPrincipal[] = [];
  const patientSide = [
    { label: 'the adult patient', person: people.adult, principal: selfPrincipal(people.adult) },
    {
      label: 'the parent (representative of the child)',
      person: people.parent,
      principal: selfPrincipal(people.parent, [people.child.id]),
    },
  ];
  for (const side of patientSide) {
    const session = async () => ({
      cookie: `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, side.person.id, ctx.clock.now())).token}`,
    });
    list.push({
      label: side.label,
      family: 'patient',
      principal: side.principal,
      readHeaders: await session(),
      freshHeaders: session,
      ...(await renewable(() => issuePatientAccessToken(ctx, side.person.id))),
    });
  }
  for (const pro of professionals) {
    for (const access of modes) {
      // Emergency modes for a doctor, a nurse and a dentist are enough; every profession is tried in normal mode.
      if (access.mode !== 'normal' && !['10', '60', '40'].includes(pro.professionCode)) continue;
      const signIn = { regulator: access.mode === 'centre-de-regulation', declaredEmergency: undefined };
      const principal = principalOf(pro, signIn);
      // An emergency access is one patient's: started on the adult's record only (the victim refuses them), so
      // the same professional must still find every other record closed.
      if (access.mode !== 'normal') {
        await startEmergencyAccess(ctx, principal, people.adult.id, {
          mode: access.mode,
          reason: access.reason,
        }).catch(() => undefined);
        await startEmergencyAccess(ctx, principal, people.victim.id, {
          mode: access.mode,
          reason: access.reason,
        }).catch(() => undefined);
      }
      const session = async () => ({
        cookie: `${PRO_SESSION_COOKIE}=${await createProfessionalSession(ctx, pro, signIn)}`,
      });
      list.push({
        label: `${professions[pro.professionCode as ProfessionCode]} ${pro.rpps} (${access.mode})`,
        family: 'professional',
        principal,
        readHeaders: await session(),
        freshHeaders: session,
        // Emergency accesses are the professional's, whatever the credential: the token reaches them too.
        ...(await renewable(() => issueDevAccessToken(ctx, { rpps: pro.rpps! }))),
      });
    }
  }
  for (const app of apps) {
    const headers = { authorization: `Bearer ${app.token}` };
    list.push({
      label: app.label,
      family: 'app',
      principal: app.principal,
      readHeaders: headers,
      freshHeaders: async () => headers,
      // App tokens of this test live a day.
      bearer: () => headers,
      renew: async () => undefined,
    });
  }
  list.push({
    label: 'anonymous',
    family: 'anonymous',
    principal: undefined,
    readHeaders: {},
    freshHeaders: async () => ({}),
    bearer: () => undefined,
    renew: async () => undefined,
  });
  return list;
}

/** What the policy lets a principal see: a patient's rows when it may consult the record, each document as decided. */
export function mayRead(world: World, who: TestPrincipal, object: WorldObject): boolean {
  const principal = who.principal;
  if (!principal) return false;
  const context = world.contexts.get(`${who.label}|${object.owner}`)!;
  if (object.facts) return decideDocument(principal, context, object.facts, 'read').allowed;
  // Personal folders are the patient's side's only (src/record/folders.ts), even in a record others consult.
  if (object.table === 'patient_folders') return decideRecord(principal, context, 'manage-settings').allowed;
  if (principal.kind === 'app') return principal.patientId === object.owner;
  return decideRecord(principal, context, 'consult').allowed;
}

/**
 * Whether a principal is walled off from a whole record: another patient's, an app's other profiles, a
 * professional the patient blocked. Every route naming such a record must refuse, writes included.
 */
export function walledOff(world: World, who: TestPrincipal, patientId: string): boolean {
  const principal = who.principal;
  if (!principal) return true;
  switch (principal.kind) {
    case 'patient':
      return !principal.actsFor.includes(patientId as PatientId);
    case 'app':
      return principal.patientId !== patientId;
    case 'professional':
      return patientId === world.people.victim.id;
    default:
      return true;
  }
}

/** A document inside a record the principal may consult, that the policy hides from it (matrix, mask, invisibility). */
export function hiddenInOpenRecord(world: World, who: TestPrincipal, object: WorldObject): boolean {
  if (!object.facts || !who.principal || walledOff(world, who, object.owner)) return false;
  const context = world.contexts.get(`${who.label}|${object.owner}`)!;
  return (
    decideRecord(who.principal, context, 'consult').allowed &&
    !decideDocument(who.principal, context, object.facts, 'read').allowed
  );
}
