import type { AppContext } from '../../app/context.ts';
import type { InsurerPrincipal } from '../../access/principal.ts';
import { decideProfile } from '../../access/profile-policy.ts';
import {
  defaultRecordSettings,
  denyMessages,
  type RecordContext,
  type RecordSettings,
} from '../../access/record-policy.ts';
import { appendAudit } from '../../audit/index.ts';
import { nationalIdOfRpps, type Ins, type PatientId, type Rpps } from '../../identity/index.ts';
import { findInsuredById, isMinorOn } from '../../insured/index.ts';
import {
  addEntriesFromSource,
  validateSectionData,
  type VaccinationData,
} from '../../medical-profile/index.ts';
import { trace } from '../../record/audit-trace.ts';
import { sealText } from '../../storage/sealed-text.ts';
import { depositDocuments } from '../../record/index.ts';
import { CarnetError } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import type { Executor, ProfileState } from '../../storage/index.ts';
import type { InsurerAldTable, InsurerCareTable } from '../../storage/schema-insurer.ts';
import { attestationMasterIdentifier, covidAttestationPdf } from './covid-attestation.ts';
import {
  parseFeedLine,
  type AldRecord,
  type CareRecord,
  type CovidAttestationRecord,
  type FeedRecord,
  type VaccinationRecord,
} from './format.ts';
import { fingerprint, readLines, type FeedSource, type RawLine } from './lines.ts';

export const INSURER: InsurerPrincipal = { kind: 'insurer' };
export const INSURER_SOURCE_NAME = 'Assurance Maladie';

/** Lines per transaction: large enough that commits (fsync) are rare, small enough that a crash loses little. */
export const DEFAULT_BATCH_LINES = 5_000;
/** Rows per INSERT statement (8 parameters a row stays well under both dialects' limits). */
const ROWS_PER_INSERT = 500;
/** Values per `in (…)` lookup. */
const LOOKUP_CHUNK = 500;
/** INS → patient id entries kept between batches (bounded: a national file has millions of people). */
const INS_CACHE_MAX = 200_000;

export interface ImportProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly records: number;
  readonly rejected: number;
}

export interface InsurerImportOptions {
  readonly batchLines?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
}

export interface InsurerImportReport {
  readonly importId: string;
  readonly fileName: string;
  /** The physical line a resumed run started from (undefined for a fresh run). */
  readonly resumedAtLine: number | undefined;
  /** Records read (blank and comment lines excluded), rejected ones included. */
  readonly records: number;
  readonly careAdded: number;
  readonly vaccinationsAdded: number;
  readonly attestationsAdded: number;
  /** ALD periods added (records `ALD`). */
  readonly aldAdded: number;
  /** Lines already imported before (by this or an earlier run). */
  readonly duplicates: number;
  readonly rejected: readonly RejectedLine[];
  readonly seconds: number;
}

interface Counters {
  records: number;
  careAdded: number;
  vaccinationsAdded: number;
  attestationsAdded: number;
  aldAdded: number;
  duplicates: number;
  rejected: number;
}

interface ImportRun {
  readonly id: string;
  readonly counters: Counters;
  byteOffset: number;
  lineNumber: number;
}

interface Parsed<R extends FeedRecord = FeedRecord> {
  readonly line: number;
  readonly record: R;
  patientId?: PatientId;
}

/** Imports the Assurance Maladie care file at `path`, resuming an interrupted run of the same file. */
export function importInsurerFile(
  ctx: AppContext,
  path: string,
  fileName: string,
  options: InsurerImportOptions = {},
): Promise<InsurerImportReport> {
  return importInsurerFeed(ctx, { path }, fileName, options);
}

/**
 * Reads the feed batch by batch; each batch commits its rows, its rejected lines, its audit traces and the
 * checkpoint (byte offset, counters) in one transaction, so that a run killed at any point resumes exactly
 * where the last commit left it. Every line is idempotent on (patient, line id): importing again adds nothing.
 */
export async function importInsurerFeed(
  ctx: AppContext,
  source: FeedSource,
  fileName: string,
  options: InsurerImportOptions = {},
): Promise<InsurerImportReport> {
  const started = performance.now();
  const { sha256, size } = await fingerprint(source);
  const run = await startOrResume(ctx, fileName, sha256, size);
  const resumedAtLine = run.lineNumber > 1 ? run.lineNumber : undefined;
  const batchLines = Math.max(1, options.batchLines ?? DEFAULT_BATCH_LINES);
  const cache = new Map<Ins, PatientId | null>();
  const progress = () =>
    options.onProgress?.({
      bytesDone: run.byteOffset,
      bytesTotal: size,
      records: run.counters.records,
      rejected: run.counters.rejected,
    });
  progress();

  let batch: RawLine[] = [];
  for await (const line of readLines(source, run.byteOffset, run.lineNumber)) {
    batch.push(line);
    if (batch.length >= batchLines) {
      await processBatch(ctx, run, batch, cache);
      batch = [];
      progress();
    }
  }
  if (batch.length > 0) await processBatch(ctx, run, batch, cache);
  const finishedAt = ctx.clock.now().toISOString();
  const finished = await ctx.db
    .updateTable('insurer_imports')
    .set({ finished_at: finishedAt, updated_at: finishedAt, byte_offset: size })
    .where('id', '=', run.id)
    .where('byte_offset', '=', run.byteOffset)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  if (finished.numUpdatedRows === 0n) throw concurrentImport();
  run.byteOffset = size;
  progress();
  const rejected = await ctx.db
    .selectFrom('insurer_import_rejects')
    .select(['line', 'reason'])
    .where('import_id', '=', run.id)
    .orderBy('line')
    .execute();
  const { records, careAdded, vaccinationsAdded, attestationsAdded, aldAdded, duplicates } = run.counters;
  return {
    importId: run.id,
    fileName,
    resumedAtLine,
    records,
    careAdded,
    vaccinationsAdded,
    attestationsAdded,
    aldAdded,
    duplicates,
    rejected: rejected.map((r) => ({ line: Number(r.line), reason: r.reason })),
    seconds: (performance.now() - started) / 1000,
  };
}

const concurrentImport = () =>
  new CarnetError(
    'conflict',
    'insurer-import-concurrent',
    'Un autre import de ce fichier est en cours : il le mène à son terme. Relancez celui-ci une fois l’autre terminé.',
  );

/** The unfinished run of this file, or a new one; two imports starting together end up on the same run. */
async function startOrResume(
  ctx: AppContext,
  fileName: string,
  sha256: string,
  size: number,
): Promise<ImportRun> {
  for (;;) {
    const run = (await findUnfinished(ctx, sha256)) ?? (await startRun(ctx, fileName, sha256, size));
    if (run) return run;
  }
}

async function findUnfinished(ctx: AppContext, sha256: string): Promise<ImportRun | undefined> {
  const unfinished = await ctx.db
    .selectFrom('insurer_imports')
    .selectAll()
    .where('file_sha256', '=', sha256)
    .where('finished_at', 'is', null)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  if (unfinished) {
    return {
      id: unfinished.id,
      byteOffset: Number(unfinished.byte_offset),
      lineNumber: Number(unfinished.line_number),
      counters: {
        records: Number(unfinished.records),
        careAdded: Number(unfinished.care_added),
        vaccinationsAdded: Number(unfinished.vaccinations_added),
        attestationsAdded: Number(unfinished.attestations_added),
        aldAdded: Number(unfinished.ald_added ?? 0),
        duplicates: Number(unfinished.duplicates),
        rejected: Number(unfinished.rejected),
      },
    };
  }
  return undefined;
}

/** A new run, or undefined when another import of the file has just started one. */
async function startRun(
  ctx: AppContext,
  fileName: string,
  sha256: string,
  size: number,
): Promise<ImportRun | undefined> {
  const now = ctx.clock.now();
  const id = uuidv7(now.getTime());
  const at = now.toISOString();
  const inserted = await ctx.db
    .insertInto('insurer_imports')
    .values({
      id,
      file_name: fileName.slice(0, 255),
      file_sha256: sha256,
      file_size: size,
      byte_offset: 0,
      line_number: 1,
      records: 0,
      care_added: 0,
      vaccinations_added: 0,
      attestations_added: 0,
      duplicates: 0,
      rejected: 0,
      started_at: at,
      updated_at: at,
      finished_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return undefined;
  return {
    id,
    byteOffset: 0,
    lineNumber: 1,
    counters: {
      records: 0,
      careAdded: 0,
      vaccinationsAdded: 0,
      attestationsAdded: 0,
      aldAdded: 0,
      duplicates: 0,
      rejected: 0,
    },
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** INS → patient id, from the cache or one query per chunk of unknown INS; null for an unknown person. */
async function resolvePatients(
  db: Executor,
  parsed: Parsed[],
  cache: Map<Ins, PatientId | null>,
): Promise<void> {
  const unknown = [...new Set(parsed.map((p) => p.record.ins).filter((ins) => !cache.has(ins)))];
  if (cache.size + unknown.length > INS_CACHE_MAX) cache.clear();
  for (const part of chunks(unknown, LOOKUP_CHUNK)) {
    const rows = await db.selectFrom('patients').select(['id', 'ins']).where('ins', 'in', part).execute();
    for (const ins of part) cache.set(ins, null);
    for (const row of rows) cache.set(row.ins as Ins, row.id as PatientId);
  }
  for (const p of parsed) p.patientId = cache.get(p.record.ins) ?? undefined;
}

/**
 * The policy's view of each record of the batch, read in bulk: what `loadRecordContext` gives for the insurer
 * (state, minority, settings; the insurer has no relation with the record).
 */
async function recordContexts(
  db: Executor,
  patientIds: readonly PatientId[],
  now: Date,
): Promise<Map<PatientId, RecordContext>> {
  const contexts = new Map<PatientId, RecordContext>();
  for (const part of chunks(patientIds, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('patients')
      .leftJoin('record_settings', 'record_settings.patient_id', 'patients.id')
      .select([
        'patients.id',
        'patients.profile_state',
        'patients.birth_date',
        'record_settings.mask_new_documents',
        'record_settings.allow_bris_de_glace',
        'record_settings.allow_regulation',
        'record_settings.allow_masked_in_emergency',
      ])
      .where('patients.id', 'in', part)
      .execute();
    for (const row of rows) {
      const settings: RecordSettings =
        row.mask_new_documents === null
          ? { ...defaultRecordSettings }
          : {
              maskNewDocuments: row.mask_new_documents === 1,
              allowBrisDeGlace: row.allow_bris_de_glace === 1,
              allowRegulation: row.allow_regulation === 1,
              allowMaskedInEmergency: row.allow_masked_in_emergency === 1,
            };
      contexts.set(row.id as PatientId, {
        patientId: row.id as PatientId,
        profileState: row.profile_state as ProfileState,
        patientIsMinor: isMinorOn({ birthDate: row.birth_date }, now),
        settings,
        relation: undefined,
      });
    }
  }
  return contexts;
}

const refusalReason = (reason: keyof typeof denyMessages) =>
  reason === 'record-closed'
    ? 'profil Mon espace santé fermé ou opposé : ligne non chargée'
    : `refusé : ${denyMessages[reason]}`;

async function processBatch(
  ctx: AppContext,
  run: ImportRun,
  lines: readonly RawLine[],
  cache: Map<Ins, PatientId | null>,
): Promise<void> {
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const rejects: RejectedLine[] = [];
  const parsed: Parsed[] = [];
  for (const raw of lines) {
    if (raw.text === undefined) {
      rejects.push({ line: raw.line, reason: 'encodage invalide (UTF-8 attendu)' });
      continue;
    }
    const result = parseFeedLine(raw.text, today);
    if (result === undefined) continue;
    if ('reason' in result) rejects.push({ line: raw.line, reason: result.reason });
    else parsed.push({ line: raw.line, record: result });
  }
  const records = parsed.length + rejects.length;
  await resolvePatients(ctx.db, parsed, cache);
  const known: Parsed[] = [];
  for (const p of parsed) {
    if (p.patientId) known.push(p);
    else rejects.push({ line: p.line, reason: 'INS inconnu : aucun assuré ne porte ce matricule' });
  }

  // Attestations are documents: deposited through the record (its own transaction, files synced first) before
  // the batch commits, so that a crash never skips one; on resume the same masterIdentifier is a duplicate.
  const added = { care: 0, vaccinations: 0, attestations: 0, ald: 0, duplicates: 0 };
  for (const p of known.filter(
    (k): k is Parsed<CovidAttestationRecord> => k.record.kind === 'covid-attestation',
  )) {
    const outcome = await depositAttestation(ctx, p.patientId!, p.record);
    if (outcome === 'added') added.attestations++;
    else if (outcome === 'duplicate') added.duplicates++;
    else rejects.push({ line: p.line, reason: outcome.reason });
  }

  await ctx.db.transaction().execute(async (trx) => {
    const contexts = await recordContexts(trx, [...new Set(known.map((p) => p.patientId!))], now);
    const care: Parsed<CareRecord>[] = [];
    const ald: Parsed<AldRecord>[] = [];
    const vaccinations = new Map<PatientId, Parsed<VaccinationRecord>[]>();
    for (const p of known) {
      if (p.record.kind === 'covid-attestation') continue;
      const record = contexts.get(p.patientId!);
      // A long-term illness is part of what the insurer knows of the person's care: the history's rules apply.
      const area = p.record.kind === 'vaccination' ? 'vaccinations' : 'care-history';
      const decision = record ? decideProfile(INSURER, record, area, 'write', false) : undefined;
      if (!decision?.allowed) {
        rejects.push({ line: p.line, reason: refusalReason(decision?.reason ?? 'record-closed') });
      } else if (p.record.kind === 'care') {
        care.push(p as Parsed<CareRecord>);
      } else if (p.record.kind === 'ald') {
        ald.push(p as Parsed<AldRecord>);
      } else {
        const list = vaccinations.get(p.patientId!) ?? [];
        list.push(p as Parsed<VaccinationRecord>);
        vaccinations.set(p.patientId!, list);
      }
    }

    const carePerPatient = await insertCare(ctx, trx, run.id, care, now);
    for (const [patientId, count] of carePerPatient) {
      added.care += count;
      await appendAudit(
        trx,
        trace(INSURER, patientId, 'care-history-import', 'success', {
          targetType: 'CareHistory',
          detail: { importId: run.id, added: count },
        }),
        now,
      );
    }
    added.duplicates += care.length - [...carePerPatient.values()].reduce((a, b) => a + b, 0);

    const aldPerPatient = await insertAld(trx, run.id, ald, now);
    for (const [patientId, count] of aldPerPatient) {
      added.ald += count;
      await appendAudit(
        trx,
        trace(INSURER, patientId, 'care-history-import', 'success', {
          targetType: 'CareHistory',
          detail: { importId: run.id, ald: count },
        }),
        now,
      );
    }
    added.duplicates += ald.length - [...aldPerPatient.values()].reduce((a, b) => a + b, 0);

    for (const [patientId, items] of vaccinations) {
      const valid = items.filter((p) => {
        try {
          validateSectionData('vaccinations', vaccinationData(p.record), now);
          return true;
        } catch (error) {
          if (!(error instanceof CarnetError)) throw error;
          rejects.push({ line: p.line, reason: `vaccination refusée : ${error.message}` });
          return false;
        }
      });
      const count = await addEntriesFromSource(
        trx,
        ctx.config,
        valid.map((p) => ({
          patientId,
          section: 'vaccinations' as const,
          data: vaccinationData(p.record),
          source: 'insurer' as const,
          sourceRef: p.record.lineId,
          sourceName: INSURER_SOURCE_NAME,
        })),
        now,
      );
      added.vaccinations += count;
      added.duplicates += valid.length - count;
      if (count > 0) {
        await appendAudit(
          trx,
          trace(INSURER, patientId, 'profile-update', 'success', {
            targetType: 'ProfileSection',
            targetId: 'vaccinations',
            detail: { importId: run.id, source: 'insurer', added: count },
          }),
          now,
        );
      }
    }

    for (const part of chunks(rejects, ROWS_PER_INSERT)) {
      await trx
        .insertInto('insurer_import_rejects')
        .values(part.map((r) => ({ import_id: run.id, line: r.line, reason: r.reason.slice(0, 300) })))
        .onConflict((oc) => oc.columns(['import_id', 'line']).doNothing())
        .execute();
    }

    const c = run.counters;
    const last = lines[lines.length - 1]!;
    const checkpoint = await trx
      .updateTable('insurer_imports')
      .set({
        byte_offset: last.end,
        line_number: last.line + 1,
        records: c.records + records,
        care_added: c.careAdded + added.care,
        vaccinations_added: c.vaccinationsAdded + added.vaccinations,
        attestations_added: c.attestationsAdded + added.attestations,
        ald_added: c.aldAdded + added.ald,
        duplicates: c.duplicates + added.duplicates,
        rejected: c.rejected + rejects.length,
        updated_at: now.toISOString(),
      })
      .where('id', '=', run.id)
      .where('byte_offset', '=', run.byteOffset)
      .executeTakeFirst();
    // Another import of the same file committed this batch first: roll this one back and leave it the run.
    if (checkpoint.numUpdatedRows === 0n) throw concurrentImport();
  });
  // Only once committed does the run move on.
  const last = lines[lines.length - 1]!;
  run.byteOffset = last.end;
  run.lineNumber = last.line + 1;
  run.counters.records += records;
  run.counters.careAdded += added.care;
  run.counters.vaccinationsAdded += added.vaccinations;
  run.counters.attestationsAdded += added.attestations;
  run.counters.aldAdded += added.ald;
  run.counters.duplicates += added.duplicates;
  run.counters.rejected += rejects.length;
}

function vaccinationData(record: VaccinationRecord): VaccinationData {
  return {
    vaccine: record.label,
    vaccineCode: record.vaccineCode,
    date: record.date,
    ...(record.lot ? { lot: record.lot } : {}),
    performer: INSURER_SOURCE_NAME,
  };
}

/** Multi-row inserts that skip lines already present; returns the rows actually added, per patient. */
async function insertCare(
  ctx: AppContext,
  trx: Executor,
  importId: string,
  care: readonly Parsed<CareRecord>[],
  now: Date,
): Promise<Map<PatientId, number>> {
  const perPatient = new Map<PatientId, number>();
  const at = now.toISOString();
  const ms = now.getTime();
  for (const chunk of chunks(care, ROWS_PER_INSERT)) {
    // Lines already stored (a re-import) are skipped before encrypting them; the conflict clause stays the guard.
    const present = await trx
      .selectFrom('insurer_care')
      .select(['patient_id', 'source_ref'])
      .where('patient_id', 'in', [...new Set(chunk.map((p) => p.patientId!))])
      .where('source_ref', 'in', [...new Set(chunk.map((p) => p.record.lineId))])
      .execute();
    const known = new Set(present.map((row) => `${row.patient_id}|${row.source_ref}`));
    const part = chunk.filter((p) => !known.has(`${p.patientId}|${p.record.lineId}`));
    if (part.length === 0) continue;
    const rows: InsurerCareTable[] = part.map(({ record: r, patientId }) => {
      const id = uuidv7(ms);
      const content = JSON.stringify({
        label: r.label,
        professional: r.professional,
        ...(r.rpps ? { rpps: r.rpps } : {}),
        amountCents: r.amountCents,
      });
      return {
        patient_id: patientId!,
        id,
        source_ref: r.lineId,
        care_date: r.date,
        category: r.category,
        sealed: sealText(ctx.config, patientId!, id, content),
        import_id: importId,
        created_at: at,
        // In clear, for the professional's indicators (src/indicators): what it was, and who performed it.
        nature: r.nature ?? null,
        executant_national_id: r.rpps ? nationalIdOfRpps(r.rpps as Rpps) : null,
      };
    });
    const inserted = await trx
      .insertInto('insurer_care')
      .values(rows)
      .onConflict((oc) => oc.columns(['patient_id', 'source_ref']).doNothing())
      .returning('patient_id')
      .execute();
    for (const row of inserted) {
      const id = row.patient_id as PatientId;
      perPatient.set(id, (perPatient.get(id) ?? 0) + 1);
    }
  }
  return perPatient;
}

/** ALD periods, skipping lines already present (same guard as the care lines); rows added per patient. */
async function insertAld(
  trx: Executor,
  importId: string,
  ald: readonly Parsed<AldRecord>[],
  now: Date,
): Promise<Map<PatientId, number>> {
  const perPatient = new Map<PatientId, number>();
  const at = now.toISOString();
  for (const chunk of chunks(ald, ROWS_PER_INSERT)) {
    const rows: InsurerAldTable[] = chunk.map(({ record: r, patientId }) => ({
      patient_id: patientId!,
      id: uuidv7(now.getTime()),
      source_ref: r.lineId,
      start_date: r.date,
      end_date: r.endDate ?? null,
      import_id: importId,
      created_at: at,
    }));
    const inserted = await trx
      .insertInto('insurer_ald')
      .values(rows)
      .onConflict((oc) => oc.columns(['patient_id', 'source_ref']).doNothing())
      .returning('patient_id')
      .execute();
    for (const row of inserted) {
      const id = row.patient_id as PatientId;
      perPatient.set(id, (perPatient.get(id) ?? 0) + 1);
    }
  }
  return perPatient;
}

async function depositAttestation(
  ctx: AppContext,
  patientId: PatientId,
  record: CovidAttestationRecord,
): Promise<'added' | 'duplicate' | { reason: string }> {
  const person = await findInsuredById(ctx.db, patientId);
  if (!person) return { reason: 'INS inconnu : aucun assuré ne porte ce matricule' };
  try {
    await depositDocuments(ctx, INSURER, [
      {
        patientId,
        masterIdentifier: attestationMasterIdentifier(record.lineId),
        typeCode: '96874-3',
        title: 'Attestation de vaccination COVID-19',
        createdAt: record.date,
        serviceStart: record.date,
        content: await covidAttestationPdf(person, record, ctx.clock.now()),
        declaredContentType: 'application/pdf',
      },
    ]);
    return 'added';
  } catch (error) {
    if (!(error instanceof CarnetError)) throw error;
    if (error.code === 'document-duplicate') return 'duplicate';
    if (error.code === 'access-record-closed') {
      return { reason: refusalReason('record-closed') };
    }
    return { reason: `attestation refusée : ${error.message}` };
  }
}
