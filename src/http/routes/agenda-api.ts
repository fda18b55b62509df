import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createAgendaEvent,
  decidePreventionItem,
  deleteAgendaEvent,
  feedStatus,
  listAgendaEvents,
  listPreventionItems,
  parseEventInput,
  regenerateFeed,
  renderFeed,
  revokeFeed,
  updateAgendaEvent,
} from '../../agenda/index.ts';
import type { AppContext } from '../../app/index.ts';
import {
  notificationTopicLabels,
  notificationTopics,
  parsePreferencesUpdate,
} from '../../notifications/index.ts';
import { getNotificationPreferences, updateNotificationPreferences } from '../../profile/index.ts';
import { invalid } from '../../shared/index.ts';
import { actingFor, patientScopes, registerPatientScope } from './patient-acting-for.ts';
import { agendaContracts } from '../contracts/agenda-api.ts';

type PatientRequest<P = object, Q = object> = FastifyRequest<{
  Params: { patientId: string } & P;
  Querystring: Q;
}>;

const instantParam = (value: string | undefined, name: string) => {
  if (value === undefined || value === '') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalid('agenda-range-invalid', 'La période demandée est invalide.', name);
  return new Date(time).toISOString();
};

/**
 * The patient's agenda and notification preferences (docs/features.md, "Agenda", "Notifications"), for the patient
 * space; and the iCalendar subscription at `/agenda/<secret>.ics`, which calendar apps fetch without a session.
 */
export async function registerAgendaApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerPatientScope(app, ctx, patientScopes.agenda);
  registerPatientScope(app, ctx, patientScopes.notifications);
  const base = '/api/patient/agenda/:patientId';

  app.get(
    base,
    { schema: agendaContracts.agenda },
    async (request: PatientRequest<object, { from?: string; to?: string }>) => {
      const { principal, patientId } = actingFor(request);
      const range = {
        from: instantParam(request.query.from, 'from'),
        to: instantParam(request.query.to, 'to'),
      };
      const [events, prevention, feed] = await Promise.all([
        listAgendaEvents(ctx, principal, patientId, range),
        listPreventionItems(ctx, principal, patientId),
        feedStatus(ctx.db, patientId),
      ]);
      return { events, prevention, feed };
    },
  );

  app.post(
    `${base}/events`,
    { schema: agendaContracts.createEvent },
    async (request: PatientRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      const event = await createAgendaEvent(ctx, principal, patientId, parseEventInput(request.body));
      return reply.status(201).send(event);
    },
  );

  app.put(
    `${base}/events/:id`,
    { schema: agendaContracts.updateEvent },
    async (request: PatientRequest<{ id: string }>) => {
      const { principal, patientId } = actingFor(request);
      return updateAgendaEvent(ctx, principal, patientId, request.params.id, parseEventInput(request.body));
    },
  );

  app.delete(
    `${base}/events/:id`,
    { schema: agendaContracts.deleteEvent },
    async (request: PatientRequest<{ id: string }>, reply) => {
      const { principal, patientId } = actingFor(request);
      await deleteAgendaEvent(ctx, principal, patientId, request.params.id);
      return reply.status(204).send();
    },
  );

  app.put(
    `${base}/prevention/:itemId/:occurrence`,
    { schema: agendaContracts.decidePrevention },
    async (request: PatientRequest<{ itemId: string; occurrence: string }>) => {
      const { principal, patientId } = actingFor(request);
      const body = request.body as { status?: unknown; doneOn?: unknown } | undefined;
      const status = body?.status;
      if (status !== null && status !== 'done' && status !== 'not-done')
        throw invalid('prevention-status-invalid', 'Le statut est « fait », « non fait » ou rien.', 'status');
      // « Fait le … »: the day it was done (YYYY-MM-DD); today when absent.
      const doneOn = body?.doneOn;
      if (doneOn !== undefined && doneOn !== null && typeof doneOn !== 'string')
        throw invalid(
          'prevention-done-on-invalid',
          'Indiquez une date valide, par exemple 15/03/2026.',
          'doneOn',
        );
      await decidePreventionItem(
        ctx,
        principal,
        patientId,
        request.params.itemId,
        request.params.occurrence,
        status ?? undefined,
        doneOn ?? undefined,
      );
      return { prevention: await listPreventionItems(ctx, principal, patientId) };
    },
  );

  app.post(`${base}/feed`, { schema: agendaContracts.regenerateFeed }, async (request: PatientRequest) => {
    const { principal, patientId } = actingFor(request);
    return regenerateFeed(ctx, principal, patientId);
  });

  app.delete(
    `${base}/feed`,
    { schema: agendaContracts.revokeFeed },
    async (request: PatientRequest, reply) => {
      const { principal, patientId } = actingFor(request);
      await revokeFeed(ctx, principal, patientId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/patient/notifications/:patientId',
    { schema: agendaContracts.notifications },
    async (request: PatientRequest) => {
      const { principal, patientId } = actingFor(request);
      return {
        preferences: await getNotificationPreferences(ctx, principal, patientId),
        topics: notificationTopics.map((topic) => ({ topic, label: notificationTopicLabels[topic] })),
      };
    },
  );

  app.put(
    '/api/patient/notifications/:patientId',
    { schema: agendaContracts.updateNotifications },
    async (request: PatientRequest) => {
      const { principal, patientId } = actingFor(request);
      const update = parsePreferencesUpdate(request.body);
      return { preferences: await updateNotificationPreferences(ctx, principal, patientId, update) };
    },
  );

  // The secret is the whole credential: no cookie, no caching by intermediaries, no referrer leak.
  app.get<{ Params: { token: string } }>(
    '/agenda/:token.ics',
    { schema: agendaContracts.feed },
    async (request, reply) => {
      const body = await renderFeed(ctx, request.params.token);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('referrer-policy', 'no-referrer')
        .header('content-disposition', 'inline; filename="agenda-sante.ics"')
        .send(body);
    },
  );
}
