import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { professionalPrincipalFromRequest } from '../../auth/index.ts';
import { MAX_MONTHS, professionalIndicators, type MonthIndicators } from '../../indicators/index.ts';
import { invalid } from '../../shared/index.ts';
import { indicatorsContracts } from '../contracts/indicators-api.ts';

const DEFAULT_MONTHS = 12;

function monthsOf(query: { months?: string }): number {
  if (query.months === undefined) return DEFAULT_MONTHS;
  const months = Number(query.months);
  if (!Number.isInteger(months) || months < 1 || months > MAX_MONTHS)
    throw invalid('months-invalid', `Indiquez un nombre de mois entre 1 et ${MAX_MONTHS}.`, 'months');
  return months;
}

const monthView = (m: MonthIndicators) => ({
  month: m.month,
  consultations: m.consultations,
  withDeposit: m.withDeposit,
  withMessage: m.withMessage,
  depositShare: m.depositShare,
  messageShare: m.messageShare,
  depositMet: m.depositMet,
  messageMet: m.messageMet,
  provisional: m.provisional,
  deposits: m.deposits,
  vsmAld: m.vsmAld,
  vsmOther: m.vsmOther,
});

/**
 * `GET /api/pro/indicators[?months=N]`: the signed-in professional's figures per month (src/indicators), newest
 * first: their reimbursed consultations in the Assurance Maladie feed, the shares followed within 30 days by a DMP
 * deposit and by an MSSanté message of theirs, against the forfait structure targets (20 % and 5 %), and their
 * VSM deposits for patients in ALD and for the others.
 */
export async function registerIndicatorsApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/pro/indicators',
    { schema: indicatorsContracts.indicators },
    async (request: FastifyRequest<{ Querystring: { months?: string } }>) => {
      const principal = await professionalPrincipalFromRequest(ctx, request);
      const figures = await professionalIndicators(ctx, principal, monthsOf(request.query));
      return {
        thresholds: figures.thresholds,
        followUpDays: figures.followUpDays,
        definitions: figures.definitions,
        months: [...figures.months].reverse().map(monthView),
      };
    },
  );
}
