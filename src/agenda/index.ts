/**
 * The medical agenda (docs/features.md, "Agenda"): appointments, free reminders, prevention items, reminders by
 * e-mail, iCalendar.
 */
export type { AgendaAction } from '../access/index.ts';
export { decideAgenda } from '../access/index.ts';
export type {
  AgendaEvent,
  AgendaEventInput,
  AgendaEventKind,
  AgendaEventStatus,
  AgendaRange,
} from './events.ts';
export {
  changePushedAppointment,
  createAgendaEvent,
  deleteAgendaEvent,
  listAgendaEvents,
  parseEventInput,
  updateAgendaEvent,
} from './events.ts';
export type { PreventionDecisionStatus, PreventionItem } from './prevention-items.ts';
export type { PreventionUrgency } from './prevention/index.ts';
export { decidePreventionItem, listPreventionItems } from './prevention-items.ts';
export type { FeedStatus } from './feed.ts';
export { feedStatus, regenerateFeed, renderFeed, revokeFeed } from './feed.ts';
export type { DueReminder, ReminderPassResult, ReminderScheduler } from './reminders.ts';
export { dueReminders, runReminderPass, startReminderScheduler } from './reminders.ts';
export { endOrAssumed, findEventPatient } from './events.ts';
export { preventionItemsOf } from './prevention-items.ts';
