import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { professionalPrincipalFromRequest } from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { vsmDraft, vsmSectionKeys, vsmSectionLabels, writeVsm, type VsmContent } from '../../vsm/index.ts';
import { vsmContracts } from '../contracts/vsm-api.ts';

type PatientParams = FastifyRequest<{ Params: { patientId: string } }>;

/** The sections in the order of the form, with their French labels. */
const sectionsView = (content: VsmContent) =>
  vsmSectionKeys.map((key) => ({
    key,
    label: vsmSectionLabels[key],
    items: content[key].items,
    note: content[key].note,
  }));

/**
 * The VSM in the portal: `GET /api/pro/patients/:patientId/vsm/draft` (prefilled from the previous VSM and the
 * profile; items are VsmItem objects, coded where a code is known), `POST /api/pro/patients/:patientId/vsm`
 * (`{ sections: { <key>: { items, note } } }`, items as VsmItem objects or plain strings → the deposited
 * document, replacing the doctor's previous VSM). Readers see a VSM through the generic CDA view, section by
 * section as the document itself nests them.
 */
export async function registerVsmApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/api/pro/patients/:patientId/vsm/draft',
    { schema: vsmContracts.draft },
    async (request: PatientParams) => {
      const principal = await professionalPrincipalFromRequest(ctx, request);
      const draft = await vsmDraft(ctx, principal, request.params.patientId as PatientId);
      return { ...draft, sections: sectionsView(draft.content), content: undefined };
    },
  );

  app.post(
    '/api/pro/patients/:patientId/vsm',
    { schema: vsmContracts.write },
    async (request: PatientParams, reply) => {
      const principal = await professionalPrincipalFromRequest(ctx, request);
      const patientId = request.params.patientId;
      const written = await writeVsm(ctx, principal, patientId as PatientId, request.body);
      const base = `/api/pro/patients/${patientId}/documents/${written.document.id}`;
      return reply.status(201).send({
        id: written.document.id,
        title: written.document.title,
        typeCode: written.document.typeCode,
        createdAt: written.document.createdAt,
        versionNumber: written.versionNumber,
        replacedId: written.replacedId,
        viewUrl: `${base}/view`,
        contentUrl: `${base}/content`,
      });
    },
  );
}
