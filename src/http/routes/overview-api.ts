import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { patientOverview } from '../../overview/index.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';
import { professionOf } from './record-views.ts';
import { overviewContracts } from '../contracts/overview-api.ts';

/**
 * The patient space's home (docs/features.md, "Home and access history"): what needs the patient on the profile on
 * screen, in one call.
 */
export async function registerOverviewApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerPatientScope(app, ctx, patientScopes.overview);
  app.get(
    '/api/patient/overview/:patientId',
    { schema: overviewContracts.overview },
    async (request: FastifyRequest<{ Params: { patientId: string } }>) => {
      const { principal, patientId } = actingFor(request);
      const overview = await patientOverview(ctx, principal, patientId);
      return {
        newDocuments: overview.newDocuments,
        unreadMessages: overview.unreadMessages,
        prevention: overview.prevention,
        firstAccesses: overview.firstAccesses.map((p) => ({
          name: p.name,
          profession: professionOf(p.professionCode),
          at: p.at,
        })),
      };
    },
  );
}
