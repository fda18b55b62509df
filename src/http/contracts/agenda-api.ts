import { z } from 'zod';
import { notificationTopics } from '../../notifications/index.ts';
import { contract, noContent, raw } from '../contract.ts';
import { patientParams } from './common.ts';

const eventParams = patientParams.extend({ id: z.string() });
/** An agenda event as the agenda module keeps it (`AgendaEvent`, src/agenda/events.ts). */
export const agendaEventView = z.object({
  id: z.string(),
  patientId: z.string(),
  kind: z.enum(['appointment', 'reminder']),
  start: z.string(),
  end: z.string().optional(),
  /** Europe/Paris calendar day of the start. */
  day: z.string(),
  title: z.string(),
  location: z.string().optional(),
  practitioner: z.string().optional(),
  /** `Practitioner/<id>` when the appointment came through FHIR. */
  practitionerReference: z.string().optional(),
  notes: z.string().optional(),
  source: z.enum(['patient', 'professional', 'app']),
  authorNationalId: z.string().optional(),
  status: z.enum(['booked', 'cancelled']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgendaEventView = z.infer<typeof agendaEventView>;

/** One occurrence of a recommended screening or vaccination (`PreventionItem`, src/agenda/prevention/engine.ts). */
export const preventionItemView = z.object({
  itemId: z.string(),
  occurrence: z.string(),
  /** `<itemId>@<occurrence>` */
  key: z.string(),
  kind: z.enum(['screening', 'vaccination']),
  label: z.string(),
  occurrenceLabel: z.string(),
  status: z.enum(['to-plan', 'done', 'not-done']),
  dueFrom: z.string(),
  dueUntil: z.string(),
  overdue: z.boolean(),
  notifyOn: z.array(z.string()),
  /** Done: when, and whether by the patient's « Fait le … » ('decision'), a vaccination or a document. */
  doneOn: z.string().optional(),
  doneBy: z.enum(['vaccination', 'document', 'decision']).optional(),
  decidedOn: z.string().optional(),
  /** Done: the day the next occurrence opens, computed by the prevention rules. */
  nextDue: z.string().optional(),
  /** Overdue: the first day past its window. */
  overdueSince: z.string().optional(),
  /** To plan: late, due now, or opening within three months. */
  urgency: z.enum(['overdue', 'due', 'soon']).optional(),
  rulesVersion: z.string(),
});
export type PreventionItemView = z.infer<typeof preventionItemView>;
const prevention = z.array(preventionItemView);

export const agendaView = z.object({
  events: z.array(agendaEventView),
  prevention,
  feed: z.object({ active: z.boolean(), createdAt: z.string().optional() }),
});
export type AgendaAnswer = z.infer<typeof agendaView>;

/** The topics a profile's owner may get e-mails about. */
const notificationTopic = z.enum(notificationTopics);
export type NotificationTopic = z.infer<typeof notificationTopic>;
const preferences = z.record(notificationTopic, z.boolean());
export const notificationsView = z.object({
  preferences,
  topics: z.array(z.object({ topic: notificationTopic, label: z.string() })),
});
export type NotificationsView = z.infer<typeof notificationsView>;

/** Fields the agenda module checks itself, each with its own message (`parseEventInput`, `parsePreferencesUpdate`). */
const checkedByTheAgenda = z.unknown();

/** The medical agenda, the notification preferences and the iCalendar feed. */
export const agendaContracts = {
  agenda: contract({
    params: patientParams,
    query: z.object({ from: z.string().optional(), to: z.string().optional() }),
    response: agendaView,
  }),
  createEvent: contract({
    params: patientParams,
    body: checkedByTheAgenda,
    response: agendaEventView,
    status: 201,
  }),
  updateEvent: contract({ params: eventParams, body: checkedByTheAgenda, response: agendaEventView }),
  deleteEvent: contract({ params: eventParams, response: noContent }),
  decidePrevention: contract({
    params: patientParams.extend({ itemId: z.string(), occurrence: z.string() }),
    body: checkedByTheAgenda,
    response: z.object({ prevention }),
  }),
  regenerateFeed: contract({
    params: patientParams,
    response: z.object({ url: z.string(), createdAt: z.string() }),
  }),
  revokeFeed: contract({ params: patientParams, response: noContent }),
  notifications: contract({
    params: patientParams,
    response: notificationsView,
  }),
  updateNotifications: contract({
    params: patientParams,
    body: checkedByTheAgenda,
    response: z.object({ preferences }),
  }),
  feed: contract({ params: z.object({ token: z.string() }), response: raw('text/calendar') }),
};
