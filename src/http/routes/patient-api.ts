import type { FastifyInstance, FastifyReply, onRequestHookHandler } from 'fastify';
import type { AppContext } from '../../app/index.ts';
import {
  PATIENT_SESSION_COOKIE,
  PATIENT_SESSION_HOURS,
  changePassword,
  confirmSignIn,
  findAccountByPatient,
  patientPrincipalFromRequest,
  resendSignInCode,
  revokeSessionToken,
  signInRefusedEarly,
  startSignIn,
} from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { findInsuredById, type InsuredPerson } from '../../insured/index.ts';
import {
  activateChildProfile,
  activationRefusedEarly,
  closeProfile,
  completeActivation,
  confirmPasswordReset,
  opposeProfile,
  oppositionProof,
  passwordResetRefusedEarly,
  profileView,
  reissueActivation,
  requestPasswordReset,
  updateContact,
  verifyActivation,
} from '../../profile/index.ts';
import { unauthenticated, type CarnetError } from '../../shared/index.ts';
import { patientContracts } from '../contracts/patient-api.ts';

/**
 * Refuses before the body is read when `refusal` says so from memory (a flood from an address over its limit, no
 * room for a password check): such requests are answered without parsing, validating or reaching the domain.
 */
const refuseEarly =
  (refusal: (ip: string) => CarnetError | undefined): onRequestHookHandler =>
  (request, _reply, done) =>
    done(refusal(request.ip));

interface ActivationBody {
  nir: string;
  vitaleSerial: string;
  code: string;
}

/** Mon espace santé's patient API (README "API"). */
export async function registerPatientApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.secureCookies,
  };
  const clearSession = (reply: FastifyReply) => reply.clearCookie(PATIENT_SESSION_COOKIE, cookieOptions);
  const view = (person: InsuredPerson) => profileView(person, ctx.config, ctx.clock.now());
  const activationFlood = refuseEarly((ip) => activationRefusedEarly(ctx, ip));
  const signInFlood = refuseEarly((ip) => signInRefusedEarly(ctx, ip));
  const passwordResetFlood = refuseEarly((ip) => passwordResetRefusedEarly(ctx, ip));

  app.post<{ Body: ActivationBody }>(
    '/api/patient/activation/verify',
    { onRequest: activationFlood, schema: patientContracts.verifyActivation },
    async (request) => verifyActivation(ctx, { ...request.body, ip: request.ip }),
  );

  app.post<{ Body: { ticket: string; login: string; password: string } }>(
    '/api/patient/activation/complete',
    { schema: patientContracts.completeActivation },
    async (request, reply) => reply.status(201).send(await completeActivation(ctx, request.body)),
  );

  app.post<{ Body: { nir: string; vitaleSerial: string } }>(
    '/api/patient/activation/reissue',
    { onRequest: activationFlood, schema: patientContracts.reissueActivation },
    async (request, reply) =>
      reply.status(202).send(await reissueActivation(ctx, { ...request.body, ip: request.ip })),
  );

  app.post<{ Body: ActivationBody }>(
    '/api/patient/opposition',
    { onRequest: activationFlood, schema: patientContracts.oppose },
    async (request, reply) => {
      const { proofToken } = await opposeProfile(ctx, { ...request.body, ip: request.ip });
      return reply.status(201).send({ proofUrl: `/api/patient/opposition/${proofToken}/proof.pdf` });
    },
  );

  app.get<{ Params: { token: string } }>(
    '/api/patient/opposition/:token/proof.pdf',
    { schema: patientContracts.oppositionProof },
    async (request, reply) => {
      const pdf = await oppositionProof(ctx, request.params.token);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'inline; filename="attestation-opposition.pdf"')
        .header('cache-control', 'no-store')
        .send(Buffer.from(pdf));
    },
  );

  app.post<{ Body: { login: string; password: string } }>(
    '/api/patient/session',
    { onRequest: signInFlood, schema: patientContracts.signIn },
    async (request) => startSignIn(ctx, { ...request.body, ip: request.ip }),
  );

  app.post<{ Body: { challengeId: string; code: string } }>(
    '/api/patient/session/otp',
    { schema: patientContracts.confirmSignIn },
    async (request, reply) => {
      const session = await confirmSignIn(ctx, request.body);
      return reply
        .setCookie(PATIENT_SESSION_COOKIE, session.token, {
          ...cookieOptions,
          maxAge: PATIENT_SESSION_HOURS * 3600,
        })
        .send({ ok: true });
    },
  );

  app.post<{ Body: { challengeId: string } }>(
    '/api/patient/session/otp/resend',
    { onRequest: signInFlood, schema: patientContracts.resendCode },
    async (request) => resendSignInCode(ctx, { ...request.body, ip: request.ip }),
  );

  app.post<{ Body: { nir: string; vitaleSerial: string } }>(
    '/api/patient/password-reset',
    { onRequest: passwordResetFlood, schema: patientContracts.requestPasswordReset },
    async (request, reply) =>
      reply.status(202).send(await requestPasswordReset(ctx, { ...request.body, ip: request.ip })),
  );

  app.post<{ Body: { requestId: string; code: string; password: string } }>(
    '/api/patient/password-reset/confirm',
    { onRequest: passwordResetFlood, schema: patientContracts.confirmPasswordReset },
    async (request) => confirmPasswordReset(ctx, { ...request.body, ip: request.ip }),
  );

  app.delete('/api/patient/session', { schema: patientContracts.signOut }, async (request, reply) => {
    const token = request.cookies[PATIENT_SESSION_COOKIE];
    if (token) await revokeSessionToken(ctx.db, token, ctx.clock.now());
    return clearSession(reply).status(204).send();
  });

  app.get('/api/patient/me', { schema: patientContracts.me }, async (request) => {
    const principal = await patientPrincipalFromRequest(ctx, request);
    const account = await findAccountByPatient(ctx.db, principal.patientId);
    const profiles = await Promise.all(principal.actsFor.map((id) => findInsuredById(ctx.db, id)));
    const [self, ...managed] = profiles;
    if (!account || !self) throw unauthenticated();
    return {
      account: { login: account.login },
      self: view(self),
      managed: managed.flatMap((p) => (p ? [view(p)] : [])),
    };
  });

  app.put<{ Body: { email: string; phone?: string | null; currentPassword?: string } }>(
    '/api/patient/account/contact',
    { schema: patientContracts.updateContact },
    async (request) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      return view(await updateContact(ctx, principal, request.body));
    },
  );

  app.put<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/patient/account/password',
    { schema: patientContracts.changePassword },
    async (request, reply) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      await changePassword(ctx, principal, {
        ...request.body,
        sessionToken: request.cookies[PATIENT_SESSION_COOKIE],
      });
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { childNir: string; code: string } }>(
    '/api/patient/children/activate',
    { onRequest: activationFlood, schema: patientContracts.activateChild },
    async (request, reply) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      const child = await activateChildProfile(ctx, principal, { ...request.body, ip: request.ip });
      return reply.status(201).send(view(child));
    },
  );

  app.post<{ Params: { id: string }; Body: { deleteData: boolean } }>(
    '/api/patient/profiles/:id/close',
    { schema: patientContracts.closeProfile },
    async (request, reply) => {
      const principal = await patientPrincipalFromRequest(ctx, request);
      const patientId = request.params.id as PatientId;
      const closed = await closeProfile(ctx, principal, patientId, request.body.deleteData);
      if (patientId === principal.patientId) clearSession(reply);
      return reply.send(view(closed));
    },
  );
}
