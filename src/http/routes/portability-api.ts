import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { patientPrincipalFromRequest } from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { accessHistoryPdf, exportRecord, profileSynthesis } from '../../portability/index.ts';
import { historyFilterOf, type HistoryQuery } from './history-query.ts';
import { portabilityContracts } from '../contracts/portability-api.ts';

type PatientRequest<Q = object> = FastifyRequest<{ Params: { patientId: string }; Querystring: Q }>;

const base = '/api/patient/record/:patientId';

/** A file the patient keeps: always a download, never cached by the browser or a proxy. */
const asDownload = (reply: FastifyReply, contentType: string, fileName: string) =>
  reply
    .type(contentType)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");

/**
 * The portability right in the patient space: the PDF synthesis of the profile and the zip of the whole
 * record, for one's own profile or a represented minor's (the service decides and traces, refusals included).
 */
export async function registerPortabilityApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    `${base}/profile/synthesis.pdf`,
    { schema: portabilityContracts.synthesis },
    async (request: PatientRequest, reply) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      const file = await profileSynthesis(ctx, principal, request.params.patientId as PatientId);
      return asDownload(reply, file.contentType, file.fileName).send(Buffer.from(file.pdf));
    },
  );

  // The access history as filtered on screen (same query as GET …/history, without paging).
  app.get(
    `${base}/history.pdf`,
    { schema: portabilityContracts.history },
    async (request: PatientRequest<HistoryQuery>, reply) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      const filter = historyFilterOf(request.query);
      const file = await accessHistoryPdf(ctx, principal, request.params.patientId as PatientId, filter);
      return asDownload(reply, file.contentType, file.fileName).send(Buffer.from(file.pdf));
    },
  );

  app.get(
    `${base}/export.zip`,
    { schema: portabilityContracts.export },
    async (request: PatientRequest, reply) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      const zip = await exportRecord(ctx, principal, request.params.patientId as PatientId);
      return asDownload(reply, zip.contentType, zip.fileName).send(zip.stream);
    },
  );
}
