/**
 * The agenda API's shapes (`/api/patient/agenda/<patientId>`), inferred from its contracts
 * (src/http/contracts/agenda-api.ts), and calendar arithmetic of the pages.
 */
import type { Profile } from '../../types.ts';

export type {
  AgendaAnswer as Agenda,
  AgendaEventView as AgendaEvent,
  PreventionItemView as PreventionItem,
} from '../../../../src/http/contracts/agenda-api.ts';

export const agendaApi = (profile: Pick<Profile, 'id'>) =>
  `/api/patient/agenda/${encodeURIComponent(profile.id)}`;

export type AgendaView = 'mois' | 'semaine' | 'liste';
export const isView = (value: string | null): value is AgendaView =>
  value === 'mois' || value === 'semaine' || value === 'liste';

export const agendaHref = (view: AgendaView, day: string) => `/agenda?vue=${view}&date=${day}`;

const parisDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
/** Today in France (YYYY-MM-DD). */
export const today = () => parisDay.format(new Date());

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function addMonths(day: string, months: number): string {
  const date = new Date(`${day.slice(0, 7)}-01T12:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/** Monday of the week of `day` (weeks start on Monday in France). */
export function weekStart(day: string): string {
  const weekday = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

export const isDay = (value: string | null): value is string =>
  value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

const longDay = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthTitle = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const time = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});
const shortDay = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** French writes the first of the month as an ordinal: « 1er novembre ». */
const firstOrdinal = (label: string) => label.replace(/(^|\s)1(?=\s)/, '$11er');

export const dayLabel = (day: string) => firstOrdinal(longDay.format(new Date(`${day}T12:00:00Z`)));
export const monthLabel = (day: string) => monthTitle.format(new Date(`${day}T12:00:00Z`));
export const timeLabel = (instant: string) => time.format(new Date(instant));
export const shortDayLabel = (day: string) => firstOrdinal(shortDay.format(new Date(`${day}T12:00:00Z`)));

/** `YYYY-MM-DDTHH:mm` in Paris time, for an `<input type="datetime-local">`. */
export function localInputValue(instant: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** A Paris wall-clock time from a form into an instant with its offset (the server refuses ambiguous times). */
export function instantOfLocal(value: string): string {
  // Try both French offsets; keep the one that reads back as the same wall-clock time.
  for (const offset of ['+01:00', '+02:00']) {
    const candidate = `${value}:00${offset}`;
    if (localInputValue(candidate) === value) return candidate;
  }
  return `${value}:00+01:00`;
}
