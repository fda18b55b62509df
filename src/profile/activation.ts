import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import { trace } from '../guard/index.ts';
import {
  knownRefusal,
  limitFailures,
  rateRules,
  takeAttempt,
  createAccount,
  prepareCredentials,
} from '../auth/index.ts';
import { insProblemMessage, parseIns, type Ins, type PatientId } from '../identity/index.ts';
import {
  findInsuredById,
  findInsuredByIns,
  firstFirstName,
  isMinorOn,
  type InsuredPerson,
} from '../insured/index.ts';
import { conflict, invalid, type CarnetError } from '../shared/index.ts';
import { issueActivationCode } from './activation-codes.ts';
import { signActivationTicket, verifyActivationTicket } from './activation-ticket.ts';
import { codeRefusals, identificationRefused, matchActivationCode, usableCodeId } from './code-check.ts';
import { activationCodeStatus } from './activation-code-rules.ts';
import { transition } from './lifecycle.ts';

export interface ActivationRequest {
  readonly nir: string;
  readonly vitaleSerial: string;
  readonly code: string;
  readonly ip: string;
}

export function parseNir(nir: string, field = 'nir'): Ins {
  const parsed = parseIns(nir);
  if (!parsed.ok) throw invalid('ins-invalid', insProblemMessage[parsed.problem], field);
  return parsed.value.ins;
}

export const minorRefusal = () =>
  conflict(
    'profile-minor',
    'Le profil d’un mineur est activé par son représentant légal, depuis son propre profil Mon espace santé.',
  );

/** A carte Vitale serial as typed (spaces, lower case) in the registry's form. */
export const normalizeSerial = (serial: string) => serial.replace(/\s/g, '').toUpperCase();

/**
 * What refuses an activation attempt (check, reissue, opposition, a child's activation) before its body is read:
 * the client's address already known over its limit, from memory. The domain functions check it again.
 */
export function activationRefusedEarly(ctx: AppContext, ip: string): CarnetError | undefined {
  return knownRefusal(ctx.db, [rateRules.activationIp(ip)], ctx.clock.now());
}

/**
 * Identifies a person from NIR + carte Vitale serial + code provisoire; `event` is what the person is about to
 * do with the profile. Until all three match, every failure is the same `identificationRefused` (same status,
 * message and work): the registry, an opposition or an activation is revealed to no one who lacks the card and
 * the code. Only attempt counters change on refusal.
 */
export async function identifyWithCode(
  ctx: AppContext,
  request: ActivationRequest,
  event: 'activate' | 'oppose',
): Promise<{ person: InsuredPerson; codeId: string }> {
  const ins = parseNir(request.nir);
  const rules = [rateRules.activationIp(request.ip), rateRules.activation(ins)];
  return limitFailures(ctx.db, rules, ctx.clock.now(), async () => {
    const person = await findInsuredByIns(ctx.db, ins);
    const cardMatches =
      person?.vitaleSerial != null && normalizeSerial(request.vitaleSerial) === person.vitaleSerial;
    // Wrong codes wear a person's codes out only when typed with their card: a NIR alone cannot block them.
    const code = await matchActivationCode(ctx, person?.id, request.code, cardMatches);
    if (!person || !cardMatches || !code) throw identificationRefused();
    transition(person.profileState, event);
    if (isMinorOn(person, ctx.clock.now())) throw minorRefusal();
    return { person, codeId: usableCodeId(code) };
  });
}

/** Activation step 1: returns a 10-minute ticket naming the person and the code. */
export async function verifyActivation(ctx: AppContext, request: ActivationRequest) {
  const { person, codeId } = await identifyWithCode(ctx, request, 'activate');
  const ticket = await signActivationTicket(ctx.config, { patientId: person.id, codeId }, ctx.clock.now());
  return {
    ticket,
    person: { firstName: firstFirstName(person), lastName: person.usedName ?? person.birthName },
  };
}

/**
 * Marks a code used, atomically (a concurrent use of the same code fails here), after re-checking it;
 * then moves the profile to `activated`, traced in the profile's history as done by `by` (a representative
 * activating a child's profile), or by its owner.
 */
export async function consumeCodeAndActivate(
  ctx: AppContext,
  trx: Parameters<typeof createAccount>[0],
  patientId: PatientId,
  codeId: string,
  by?: PatientPrincipal,
): Promise<void> {
  const now = ctx.clock.now();
  const code = await trx
    .selectFrom('activation_codes')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('id', '=', codeId)
    .executeTakeFirst();
  const status = code ? activationCodeStatus(code, now) : 'revoked';
  if (status === 'used') throw codeRefusals.used();
  if (status === 'expired') throw codeRefusals.expired();
  if (status !== 'usable') throw codeRefusals.invalid();
  const used = await trx
    .updateTable('activation_codes')
    .set({ used_at: now.toISOString() })
    .where('patient_id', '=', patientId)
    .where('id', '=', codeId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw codeRefusals.used();
  const person = await findInsuredById(trx, patientId);
  if (!person) throw codeRefusals.invalid();
  const state = transition(person.profileState, 'activate');
  await trx
    .updateTable('patients')
    .set({ profile_state: state, state_changed_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', patientId)
    .where('profile_state', '=', person.profileState)
    .execute();
  const actor: PatientPrincipal = by ?? { kind: 'patient', patientId, ins: person.ins, actsFor: [patientId] };
  const input = trace(actor, patientId, 'activation', 'success', {
    targetType: 'Patient',
    targetId: patientId,
  });
  await appendAudit(trx, input, now);
}

/** Activation step 2: consumes the code, creates the account and activates the profile, in one transaction. */
export async function completeActivation(
  ctx: AppContext,
  input: { ticket: string; login: string; password: string },
): Promise<{ login: string }> {
  const ticket = await verifyActivationTicket(ctx.config, input.ticket, ctx.clock.now());
  const credentials = await prepareCredentials(input.login, input.password);
  await ctx.db.transaction().execute(async (trx) => {
    await consumeCodeAndActivate(ctx, trx, ticket.patientId, ticket.codeId);
    await createAccount(trx, ticket.patientId, credentials, ctx.clock.now());
  });
  return { login: credentials.login };
}

export const REISSUE_MESSAGE =
  'Si les informations saisies correspondent à un profil en attente d’activation, un nouveau code provisoire vient d’être envoyé à l’adresse électronique connue de l’Assurance Maladie.';

/** Sends a new code (the old one is revoked); answers the same whether or not the person exists. */
export async function reissueActivation(
  ctx: AppContext,
  input: { nir: string; vitaleSerial: string; ip: string },
): Promise<{ message: string }> {
  const ins = parseNir(input.nir);
  const now = ctx.clock.now();
  await takeAttempt(ctx.db, rateRules.activationIp(input.ip), now);
  await takeAttempt(ctx.db, rateRules.reissue(ins), now);
  const person = await findInsuredByIns(ctx.db, ins);
  if (person?.profileState === 'created' && person.vitaleSerial === normalizeSerial(input.vitaleSerial))
    await issueActivationCode(ctx, person.id);
  return { message: REISSUE_MESSAGE };
}
