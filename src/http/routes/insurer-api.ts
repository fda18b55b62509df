import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { professionalPrincipalFromRequest } from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { readCareHistory, type CareHistoryQuery } from '../../insurer/index.ts';
import { listPaging } from '../list-paging.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';
import { insurerContracts } from '../contracts/insurer-api.ts';

type CareRequest = FastifyRequest<{
  Params: { patientId: string };
  Querystring: { year?: string; month?: string; category?: string; count?: string; offset?: string };
}>;

function queryOf(request: CareRequest): CareHistoryQuery {
  const { year, month, category } = request.query;
  return { year, month, category, ...listPaging(request.query) };
}

/**
 * "Mon histoire de santé" (docs/features.md): the patient browses their reimbursed care by year, month and category;
 * the portal shows it to the professionals the policy allows (masked: the administrateur only). The mask itself is
 * the profile's (`PUT /api/patient/record/:patientId/profile/masks/care-history`).
 */
export async function registerInsurerApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerPatientScope(app, ctx, patientScopes.record);
  app.get(
    '/api/patient/record/:patientId/care-history',
    { schema: insurerContracts.patientCareHistory },
    async (request: CareRequest) => {
      const { principal } = actingFor(request);
      return readCareHistory(ctx, principal, request.params.patientId as PatientId, queryOf(request));
    },
  );

  app.get(
    '/api/pro/patients/:patientId/care-history',
    { schema: insurerContracts.proCareHistory },
    async (request: CareRequest) => {
      const principal = await professionalPrincipalFromRequest(ctx, request);
      return readCareHistory(ctx, principal, request.params.patientId as PatientId, queryOf(request));
    },
  );
}
