import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler, RouteOptions } from 'fastify';
import { denyMessages, type PatientPrincipal } from '../../access/index.ts';
import type { AppContext } from '../../app/index.ts';
import { patientPrincipalFromRequest } from '../../auth/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { CarnetError, forbidden } from '../../shared/index.ts';

export const notOwnRecord = () => forbidden('not-own-record', denyMessages['not-own-record']);
export const notOwnAgenda = () => forbidden('not-own-agenda', denyMessages['not-own-agenda']);
export const notOwnMailbox = () => forbidden('not-own-mailbox', denyMessages['not-own-mailbox']);

export interface ActingFor {
  readonly principal: PatientPrincipal;
  readonly patientId: PatientId;
}

/** One patient-scoped address space: its prefix (with `:patientId`) and how it words a refusal. */
export interface PatientScope {
  readonly prefix: `/api/patient/${string}/:patientId`;
  /** Each space words it its own way: record, agenda, mailbox. */
  readonly refusal: () => CarnetError;
  /**
   * Routes under the prefix (relative to it) whose service decides on the profile itself and traces its refusal
   * (an export or a connected service refused is audited, which a refusal here would not be).
   */
  readonly serviceDecides?: readonly string[];
}

/** The patient space's per-profile addresses, each defined once. */
export const patientScopes = {
  record: {
    prefix: '/api/patient/record/:patientId',
    refusal: notOwnRecord,
    serviceDecides: [
      '/profile/synthesis.pdf',
      '/history.pdf',
      '/export.zip',
      '/connections',
      '/connections/:grantId',
      '/search',
    ],
  },
  overview: { prefix: '/api/patient/overview/:patientId', refusal: notOwnRecord },
  agenda: { prefix: '/api/patient/agenda/:patientId', refusal: notOwnAgenda },
  notifications: { prefix: '/api/patient/notifications/:patientId', refusal: notOwnAgenda },
  mailbox: { prefix: '/api/patient/messages/:patientId', refusal: notOwnMailbox },
} as const satisfies Record<string, PatientScope>;

const checked = new WeakMap<FastifyRequest, ActingFor>();
const registered = new WeakMap<FastifyInstance, Set<string>>();

function matches(scope: PatientScope, url: string): boolean {
  if (url !== scope.prefix && !url.startsWith(`${scope.prefix}/`)) return false;
  return !(scope.serviceDecides ?? []).includes(url.slice(scope.prefix.length));
}

/**
 * Registers, once per application and space (the route files sharing a space each ask for it), the check that the
 * signed-in patient acts for the profile in the address (their own or a child's they represent): every route added
 * under `scope.prefix` afterwards runs it as a preHandler (after validation, as the handler-level check it replaces
 * did), and reads the result with `actingFor`.
 */
export function registerPatientScope(app: FastifyInstance, ctx: AppContext, scope: PatientScope): void {
  const done = registered.get(app) ?? new Set<string>();
  if (done.has(scope.prefix)) return;
  registered.set(app, done.add(scope.prefix));
  const check: preHandlerAsyncHookHandler = async (request) => {
    const principal = await patientPrincipalFromRequest(ctx, request);
    const patientId = (request.params as { patientId: string }).patientId as PatientId;
    if (!principal.actsFor.includes(patientId)) throw scope.refusal();
    checked.set(request, { principal, patientId });
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!matches(scope, route.url)) return;
    const existing = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [check, ...existing];
  });
}

/** The patient and profile a patient-scoped route's preHandler checked. */
export function actingFor(request: FastifyRequest): ActingFor {
  const found = checked.get(request);
  // A route outside every registered scope asking this is a programming error, never the client's.
  if (!found) throw new CarnetError('internal', 'acting-for-unchecked', 'Une erreur interne est survenue.');
  return found;
}
