import { describe, expect, it } from 'vitest';
import { dateRange, pageLinks, parseDocumentSearch, searchHandling } from './document-search-params.ts';

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
      statuses: ['current', 'deleted'],
      filters: {
        types: [
          [
            { system: 'http://loinc.org', code: '11488-4' },
            // Each value of the list carries its own system: this one is in any system.
            { system: undefined, code: '11490-0' },
          ],
        ],
        labels: [['MASQUE_PS']],
        deposited: [
          [{ prefix: 'ge', lo: '2024-03-01T00:00:00.000Z', hi: '2024-03-31T23:59:59.999Z' }],
          [{ prefix: 'lt', lo: '2024-04-01T00:00:00.000Z', hi: '2024-04-01T23:59:59.999Z' }],
        ],
      },
      count: 5,
      offset: 0,
    });
  });

  it('reads dates at their precision, in UTC or the offset given', () => {
    expect(dateRange('2024')).toEqual({
      lo: Date.parse('2024-01-01T00:00:00Z'),
      hi: Date.parse('2025-01-01T00:00:00Z') - 1,
    });
    expect(dateRange('2024-02')).toEqual({
      lo: Date.parse('2024-02-01T00:00:00Z'),
      hi: Date.parse('2024-03-01T00:00:00Z') - 1,
    });
    expect(dateRange('2024-03-05T10:00+01:00')).toEqual({
      lo: Date.parse('2024-03-05T09:00:00Z'),
      hi: Date.parse('2024-03-05T09:01:00Z') - 1,
    });
    expect(dateRange('2024-03-05T10:00:07Z')).toEqual({
      lo: Date.parse('2024-03-05T10:00:07Z'),
      hi: Date.parse('2024-03-05T10:00:08Z') - 1,
    });
    expect(dateRange('2024-03-05T10:00:07.250Z')).toEqual({
      lo: Date.parse('2024-03-05T10:00:07.250Z'),
      hi: Date.parse('2024-03-05T10:00:07.250Z'),
    });
    for (const bad of ['2024-02-30', '2024-13', '2024-03-05T10:00', '24-03-05', '2024-03-05T24:00Z'])
      expect(dateRange(bad)).toBeUndefined();
  });

  it('spells systems any way: bare OID, urn:oid, LOINC by OID', () => {
    const search = parseDocumentSearch({
      patient: 'x',
      type: '2.16.840.1.113883.6.1|11488-4',
      format: '1.2.3|f,|g',
    });
    expect(search.query.filters).toMatchObject({
      types: [[{ system: 'http://loinc.org', code: '11488-4' }]],
      formats: [
        [
          { system: 'urn:oid:1.2.3', code: 'f' },
          { system: null, code: 'g' },
        ],
      ],
    });
  });

  it('refuses an unsupported modifier always, an unknown parameter under strict handling, and leaves that out of the links otherwise', () => {
    const query = {
      patient: 'Patient/abc',
      foo: 'bar',
      'author.family:exact': 'Martin',
    };
    // Ignoring `type:not` would answer the very documents the client meant to exclude.
    for (const handling of ['strict', 'lenient'] as const) {
      expect(() => parseDocumentSearch({ 'type:not': '11488-4', ...query }, handling)).toThrow(
        expect.objectContaining({ code: 'search-modifier-unsupported', expression: 'type:not' }),
      );
    }
    expect(() => parseDocumentSearch({ patient: 'x', foo: 'bar' }, 'strict')).toThrow(
      expect.objectContaining({ code: 'search-parameter-unknown', expression: 'foo' }),
    );
    const lenient = parseDocumentSearch(query);
    expect(lenient.params).toEqual([
      ['patient', 'Patient/abc'],
      ['author.family:exact', 'Martin'],
    ]);
    expect(lenient.query.filters).toEqual({ authorFamily: [[{ match: 'exact', value: 'Martin' }]] });
    expect(searchHandling('return=minimal, handling=strict')).toBe('strict');
    expect(searchHandling('handling=lenient')).toBe('lenient');
    expect(searchHandling(undefined)).toBe('lenient');
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
    expect(() => parseDocumentSearch({ patient: 'x', 'security-label': 'Z' })).toThrow(
      expect.objectContaining({ code: 'search-security-label-invalid' }),
    );
    expect(() => parseDocumentSearch({ patient: 'x', creation: 'zz2024' })).toThrow(
      expect.objectContaining({ code: 'search-date-invalid', expression: 'creation' }),
    );
    expect(() => parseDocumentSearch({ patient: ['x', 'y'] })).toThrow(
      expect.objectContaining({ code: 'search-parameter-repeated' }),
    );
    expect(() => parseDocumentSearch({ patient: 'x', _count: '-1' })).toThrow(
      expect.objectContaining({ code: 'search-paging-invalid' }),
    );
  });
});
