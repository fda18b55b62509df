import type { FastifyRequest } from 'fastify';
import { denyMessages } from '../../access/record-policy.ts';
import type { PatientPrincipal } from '../../access/principal.ts';
import type { AppContext } from '../../app/context.ts';
import { patientPrincipalFromRequest } from '../../auth/patient/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { forbidden, type CarnetError } from '../../shared/errors.ts';

const notOwnRecord = () => forbidden('not-own-record', denyMessages['not-own-record']);

/**
 * The signed-in patient, acting for the profile in the address (their own or a child's they represent); anyone else's
 * is refused with `refusal` (each space words it its own way: record, agenda, mailbox).
 */
export async function patientActingFor(
  ctx: AppContext,
  request: FastifyRequest<{ Params: { patientId: string } }>,
  refusal: () => CarnetError = notOwnRecord,
): Promise<{ principal: PatientPrincipal; patientId: PatientId }> {
  const principal = await patientPrincipalFromRequest(ctx, request);
  const patientId = request.params.patientId as PatientId;
  if (!principal.actsFor.includes(patientId)) throw refusal();
  return { principal, patientId };
}
