/**
 * A small RFC 5545 writer: only what a subscribed calendar needs (VEVENT, VALARM), with the escaping (§3.3.11)
 * and the 75-octet line folding (§3.1) that calendar clients insist on.
 */

export interface IcalEvent {
  readonly uid: string;
  readonly summary: string;
  readonly description?: string | undefined;
  readonly location?: string | undefined;
  /** A timed event (UTC instants) or an all-day one (YYYY-MM-DD, end exclusive). */
  readonly when:
    | { readonly kind: 'timed'; readonly start: string; readonly end: string }
    | { readonly kind: 'all-day'; readonly start: string; readonly end: string };
  readonly status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** A display alarm this long before the start (ISO 8601 duration, e.g. `P1D`). */
  readonly alarmBefore?: string | undefined;
  readonly alarmText?: string | undefined;
  readonly lastModified?: string | undefined;
  readonly categories?: string | undefined;
}

export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character; continuation lines start with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** 2026-03-01T08:30:00.000Z → 20260301T083000Z */
export const icalInstant = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const icalDate = (day: string) => day.replace(/-/g, '');

export function renderCalendar(options: {
  readonly name: string;
  readonly events: readonly IcalEvent[];
  readonly now: Date;
}): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Carnet//Agenda Mon espace santé//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.name)}`,
    'X-WR-TIMEZONE:Europe/Paris',
    // Calendar clients poll a subscription; once an hour is plenty for an agenda.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  const stamp = icalInstant(options.now.toISOString());
  for (const event of options.events) {
    lines.push('BEGIN:VEVENT', `UID:${escapeText(event.uid)}`, `DTSTAMP:${stamp}`);
    if (event.when.kind === 'timed') {
      lines.push(`DTSTART:${icalInstant(event.when.start)}`, `DTEND:${icalInstant(event.when.end)}`);
    } else {
      lines.push(
        `DTSTART;VALUE=DATE:${icalDate(event.when.start)}`,
        `DTEND;VALUE=DATE:${icalDate(event.when.end)}`,
      );
    }
    lines.push(`SUMMARY:${escapeText(event.summary)}`);
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
    if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
    if (event.categories) lines.push(`CATEGORIES:${escapeText(event.categories)}`);
    if (event.status) lines.push(`STATUS:${event.status}`);
    if (event.lastModified) lines.push(`LAST-MODIFIED:${icalInstant(event.lastModified)}`);
    if (event.alarmBefore) {
      lines.push(
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        `DESCRIPTION:${escapeText(event.alarmText ?? event.summary)}`,
        `TRIGGER:-${event.alarmBefore}`,
        'END:VALARM',
      );
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
