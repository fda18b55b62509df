/** Calendar days in France: reminders go out "the day before" and "on the day" as a patient in Paris counts them. */
const parisDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Paris calendar day (YYYY-MM-DD) of an instant. */
export function parisDay(instant: Date | string): string {
  return parisDate.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** `day` plus `days` calendar days (negative goes back). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export const isDay = (value: unknown): value is string =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** An instant given with its offset (ISO 8601); a local time without offset is ambiguous and refused. */
export const isInstant = (value: unknown): value is string =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
  !Number.isNaN(Date.parse(value));

const parisWallClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The instant of a Paris wall-clock time (`day`, `HH:mm`), whichever of the winter or summer offsets holds. */
export function parisInstant(day: string, hhmm: string): string {
  for (const offset of ['+01:00', '+02:00']) {
    const candidate = new Date(`${day}T${hhmm}:00${offset}`);
    const parts = parisWallClock.formatToParts(candidate);
    const get = (type: string) => parts.find((p) => p.type === type)?.value;
    if (`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}` === `${day}T${hhmm}`)
      return candidate.toISOString();
  }
  return new Date(`${day}T${hhmm}:00+01:00`).toISOString();
}
