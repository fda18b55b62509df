import type { Transaction } from 'kysely';
import type { AppContext } from '../../app/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { issueActivationCode } from '../activation-codes.ts';
import { uuidv7 } from '../../shared/index.ts';
import type { Database, PatientsTable } from '../../storage/index.ts';
import { parseInsuredFile, type LineProblem } from './import-format.ts';
import { validateInsuredRecord, type InsuredRecord } from './insured-record.ts';

export interface ImportReport {
  readonly accepted: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: readonly LineProblem[];
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** The registry columns an import may set; profile state and its dates are the lifecycle's, never the import's. */
function registryColumns(r: InsuredRecord) {
  return {
    ins_oid: r.insOid,
    birth_name: r.birthName,
    used_name: r.usedName ?? null,
    first_names: r.firstNames,
    birth_date: r.birthDate,
    sex: r.sex,
    birth_place_insee: r.birthPlaceInsee ?? null,
    email: r.email ?? null,
    phone: r.phone ?? null,
    vitale_serial: r.vitaleSerial,
  } satisfies Partial<PatientsTable>;
}

async function replaceRepresentatives(
  trx: Transaction<Database>,
  patientId: string,
  r: InsuredRecord,
  now: string,
) {
  const existing = await trx
    .selectFrom('representatives')
    .select('representative_ins')
    .where('patient_id', '=', patientId)
    .execute();
  const before = new Set(existing.map((e) => e.representative_ins));
  const after = new Set<string>(r.representativeIns);
  const removed = [...before].filter((ins) => !after.has(ins));
  const added = [...after].filter((ins) => !before.has(ins));
  if (removed.length)
    await trx
      .deleteFrom('representatives')
      .where('patient_id', '=', patientId)
      .where('representative_ins', 'in', removed)
      .execute();
  for (const ins of added)
    await trx
      .insertInto('representatives')
      .values({
        patient_id: patientId,
        representative_ins: ins,
        representative_patient_id: null,
        created_at: now,
      })
      .execute();
  return removed.length + added.length > 0;
}

async function upsert(trx: Transaction<Database>, r: InsuredRecord, now: Date) {
  const at = now.toISOString();
  const columns = registryColumns(r);
  const row = await trx.selectFrom('patients').selectAll().where('ins', '=', r.ins).executeTakeFirst();
  if (!row) {
    const id = uuidv7(now.getTime()) as PatientId;
    await trx
      .insertInto('patients')
      .values({
        id,
        ins: r.ins,
        ...columns,
        profile_state: r.opposed ? 'opposed' : 'created',
        state_changed_at: at,
        deletion_requested: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await replaceRepresentatives(trx, id, r, at);
    return { id, outcome: 'created' as Outcome, opposed: r.opposed };
  }
  const changed = (Object.keys(columns) as (keyof typeof columns)[]).filter((k) => row[k] !== columns[k]);
  if (changed.length)
    await trx
      .updateTable('patients')
      .set({ ...columns, updated_at: at })
      .where('id', '=', row.id)
      .execute();
  const representativesChanged = await replaceRepresentatives(trx, row.id, r, at);
  const outcome: Outcome = changed.length || representativesChanged ? 'updated' : 'unchanged';
  return { id: row.id as PatientId, outcome, opposed: row.profile_state === 'opposed' };
}

/** Links representatives to their own registry entry once both are known (any import order). */
async function linkRepresentatives(ctx: AppContext) {
  const unlinked = await ctx.db
    .selectFrom('representatives')
    .innerJoin('patients', 'patients.ins', 'representatives.representative_ins')
    .select(['representatives.patient_id', 'representatives.representative_ins', 'patients.id'])
    .where('representatives.representative_patient_id', 'is', null)
    .execute();
  for (const link of unlinked)
    await ctx.db
      .updateTable('representatives')
      .set({ representative_patient_id: link.id })
      .where('patient_id', '=', link.patient_id)
      .where('representative_ins', '=', link.representative_ins)
      .execute();
}

function validRecords(text: string, today: Date) {
  const parsed = parseInsuredFile(text);
  const rejected: LineProblem[] = [...parsed.problems];
  const firstLineOf = new Map<string, number>();
  const records: { line: number; record: InsuredRecord }[] = [];
  for (const raw of parsed.records) {
    const result = validateInsuredRecord(raw.fields, today);
    if (!result.ok) rejected.push({ line: raw.line, reason: result.reason });
    else if (firstLineOf.has(result.value.ins))
      rejected.push({
        line: raw.line,
        reason: `duplicate INS (first at line ${firstLineOf.get(result.value.ins)})`,
      });
    else {
      firstLineOf.set(result.value.ins, raw.line);
      records.push({ line: raw.line, record: result.value });
    }
  }
  return { records, rejected };
}

/**
 * Loads an Assurance Maladie file (format in import-format.ts): upsert by INS, one transaction per person so
 * a bad line never stops the batch, then a code provisoire for every new, non-opposed person. Throws
 * ImportFormatError when the file as a whole is unreadable.
 */
export async function importInsured(ctx: AppContext, text: string, fileName: string): Promise<ImportReport> {
  const startedAt = ctx.clock.now();
  const { records, rejected } = validRecords(text, startedAt);
  const runId = uuidv7(startedAt.getTime());
  await ctx.db
    .insertInto('import_runs')
    .values({
      id: runId,
      source: 'assurance-maladie',
      file_name: fileName,
      started_at: startedAt.toISOString(),
      finished_at: null,
      accepted: 0,
      rejected: 0,
    })
    .execute();
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0 };
  const needCode: PatientId[] = [];
  for (const { line, record } of records) {
    try {
      const result = await ctx.db.transaction().execute((trx) => upsert(trx, record, ctx.clock.now()));
      counts[result.outcome] += 1;
      if (result.outcome === 'created' && !result.opposed) needCode.push(result.id);
    } catch (error) {
      rejected.push({ line, reason: `could not be stored: ${(error as Error).message}` });
    }
  }
  await linkRepresentatives(ctx);
  // After every upsert, so that a minor's code reaches a representative listed later in the same file.
  for (const id of needCode) await issueActivationCode(ctx, id);
  rejected.sort((a, b) => a.line - b.line);
  const accepted = counts.created + counts.updated + counts.unchanged;
  await ctx.db
    .updateTable('import_runs')
    .set({ finished_at: ctx.clock.now().toISOString(), accepted, rejected: rejected.length })
    .where('id', '=', runId)
    .execute();
  return { accepted, ...counts, rejected };
}
