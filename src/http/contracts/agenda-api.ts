import { z } from 'zod';
import { contract, noContent, raw } from '../contract.ts';
import { patientParams } from './common.ts';

const eventParams = patientParams.extend({ id: z.string() });
/** An agenda event as the patient space shows it. */
export const agendaEventView = z.looseObject({ id: z.string() });
const prevention = z.array(z.looseObject({}));
/** Fields the agenda module checks itself, each with its own message (`parseEventInput`, `parsePreferencesUpdate`). */
const checkedByTheAgenda = z.unknown();

/** The medical agenda, the notification preferences and the iCalendar feed. */
export const agendaContracts = {
  agenda: contract({
    params: patientParams,
    query: z.object({ from: z.string().optional(), to: z.string().optional() }),
    response: z.object({
      events: z.array(agendaEventView),
      prevention,
      feed: z.object({ active: z.boolean(), createdAt: z.string().optional() }),
    }),
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
    response: z.object({
      preferences: z.looseObject({}),
      topics: z.array(z.object({ topic: z.string(), label: z.string() })),
    }),
  }),
  updateNotifications: contract({
    params: patientParams,
    body: checkedByTheAgenda,
    response: z.object({ preferences: z.looseObject({}) }),
  }),
  feed: contract({ params: z.object({ token: z.string() }), response: raw('text/calendar') }),
};
