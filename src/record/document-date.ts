import { invalid } from '../shared/index.ts';

/** Today's calendar day in France (where the patient lives and the date they type is meant). */
function frenchToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}

/** The oldest date a document may bear: older ones are typing mistakes (« 0202 » for « 2020 »). */
const OLDEST = '1900-01-01';

/**
 * The « Date du document » a patient gives when adding a document (`YYYY-MM-DD`, as a date field sends it): left
 * empty, the date is unknown (undefined); otherwise a real calendar day, not after today in France.
 */
export function patientDocumentDate(value: string | undefined, now: Date): string | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(`${text}T00:00:00Z`) : undefined;
  // 2026-02-30 parses as 2 March: the round trip catches days that do not exist.
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw invalid(
      'date-invalid',
      'La date du document n’est pas valide : indiquez-la sous la forme jj/mm/aaaa.',
      'date',
    );
  }
  if (text < OLDEST)
    throw invalid('date-too-old', 'La date du document est trop ancienne : vérifiez l’année.', 'date');
  if (text > frenchToday(now))
    throw invalid('date-future', 'La date du document ne peut pas être dans le futur.', 'date');
  return text;
}
