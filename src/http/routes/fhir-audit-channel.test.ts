import { describe, expect, it } from 'vitest';
import { searchQueryOf } from './fhir.ts';

describe('searchQueryOf', () => {
  const ins = 'urn:oid:1.2.250.1.213.1.4.8|168047505611243';

  it('keeps a GET search as sent, relative to the FHIR base', () => {
    const url = `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(ins)}&type=11488-4`;
    expect(searchQueryOf({ url, method: 'GET', body: undefined })).toBe(url.slice('/fhir/'.length));
  });

  it('records a POST _search as the GET it stands for, form body included (string or parsed)', () => {
    const url = '/fhir/DocumentReference/_search?_count=5';
    const raw = `patient.identifier=${encodeURIComponent(ins)}&type=11488-4&type=11490-0`;
    const expected = `DocumentReference?_count=5&${raw}`;
    expect(searchQueryOf({ url, method: 'POST', body: raw })).toBe(expected);
    const parsed = { 'patient.identifier': ins, type: ['11488-4', '11490-0'] };
    expect(searchQueryOf({ url, method: 'POST', body: parsed })).toBe(expected);
    expect(new URLSearchParams(expected.split('?')[1]).get('patient.identifier')).toBe(ins);
  });
});
