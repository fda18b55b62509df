import { defaultRecordSettings, type RecordContext, type RecordSettings } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import { nationalIdOfRpps, type Ins, type PatientId, type Rpps } from '../../identity/index.ts';
import { isMinorOn } from '../../insured/index.ts';
import {
  sealText,
  type Executor,
  type ProfileState,
  type InsurerAldTable,
  type InsurerCareTable,
} from '../../storage/index.ts';
import { uuidv7 } from '../../shared/index.ts';
import type { AldRecord, CareRecord, FeedRecord } from './format.ts';

/** Rows per INSERT statement (8 parameters a row stays well under both dialects' limits). */
export const ROWS_PER_INSERT = 500;
/** Values per `in (…)` lookup. */
const LOOKUP_CHUNK = 500;
/** INS → patient id entries kept between batches (bounded: a national file has millions of people). */
const INS_CACHE_MAX = 200_000;

/** A line read as a record, with the patient its INS names once resolved. */
export interface Parsed<R extends FeedRecord = FeedRecord> {
  readonly line: number;
  readonly record: R;
  patientId?: PatientId;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** INS → patient id, from the cache or one query per chunk of unknown INS; null for an unknown person. */
export async function resolvePatients(
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
export async function recordContexts(
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

/** Multi-row inserts that skip lines already present; returns the rows actually added, per patient. */
export async function insertCare(
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
    countPerPatient(perPatient, inserted);
  }
  return perPatient;
}

/** ALD periods, skipping lines already present (same guard as the care lines); rows added per patient. */
export async function insertAld(
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
    countPerPatient(perPatient, inserted);
  }
  return perPatient;
}

/** Adds the rows an insert really added (a line already present returns none) to each patient's count. */
function countPerPatient(
  perPatient: Map<PatientId, number>,
  inserted: readonly { patient_id: string }[],
): void {
  for (const row of inserted) {
    const id = row.patient_id as PatientId;
    perPatient.set(id, (perPatient.get(id) ?? 0) + 1);
  }
}
