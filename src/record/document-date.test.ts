import { describe, expect, it } from 'vitest';
import { patientDocumentDate } from './document-date.ts';

describe('the date a patient gives to a document', () => {
  const now = new Date('2026-03-14T23:30:00Z'); // already 15 March in France

  it('is unknown when left empty', () => {
    expect(patientDocumentDate(undefined, now)).toBeUndefined();
    expect(patientDocumentDate('  ', now)).toBeUndefined();
  });

  it('takes a real day up to today in France', () => {
    expect(patientDocumentDate('2024-02-29', now)).toBe('2024-02-29');
    expect(patientDocumentDate('2026-03-15', now)).toBe('2026-03-15');
  });

  it('refuses a day in the future, a day that does not exist, or another form, in plain French', () => {
    expect(() => patientDocumentDate('2026-03-16', now)).toThrow(
      expect.objectContaining({
        code: 'date-future',
        message: 'La date du document ne peut pas être dans le futur.',
        expression: 'date',
      }),
    );
    for (const wrong of ['2026-02-30', '2025-13-01', '15/03/2026', '2026-3-1', 'hier']) {
      expect(() => patientDocumentDate(wrong, now)).toThrow(
        expect.objectContaining({ code: 'date-invalid' }),
      );
    }
    expect(() => patientDocumentDate('0202-05-01', now)).toThrow(
      expect.objectContaining({ code: 'date-too-old' }),
    );
  });
});
