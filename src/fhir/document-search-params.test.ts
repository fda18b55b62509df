import { describe, expect, it } from 'vitest';
import { pageLinks, parseDocumentSearch } from './document-search-params.ts';

const ins = 'urn:oid:1.2.250.1.213.1.4.8|168047505611243';

describe('ITI-67 search parameters', () => {
  it('reads the patient, tokens, statuses, labels and date prefixes at their precision', () => {
    const search = parseDocumentSearch({
      'patient.identifier': ins,
      type: 'http://loinc.org|11488-4,11490-0',
      status: 'current,entered-in-error',
      'security-label': 'MASQUE_PS',
      date: ['ge2024-03', 'lt2024-04-01'],
      _count: '5',
    });
    expect(search.patient).toEqual({ identifier: ins });
    expect(search.query).toMatchObject({
      typeCodes: ['11488-4', '11490-0'],
      statuses: ['current', 'deleted'],
      securityLabels: ['MASQUE_PS'],
      from: '2024-03-01T00:00:00.000Z',
      to: '2024-03-31T23:59:59.999Z',
      count: 5,
      offset: 0,
    });
  });

  it('pages with self, next and previous links that keep the filters', () => {
    const search = parseDocumentSearch({
      patient: 'Patient/abc',
      type: '11488-4',
      _count: '2',
      _offset: '2',
    });
    const links = pageLinks('http://x/fhir', search, 5);
    expect(links.map((l) => l.relation)).toEqual(['self', 'next', 'previous']);
    expect(links[1]!.url).toBe(
      'http://x/fhir/DocumentReference?patient=Patient%2Fabc&type=11488-4&_count=2&_offset=4',
    );
    expect(pageLinks('http://x/fhir', search, 4).map((l) => l.relation)).toEqual(['self', 'previous']);
  });

  it('refuses a search without a patient, a bad date, a bad status or count', () => {
    expect(() => parseDocumentSearch({ type: '11488-4' })).toThrow(
      expect.objectContaining({ code: 'search-patient-required' }),
    );
    expect(() => parseDocumentSearch({ patient: 'x', date: 'ge2024-13-45' })).toThrow(
      expect.objectContaining({ code: 'search-date-invalid' }),
    );
    expect(() => parseDocumentSearch({ patient: 'x', status: 'archived' })).toThrow(
      expect.objectContaining({ code: 'search-status-invalid' }),
    );
    expect(() => parseDocumentSearch({ patient: 'x', _count: '-1' })).toThrow(
      expect.objectContaining({ code: 'search-paging-invalid' }),
    );
  });
});
