const longDay = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A calendar day (YYYY-MM-DD) as French writes it: « 3 septembre 2025 », « 1er avril 2025 ». */
export function frenchLongDay(day: string): string {
  return longDay.format(new Date(`${day}T12:00:00Z`)).replace(/^1(?=\s)/, '1er');
}
