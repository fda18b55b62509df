import { sql } from 'kysely';
import type { AppContext } from '../app/index.ts';
import type { ProfessionalPrincipal } from '../access/index.ts';

/** The portal's "mes dépôts par mois": the professional's own deposits, newest month first. */
export async function depositCountsByMonth(
  ctx: AppContext,
  principal: ProfessionalPrincipal,
): Promise<{ month: string; count: number }[]> {
  // ISO instants: the first 7 characters are the UTC month on both dialects.
  const month = sql<string>`substr(deposited_at, 1, 7)`;
  const rows = await ctx.db
    .selectFrom('documents')
    .select([month.as('month'), (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('author_national_id', '=', principal.nationalId)
    // A document a patient filed from the professional's message names them as author, but is the patient's deposit.
    .where('filed_from_message', 'is', null)
    .groupBy(month)
    .orderBy(month, 'desc')
    .execute();
  return rows.map((r) => ({ month: r.month, count: Number(r.count) }));
}
