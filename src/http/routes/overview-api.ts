import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { patientPrincipalFromRequest } from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { patientOverview, searchPatientSpace } from '../../overview/index.ts';
import { listPage } from '../list-paging.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';
import { documentView, professionOf } from './record-views.ts';
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
  registerSpaceSearchApi(app, ctx);
}

/**
 * The patient space's search across the documents, the messages and the medical profile of one profile (their
 * own or a represented child's). Outside the record scope's check (`serviceDecides`): the service refuses someone
 * else's profile itself, and traces the refusal in that profile's trail.
 */
function registerSpaceSearchApi(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/patient/record/:patientId/search',
    { schema: overviewContracts.search },
    async (
      request: FastifyRequest<{ Params: { patientId: string }; Querystring: { q?: string; count?: string } }>,
    ) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      const patientId = request.params.patientId as PatientId;
      const { count } = listPage(request.query, 10, 50);
      const found = await searchPatientSpace(ctx, principal, patientId, request.query.q ?? '', count);
      const contentBase = `/api/patient/record/${patientId}/documents`;
      return {
        words: found.words,
        documents: {
          total: found.documents.total,
          items: found.documents.items.map((doc) => ({
            ...documentView(doc, contentBase),
            isNew: found.documents.newIds.has(doc.id),
          })),
        },
        messages: found.messages,
        profile: found.profile,
      };
    },
  );
}
