import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.ts';
import { professionalPrincipalFromRequest } from '../../auth/professional/index.ts';
import { professionalIndicators, type IndicatorRow } from '../../messaging/index.ts';
import { invalid } from '../../shared/errors.ts';

const DEFAULT_MONTHS = 12;
const MAX_MONTHS = 36;

function monthsOf(query: { months?: string }): number {
  if (query.months === undefined) return DEFAULT_MONTHS;
  const months = Number(query.months);
  if (!Number.isInteger(months) || months < 1 || months > MAX_MONTHS)
    throw invalid('months-invalid', `Indiquez un nombre de mois entre 1 et ${MAX_MONTHS}.`, 'months');
  return months;
}

const rowView = (row: IndicatorRow) => ({
  month: row.month,
  consultations: row.consultations,
  withDeposit: row.withDeposit,
  withMessage: row.withMessage,
  depositShare: row.depositShare,
  messageShare: row.messageShare,
  depositMet: row.depositMet,
  messageMet: row.messageMet,
});

/**
 * `GET /api/pro/indicators`: the signed-in professional's monthly shares of consultations with a DMP deposit and
 * with an MSSanté exchange, against the forfait structure thresholds (the seed: 20 % and 5 %), newest month first.
 */
export async function registerIndicatorsApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/pro/indicators', async (request: FastifyRequest<{ Querystring: { months?: string } }>) => {
    const principal = await professionalPrincipalFromRequest(ctx, request);
    const rows = await professionalIndicators(ctx, principal, monthsOf(request.query));
    const first = rows[0];
    return {
      thresholds: first
        ? { deposit: first.depositThreshold, message: first.messageThreshold }
        : { deposit: 0.2, message: 0.05 },
      definitions: first?.definitions ?? null,
      months: [...rows].sort((a, b) => b.month.localeCompare(a.month)).map(rowView),
    };
  });
}
