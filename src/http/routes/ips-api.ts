import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { professionalPrincipalFromRequest } from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { buildIpsCda, IPS_FILE_NAME, patientSummary } from '../../ips/index.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';
import { ipsContracts } from '../contracts/ips-api.ts';

type PatientRequest = FastifyRequest<{ Params: { patientId: string } }>;

/** The summary as a CDA file to keep: a download, never cached. */
const sendCda = (reply: FastifyReply, xml: string) =>
  reply
    .type('text/xml; charset=utf-8')
    .header('content-disposition', `attachment; filename="${IPS_FILE_NAME}"`)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    .send(xml);

/**
 * The patient summary (IPS-FR) as a CDA R2 file: `GET /api/patient/record/:patientId/summary` for the patient (own
 * profile or a represented minor's), `GET /api/pro/patients/:patientId/summary` for a professional in the portal.
 * The FHIR form is `GET /fhir/Patient/:id/$summary` (src/fhir/router.ts).
 */
export async function registerIpsApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerPatientScope(app, ctx, patientScopes.record);
  app.get(
    '/api/patient/record/:patientId/summary',
    { schema: ipsContracts.patientSummary },
    async (request: PatientRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      return sendCda(reply, buildIpsCda(await patientSummary(ctx, principal, patientId)));
    },
  );

  app.get(
    '/api/pro/patients/:patientId/summary',
    { schema: ipsContracts.proSummary },
    async (request: PatientRequest, reply) => {
      const principal = await professionalPrincipalFromRequest(ctx, request);
      const summary = await patientSummary(ctx, principal, request.params.patientId as PatientId);
      return sendCda(reply, buildIpsCda(summary));
    },
  );
}
