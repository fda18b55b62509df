/**
 * HL7 v3 TS (`YYYY[MM[DD[HH[MM[SS[.s]]]]]][±ZZZZ]`) → ISO 8601: a date when no hour is given,
 * a date-time otherwise (with its offset when given). Undefined when the value is not a TS.
 */
export function hl7TimeToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(\.\d+)?)?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  const date = [year, month, day].filter(Boolean).join('-');
  if (!hour || !day) return date;
  const offset = zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : '';
  return `${date}T${hour}:${minute ?? '00'}:${second ?? '00'}${fraction ?? ''}${offset}`;
}
