import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/index.ts';
import type { AppContext } from '../../app/context.ts';
import { patientById } from '../../fhir/patient-reference.ts';
import { buildIpsBundle, patientSummary } from '../../ips/index.ts';
import { fhirInteractions } from './fhir-audit-channel.ts';

/**
 * `GET /fhir/Patient/:id/$summary` (HL7 IPS operation): the patient summary as a FHIR document Bundle, under the
 * same policy as the portal (a patient's token reads their own, a professional's under the habilitation matrix and
 * the patient's masks); refusals are OperationOutcomes like the rest of /fhir.
 */
export function registerFhirSummary(
  fhir: FastifyInstance,
  ctx: AppContext,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): void {
  const { within } = fhirInteractions(ctx, authenticate);
  fhir.get<{ Params: { id: string } }>('/fhir/Patient/:id/$summary', async (request) =>
    within(request, undefined, async ({ principal, fhirBase }) => {
      const person = await patientById(ctx.db, request.params.id, 'id');
      return buildIpsBundle(await patientSummary(ctx, principal, person.id), fhirBase);
    }),
  );
}
