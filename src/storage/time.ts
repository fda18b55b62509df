/** Instants are stored as ISO-8601 UTC text with milliseconds, so that text order is time order. */
export function isoInstant(date: Date): string {
  return date.toISOString();
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}
