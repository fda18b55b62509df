import { describe, expect, it } from 'vitest';
import type { Patient } from '@medplum/fhirtypes';
import { searchsetBundle } from './bundle.ts';

describe('searchsetBundle', () => {
  const self = 'http://x/fhir/Patient?identifier=a';
  it('lists each match with its full URL and search mode, and counts them', () => {
    const matches: Patient[] = [
      { resourceType: 'Patient', id: 'p1' },
      { resourceType: 'Patient', id: 'p2' },
    ];
    const bundle = searchsetBundle({ selfUrl: self, fhirBase: 'http://x/fhir', matches });
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 2 });
    expect(bundle.link).toEqual([{ relation: 'self', url: self }]);
    expect(bundle.entry?.map((e) => [e.fullUrl, e.resource?.id, e.search?.mode])).toEqual([
      ['http://x/fhir/Patient/p1', 'p1', 'match'],
      ['http://x/fhir/Patient/p2', 'p2', 'match'],
    ]);
  });

  it('is an empty searchset, not an error, when nothing matches', () => {
    const bundle = searchsetBundle({ selfUrl: self, fhirBase: 'http://x/fhir', matches: [] });
    expect([bundle.total, bundle.entry]).toEqual([0, []]);
  });
});
