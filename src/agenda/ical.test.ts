import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, renderCalendar } from './ical.ts';

describe('iCalendar writer', () => {
  it('folds long lines at 75 octets without cutting a character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('escapes the characters RFC 5545 reserves', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('parses back with an independent parser: summaries, times, all-day dates and alarms', () => {
    const text = renderCalendar({
      name: 'Agenda santé',
      now: new Date('2026-03-01T10:00:00Z'),
      events: [
        {
          uid: 'a@carnet',
          summary: 'Dr Martin, cabinet; salle 2, « bilan »\nà jeun',
          location: '12 rue de la Paix, Paris',
          when: { kind: 'timed', start: '2026-03-10T08:30:00.000Z', end: '2026-03-10T09:00:00.000Z' },
          alarmBefore: 'P1D',
          alarmText: 'Rendez-vous demain',
        },
        {
          uid: 'b@carnet',
          summary: `À prévoir : ${'mammographie de dépistage '.repeat(5)}`,
          when: { kind: 'all-day', start: '2026-04-01', end: '2026-04-02' },
        },
      ],
    });
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    expect(events.map((e) => e.uid)).toEqual(['a@carnet', 'b@carnet']);
    expect(events[0]!.summary).toBe('Dr Martin, cabinet; salle 2, « bilan »\nà jeun');
    expect(events[0]!.location).toBe('12 rue de la Paix, Paris');
    expect(events[0]!.startDate.toJSDate().toISOString()).toBe('2026-03-10T08:30:00.000Z');
    expect(events[1]!.summary).toBe(`À prévoir : ${'mammographie de dépistage '.repeat(5)}`);
    expect(events[1]!.startDate.isDate).toBe(true);
    expect(events[1]!.startDate.toString()).toBe('2026-04-01');
    const alarm = events[0]!.component.getFirstSubcomponent('valarm')!;
    expect(alarm.getFirstPropertyValue('trigger')!.toString()).toBe('-P1D');
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
  });
});
