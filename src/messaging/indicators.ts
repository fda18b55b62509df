import type { AppContext } from '../app/context.ts';
import type { ProfessionalPrincipal } from '../access/principal.ts';
import { invalid } from '../shared/errors.ts';
import {
  DEPOSIT_THRESHOLD,
  indicatorDefinitions,
  lastMonths,
  MESSAGE_THRESHOLD,
  monthFigures,
} from './indicator-rules.ts';
import type { IndicatorRow } from './types.ts';

const consultActions = ['search', 'read', 'retrieve', 'deposit', 'replace'];
const depositActions = ['deposit', 'replace'];

/**
 * The professional's own figures, per month over the last `months` months (current included), oldest first:
 * consultations from the audit trail (their successful accesses to a record), deposits by them, and MSSanté
 * messages from their address (`professionals.mssante_address`) to those patients.
 */
export async function professionalIndicators(
  ctx: AppContext,
  principal: ProfessionalPrincipal,
  months: number,
): Promise<IndicatorRow[]> {
  if (!Number.isInteger(months) || months < 1 || months > 36) {
    throw invalid('months-invalid', 'Le nombre de mois doit être compris entre 1 et 36.');
  }
  const window = lastMonths(ctx.clock.now(), months);
  const since = `${window[0]}-01T00:00:00.000Z`;
  const events = await ctx.db
    .selectFrom('audit_events')
    .select(['patient_id', 'at', 'action'])
    .where('actor_kind', '=', 'professional')
    .where('actor_id', '=', principal.nationalId)
    .where('outcome', '=', 'success')
    .where('action', 'in', consultActions)
    .where('patient_id', 'is not', null)
    .where('at', '>=', since)
    .execute();
  const me = await ctx.db
    .selectFrom('professionals')
    .select('mssante_address')
    .where('id', '=', principal.professionalId)
    .executeTakeFirst();
  const address = me?.mssante_address?.toLowerCase();
  const messages = address
    ? await ctx.db
        .selectFrom('mss_messages')
        .select(['patient_id', 'sent_at'])
        .where('direction', '=', 'inbound')
        .where((eb) => eb(eb.fn('lower', ['from_address']), '=', address))
        .where('sent_at', '>=', since)
        .execute()
    : [];
  const sets = new Map(
    window.map((m) => [
      m,
      { consulted: new Set<string>(), deposited: new Set<string>(), messaged: new Set<string>() },
    ]),
  );
  for (const e of events) {
    const month = sets.get(e.at.slice(0, 7));
    if (!month || !e.patient_id) continue;
    month.consulted.add(e.patient_id);
    if (depositActions.includes(e.action)) month.deposited.add(e.patient_id);
  }
  for (const m of messages) sets.get(m.sent_at.slice(0, 7))?.messaged.add(m.patient_id);
  return window.map((month) => ({
    professionalId: principal.professionalId,
    month,
    ...monthFigures(sets.get(month)!),
    depositThreshold: DEPOSIT_THRESHOLD,
    messageThreshold: MESSAGE_THRESHOLD,
    definitions: indicatorDefinitions,
  }));
}
