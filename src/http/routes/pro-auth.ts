import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import { authorize } from '../../access/index.ts';
import {
  PRO_SESSION_COOKIE,
  PRO_SESSION_HOURS,
  beginLogin,
  completeLogin,
  createProfessionalSession,
  endProfessionalSession,
  professionalPrincipalFromRequest,
  readPscClaims,
  recordProfessional,
  type LoginTransaction,
} from '../../auth/index.ts';
import { insProblemMessage, parseIns, professionLabel, type PatientId } from '../../identity/index.ts';
import { findInsuredById, findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { findProfessionalById } from '../../professionals/index.ts';
import { CarnetError, invalid, notFound, unauthenticated } from '../../shared/index.ts';
import { isoInstant } from '../../storage/index.ts';
import { proAuthContracts } from '../contracts/pro-auth.ts';

const LOGIN_COOKIE = 'carnet_pro_login';
const LOGIN_COOKIE_MINUTES = 10;

function cookieOptions(ctx: AppContext, path: string, maxAgeSeconds: number) {
  return {
    path,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.secureCookies,
    maxAge: maxAgeSeconds,
  };
}

/** The login transaction, from its signed cookie; a missing or tampered cookie is a failed login. */
function readTransaction(request: FastifyRequest): LoginTransaction {
  const raw = request.cookies[LOGIN_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  if (!unsigned?.valid || !unsigned.value) throw loginFailed();
  return JSON.parse(unsigned.value) as LoginTransaction;
}

const loginFailed = () =>
  unauthenticated(
    'pro-login-failed',
    'La connexion avec votre carte e-CPS a échoué. Recommencez depuis la page de connexion.',
  );

async function callback(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const transaction = readTransaction(request);
  reply.clearCookie(LOGIN_COOKIE, cookieOptions(ctx, '/auth/pro', 0));
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const claims = await completeLogin(ctx, query, transaction).catch((error: unknown) => {
    request.log.warn(
      { reason: error instanceof Error ? error.name : 'unknown' },
      'professional login refused',
    );
    throw loginFailed();
  });
  const identity = readPscClaims(claims);
  if (!identity) {
    throw unauthenticated(
      'pro-claims-invalid',
      'Votre identité professionnelle n’a pas pu être lue. Contactez le support.',
    );
  }
  const professional = await recordProfessional(ctx.db, identity, isoInstant(ctx.clock.now()));
  const token = await createProfessionalSession(ctx, professional, identity.signIn);
  reply.setCookie(PRO_SESSION_COOKIE, token, cookieOptions(ctx, '/', PRO_SESSION_HOURS * 3600));
  return reply.redirect('/pro/', 302);
}

async function me(ctx: AppContext, request: FastifyRequest) {
  const principal = await professionalPrincipalFromRequest(ctx, request);
  const professional = await findProfessionalById(ctx.db, principal.professionalId);
  return {
    nationalId: principal.nationalId,
    rpps: principal.rpps ?? null,
    givenName: principal.givenName,
    familyName: principal.familyName,
    professionCode: principal.professionCode,
    professionLabel: professionLabel(principal.professionCode),
    specialtyCode: principal.specialtyCode ?? null,
    // Acting as a SAMU regulator, as the sign-in said (the portal offers the regulation mode only then).
    regulator: principal.signIn.regulator,
    structure: professional?.structure
      ? { name: professional.structure.name, nationalId: professional.structure.nationalId }
      : null,
  };
}

async function findPatient(ctx: AppContext, request: FastifyRequest<{ Querystring: { ins?: string } }>) {
  const principal = await professionalPrincipalFromRequest(ctx, request);
  const parsed = parseIns(request.query.ins ?? '');
  if (!parsed.ok) throw invalid('ins-invalid', insProblemMessage[parsed.problem], 'ins');
  const person = await findInsuredByIns(ctx.db, parsed.value.ins);
  if (!person) throw notFound('insured-unknown', 'Aucun assuré ne correspond à ce matricule INS.');
  authorize(principal, { type: 'patient.find', profileState: person.profileState });
  return { patient: foundPatient(person) };
}

/**
 * The patient a record page is about (its banner: name, birth date, INS), for a page opened by its link: the same
 * identity as the search by INS, under the rule of FHIR `Patient/:id` (`patient.read-identity`), nothing of the record.
 */
async function patientOfRecord(ctx: AppContext, request: FastifyRequest<{ Params: { patientId: string } }>) {
  const principal = await professionalPrincipalFromRequest(ctx, request);
  const person = await findInsuredById(ctx.db, request.params.patientId as PatientId);
  if (!person) throw notFound('insured-unknown', 'Ce patient est introuvable.');
  authorize(principal, {
    type: 'patient.read-identity',
    patientId: person.id,
    profileState: person.profileState,
  });
  return { patient: foundPatient(person) };
}

function foundPatient(person: InsuredPerson) {
  return {
    id: person.id,
    ins: person.ins,
    firstNames: person.firstNames,
    birthName: person.birthName,
    usedName: person.usedName ?? null,
    birthDate: person.birthDate,
    sex: person.sex,
    profileState: person.profileState,
    active: person.profileState === 'activated' || person.profileState === 'created',
  };
}

/** Professional sign-in through the identity provider (OIDC code + PKCE) and the portal's API. */
export async function registerProfessionalAuth(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/auth/pro/login', { schema: proAuthContracts.login }, async (request, reply) => {
    // The provider returns to CARNET_BASE_URL: start there, or the login cookie would sit on another host.
    const base = new URL(ctx.config.baseUrl);
    if (request.host !== base.host) return reply.redirect(`${ctx.config.baseUrl}/auth/pro/login`, 302);
    const { url, transaction } = await beginLogin(ctx).catch((error: unknown) => {
      if (error instanceof CarnetError) throw error;
      throw new CarnetError(
        'internal',
        'identity-provider-unavailable',
        'Le service d’authentification des professionnels est indisponible. Réessayez plus tard.',
      );
    });
    reply.setCookie(LOGIN_COOKIE, JSON.stringify(transaction), {
      ...cookieOptions(ctx, '/auth/pro', LOGIN_COOKIE_MINUTES * 60),
      signed: true,
    });
    return reply.redirect(url, 302);
  });
  app.get('/auth/pro/callback', { schema: proAuthContracts.callback }, (request, reply) =>
    callback(ctx, request, reply),
  );
  app.post('/auth/pro/logout', { schema: proAuthContracts.logout }, async (request, reply) => {
    await endProfessionalSession(ctx, request.cookies[PRO_SESSION_COOKIE]);
    reply.clearCookie(PRO_SESSION_COOKIE, cookieOptions(ctx, '/', 0));
    return reply.status(204).send();
  });
  app.get('/api/pro/me', { schema: proAuthContracts.me }, (request) => me(ctx, request));
  app.get<{ Querystring: { ins?: string } }>(
    '/api/pro/patients',
    { schema: proAuthContracts.findPatient },
    (request) => findPatient(ctx, request),
  );
  app.get<{ Params: { patientId: string } }>(
    '/api/pro/patient-identity/:patientId',
    { schema: proAuthContracts.patientIdentity },
    (request) => patientOfRecord(ctx, request),
  );
}
