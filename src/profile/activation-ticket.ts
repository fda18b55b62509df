import { SignJWT, jwtVerify } from 'jose';
import { type Config, deriveKey } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import { invalid } from '../shared/index.ts';

/** Between the two activation steps the browser holds this signed token (10 min), not a server-side state. */
export const TICKET_MINUTES = 10;
const TYPE = 'carnet-activation+jwt';

export interface ActivationTicket {
  readonly patientId: PatientId;
  readonly codeId: string;
}

const ticketInvalid = () =>
  invalid(
    'ticket-invalid',
    'Votre demande d’activation a expiré ou est invalide : recommencez la vérification.',
    'ticket',
  );

export async function signActivationTicket(
  config: Pick<Config, 'secret'>,
  ticket: ActivationTicket,
  now: Date,
) {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ cid: ticket.codeId })
    .setProtectedHeader({ alg: 'HS256', typ: TYPE })
    .setSubject(ticket.patientId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + TICKET_MINUTES * 60)
    .sign(deriveKey(config, 'activation-ticket'));
}

export async function verifyActivationTicket(
  config: Pick<Config, 'secret'>,
  token: string,
  now: Date,
): Promise<ActivationTicket> {
  try {
    const { payload } = await jwtVerify(token, deriveKey(config, 'activation-ticket'), {
      algorithms: ['HS256'],
      typ: TYPE,
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.cid !== 'string') throw ticketInvalid();
    return { patientId: payload.sub as PatientId, codeId: payload.cid };
  } catch {
    throw ticketInvalid();
  }
}
