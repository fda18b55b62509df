import { sql } from 'kysely';
import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import { openProfile, Refusal } from '../guard/index.ts';
import { trace, noteConsultation, inRecordTransaction } from '../record/index.ts';
import { openText, type Executor } from '../storage/index.ts';
import { invalid } from '../shared/index.ts';
import { careCategoryLabels, isCareCategory, type CareCategory } from './feed/format.ts';

/** One reimbursed care line, as the patient (and the professionals allowed) read it. */
export interface CareItem {
  readonly id: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly category: CareCategory;
  readonly categoryLabel: string;
  readonly label: string;
  readonly professional: string;
  readonly rpps: string | null;
  /** Amount reimbursed by the Assurance Maladie, in euro cents. */
  readonly amountCents: number;
  /** The insurer's line id. */
  readonly sourceRef: string;
}

export interface CareHistoryQuery {
  readonly year?: string | undefined;
  readonly month?: string | undefined;
  readonly category?: string | undefined;
  readonly count?: number;
  readonly offset?: number;
}

export interface CareHistoryView {
  readonly filter: {
    readonly year: string | null;
    readonly month: string | null;
    readonly category: CareCategory | null;
  };
  readonly total: number;
  readonly items: readonly CareItem[];
  /** Counts to browse by: every year; the months of the chosen year; the categories within year and month. */
  readonly facets: {
    readonly years: readonly { readonly year: string; readonly count: number }[];
    readonly months: readonly { readonly month: string; readonly count: number }[];
    readonly categories: readonly {
      readonly category: CareCategory;
      readonly label: string;
      readonly count: number;
    }[];
  };
  /** The patient hid their history from professionals (only an administrateur still reads it). */
  readonly masked: boolean;
}

export const MAX_CARE_PAGE = 500;

interface Filter {
  readonly year: string | null;
  readonly month: string | null;
  readonly category: CareCategory | null;
}

function readFilter(query: CareHistoryQuery): Filter {
  const year = query.year?.trim() || null;
  if (year !== null && !/^\d{4}$/.test(year))
    throw invalid('care-year-invalid', 'L’année doit comporter 4 chiffres.', 'year');
  let month = query.month?.trim() || null;
  if (month !== null) {
    if (!/^(0?[1-9]|1[0-2])$/.test(month))
      throw invalid('care-month-invalid', 'Le mois doit être compris entre 1 et 12.', 'month');
    if (year === null)
      throw invalid('care-month-without-year', 'Choisissez une année avant un mois.', 'month');
    month = month.padStart(2, '0');
  }
  const category = query.category?.trim() || null;
  if (category !== null && !isCareCategory(category)) {
    throw invalid('care-category-invalid', 'Cette catégorie de soins est inconnue.', 'category');
  }
  return { year, month, category };
}

/** Dates sort as text: a year or a month is a half-open range over the (patient, date) index. */
function dateRange(filter: Filter): [string, string] | undefined {
  if (!filter.year) return undefined;
  if (!filter.month) return [`${filter.year}-01-01`, `${Number(filter.year) + 1}-01-01`];
  const next =
    Number(filter.month) === 12
      ? `${Number(filter.year) + 1}-01`
      : `${filter.year}-${String(Number(filter.month) + 1).padStart(2, '0')}`;
  return [`${filter.year}-${filter.month}-01`, `${next}-01`];
}

function baseQuery(db: Executor, patientId: PatientId, filter: Filter, withCategory: boolean) {
  let query = db.selectFrom('insurer_care').where('patient_id', '=', patientId);
  const range = dateRange(filter);
  if (range) query = query.where('care_date', '>=', range[0]).where('care_date', '<', range[1]);
  if (withCategory && filter.category) query = query.where('category', '=', filter.category);
  return query;
}

async function facetsOf(
  db: Executor,
  patientId: PatientId,
  filter: Filter,
): Promise<CareHistoryView['facets']> {
  const yearExpr = sql<string>`substr(care_date, 1, 4)`;
  const monthExpr = sql<string>`substr(care_date, 6, 2)`;
  const years = await db
    .selectFrom('insurer_care')
    .select([yearExpr.as('year'), (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('patient_id', '=', patientId)
    .groupBy(yearExpr)
    .orderBy(yearExpr, 'desc')
    .execute();
  const months = filter.year
    ? await baseQuery(db, patientId, { ...filter, month: null }, false)
        .select([monthExpr.as('month'), (eb) => eb.fn.countAll<number | string>().as('count')])
        .groupBy(monthExpr)
        .orderBy(monthExpr)
        .execute()
    : [];
  const categories = await baseQuery(db, patientId, filter, false)
    .select(['category', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('category')
    .execute();
  return {
    years: years.map((y) => ({ year: y.year, count: Number(y.count) })),
    months: months.map((m) => ({ month: m.month, count: Number(m.count) })),
    categories: categories
      .filter((c) => isCareCategory(c.category))
      .map((c) => ({
        category: c.category as CareCategory,
        label: careCategoryLabels[c.category as CareCategory],
        count: Number(c.count),
      }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr')),
  };
}

async function itemsOf(
  ctx: AppContext,
  db: Executor,
  patientId: PatientId,
  filter: Filter,
  count: number,
  offset: number,
): Promise<{ total: number; items: CareItem[] }> {
  const totalRow = await baseQuery(db, patientId, filter, true)
    .select((eb) => eb.fn.countAll<number | string>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await baseQuery(db, patientId, filter, true)
    .selectAll()
    .orderBy('care_date', 'desc')
    .orderBy('id', 'desc')
    .limit(count)
    .offset(offset)
    .execute();
  const items = rows.map((row): CareItem => {
    const sealed = JSON.parse(openText(ctx.config, patientId, row.id, row.sealed)) as {
      label: string;
      professional: string;
      rpps?: string;
      amountCents: number;
    };
    const category = row.category as CareCategory;
    return {
      id: row.id,
      date: row.care_date,
      category,
      categoryLabel: careCategoryLabels[category] ?? row.category,
      label: sealed.label,
      professional: sealed.professional,
      rpps: sealed.rpps ?? null,
      amountCents: sealed.amountCents,
      sourceRef: row.source_ref,
    };
  });
  return { total: Number(totalRow.total), items };
}

/**
 * "Mon histoire de santé": the reimbursed care of a patient, filtered by year, month and category, with the counts
 * to browse by. The patient (or their representative) always reads it; a professional reads it under the
 * habilitation matrix (type REMB) and, when the patient masked it, only as the patient's administrateur (or in an
 * emergency the patient allowed). Every read and every refusal is traced.
 */
export async function readCareHistory(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  query: CareHistoryQuery = {},
): Promise<CareHistoryView> {
  const filter = readFilter(query);
  const count = Math.min(Math.max(query.count ?? 100, 1), MAX_CARE_PAGE);
  const offset = Math.max(query.offset ?? 0, 0);
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openProfile(
      trx,
      principal,
      patientId,
      { areas: ['care-history'], action: 'read', audit: 'care-history-read', targetType: 'CareHistory' },
      now,
    );
    if (opened instanceof Refusal) return opened;
    const masked = opened.masks.has('care-history');
    await noteConsultation(ctx, trx, principal, opened.record, opened.emergency, now);
    const [facets, page] = [
      await facetsOf(trx, patientId, filter),
      await itemsOf(ctx, trx, patientId, filter, count, offset),
    ];
    await appendAudit(
      trx,
      trace(principal, patientId, 'care-history-read', 'success', {
        targetType: 'CareHistory',
        detail: { returned: page.items.length },
      }),
      now,
    );
    return { filter, total: page.total, items: page.items, facets, masked };
  });
}
