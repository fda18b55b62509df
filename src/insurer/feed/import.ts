import type { AppContext } from '../../app/index.ts';
import { type InsurerPrincipal, decideProfile, denyMessages } from '../../access/index.ts';
import { appendAudit } from '../../audit/index.ts';
import type { Ins, PatientId } from '../../identity/index.ts';
import { findInsuredById } from '../../insured/index.ts';
import {
  addEntriesFromSource,
  validateSectionData,
  type VaccinationData,
} from '../../medical-profile/index.ts';
import { trace, depositDocuments } from '../../record/index.ts';
import { CarnetError } from '../../shared/index.ts';
import { addCounts, type ImportCounters } from './counters.ts';
import { attestationMasterIdentifier, covidAttestationPdf } from './covid-attestation.ts';
import {
  parseFeedLine,
  type AldRecord,
  type CareRecord,
  type CovidAttestationRecord,
  type VaccinationRecord,
} from './format.ts';
import { fingerprint, readLines, type FeedSource, type RawLine } from './lines.ts';
import {
  chunks,
  insertAld,
  insertCare,
  recordContexts,
  resolvePatients,
  ROWS_PER_INSERT,
  type Parsed,
} from './rows.ts';
import { checkpoint, concurrentImport, startOrResume, type ImportRun } from './run.ts';

export const INSURER: InsurerPrincipal = { kind: 'insurer' };
export const INSURER_SOURCE_NAME = 'Assurance Maladie';

/** Lines per transaction: large enough that commits (fsync) are rare, small enough that a crash loses little. */
export const DEFAULT_BATCH_LINES = 5_000;
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

/** The run's counters (the rejected lines listed rather than counted), when, where from and how long. */
export interface InsurerImportReport extends Omit<ImportCounters, 'rejected'> {
  readonly importId: string;
  readonly fileName: string;
  /** The physical line a resumed run started from (undefined for a fresh run). */
  readonly resumedAtLine: number | undefined;
  readonly rejected: readonly RejectedLine[];
  readonly seconds: number;
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
  return {
    importId: run.id,
    fileName,
    resumedAtLine,
    ...run.counters,
    rejected: rejected.map((r) => ({ line: Number(r.line), reason: r.reason })),
    seconds: (performance.now() - started) / 1000,
  };
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

  // What this batch adds to the run's counters; its records and rejects are added at the checkpoint.
  const added = { careAdded: 0, vaccinationsAdded: 0, attestationsAdded: 0, aldAdded: 0, duplicates: 0 };
  // Attestations are documents: deposited through the record (its own transaction, files synced first) before
  // the batch commits, so that a crash never skips one; on resume the same masterIdentifier is a duplicate.
  for (const p of known.filter(
    (k): k is Parsed<CovidAttestationRecord> => k.record.kind === 'covid-attestation',
  )) {
    const outcome = await depositAttestation(ctx, p.patientId!, p.record);
    if (outcome === 'added') added.attestationsAdded++;
    else if (outcome === 'duplicate') added.duplicates++;
    else rejects.push({ line: p.line, reason: outcome.reason });
  }

  const committed = await ctx.db.transaction().execute(async (trx) => {
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
      added.careAdded += count;
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
      added.aldAdded += count;
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
      added.vaccinationsAdded += count;
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

    const last = lines[lines.length - 1]!;
    const next = {
      byteOffset: last.end,
      lineNumber: last.line + 1,
      counters: addCounts(run.counters, { ...added, records, rejected: rejects.length }),
    };
    await checkpoint(trx, run, next, now);
    return next;
  });
  // Only once committed does the run move on.
  run.byteOffset = committed.byteOffset;
  run.lineNumber = committed.lineNumber;
  run.counters = committed.counters;
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
    if (error.code === 'record-closed') {
      return { reason: refusalReason('record-closed') };
    }
    return { reason: `attestation refusée : ${error.message}` };
  }
}
