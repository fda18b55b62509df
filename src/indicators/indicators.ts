import type { AppContext } from '../app/index.ts';
import type { ProfessionalPrincipal } from '../access/index.ts';
import { invalid } from '../shared/index.ts';
import { isVsmType } from '../vsm/index.ts';
import {
  addDays,
  computeIndicators,
  consultationNatures,
  dayInFrance,
  DEPOSIT_THRESHOLD,
  FOLLOW_UP_DAYS,
  indicatorDefinitions,
  lastMonths,
  MESSAGE_THRESHOLD,
  type AldPeriod,
  type Deposit,
  type Message,
  type MonthIndicators,
} from './rules.ts';

export const MAX_MONTHS = 36;
/** Patients per `in (…)` lookup. */
const LOOKUP_CHUNK = 500;

export interface ProfessionalIndicators {
  readonly thresholds: { readonly deposit: number; readonly message: number };
  readonly followUpDays: number;
  readonly definitions: typeof indicatorDefinitions;
  /** Oldest first. */
  readonly months: readonly MonthIndicators[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The signed-in professional's own figures over the last `months` months (current included): their reimbursed
 * consultations in the insurer's feed, their own deposits (as author, not filed by a patient from a message),
 * their MSSanté messages to those patients, and the ALD periods of the patients they deposited a VSM for.
 * Only counts of their own activity come out, no patient's data: nothing is read on a patient's behalf, so
 * nothing is added to a patient's trace (like "Mes dépôts").
 */
export async function professionalIndicators(
  ctx: AppContext,
  principal: ProfessionalPrincipal,
  months: number,
): Promise<ProfessionalIndicators> {
  if (!Number.isInteger(months) || months < 1 || months > MAX_MONTHS) {
    throw invalid('months-invalid', `Indiquez un nombre de mois entre 1 et ${MAX_MONTHS}.`, 'months');
  }
  const today = dayInFrance(ctx.clock.now());
  const window = lastMonths(today, months);
  const firstDay = `${window[0]}-01`;
  // Instants a day early: a French day starts up to two hours before its UTC midnight.
  const since = `${addDays(firstDay, -1)}T00:00:00.000Z`;

  const consultations = (
    await ctx.db
      .selectFrom('insurer_care')
      .select(['patient_id', 'care_date'])
      .where('executant_national_id', '=', principal.nationalId)
      .where('care_date', '>=', firstDay)
      .where('nature', 'in', [...consultationNatures])
      .execute()
  ).map((r) => ({ patientId: r.patient_id, day: r.care_date }));

  const deposits: Deposit[] = (
    await ctx.db
      .selectFrom('documents')
      .select(['patient_id', 'deposited_at', 'type_code'])
      .where('author_national_id', '=', principal.nationalId)
      .where('author_kind', '=', 'professional')
      .where('filed_from_message', 'is', null)
      .where('deposited_at', '>=', since)
      .execute()
  )
    .map((r) => ({ patientId: r.patient_id, day: dayInFrance(r.deposited_at), vsm: isVsmType(r.type_code) }))
    .filter((d) => d.day >= firstDay);

  const consulted = [...new Set(consultations.map((c) => c.patientId))];
  const me = await ctx.db
    .selectFrom('professionals')
    .select('mssante_address')
    .where('id', '=', principal.professionalId)
    .executeTakeFirst();
  const address = me?.mssante_address?.toLowerCase();
  const messages: Message[] = [];
  if (address) {
    for (const part of chunks(consulted, LOOKUP_CHUNK)) {
      const rows = await ctx.db
        .selectFrom('mss_messages')
        .select(['patient_id', 'received_at'])
        .where('patient_id', 'in', part)
        .where('direction', '=', 'inbound')
        .where((eb) => eb(eb.fn('lower', ['from_address']), '=', address))
        .where('received_at', '>=', since)
        .execute();
      for (const r of rows) messages.push({ patientId: r.patient_id, day: dayInFrance(r.received_at) });
    }
  }

  const ald: AldPeriod[] = [];
  for (const part of chunks(
    [...new Set(deposits.filter((d) => d.vsm).map((d) => d.patientId))],
    LOOKUP_CHUNK,
  )) {
    const rows = await ctx.db
      .selectFrom('insurer_ald')
      .select(['patient_id', 'start_date', 'end_date'])
      .where('patient_id', 'in', part)
      .execute();
    for (const r of rows)
      ald.push({ patientId: r.patient_id, start: r.start_date, end: r.end_date ?? undefined });
  }

  return {
    thresholds: { deposit: DEPOSIT_THRESHOLD, message: MESSAGE_THRESHOLD },
    followUpDays: FOLLOW_UP_DAYS,
    definitions: indicatorDefinitions,
    months: computeIndicators({ consultations, deposits, messages, ald }, window, today),
  };
}
